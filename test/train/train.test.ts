import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { variationalAutoencoder } from '../../src/models/vae';
import { EpochRow, evaluateLoss, train, TrainingInterrupted } from '../../src/train/train';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

test('no tensor leaks: the tensor count after epoch 1 equals that after epoch 20', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  for (const model of [denseAutoencoder({ hidden: [32], code: 8, seed: 1 }), variationalAutoencoder({ hidden: [32], latent: 2, seed: 1 })]) {
    const counts: number[] = [];
    await train(model, data.train.x, {
      epochs: 20, batchSize: 16, validation: data.test.x, corruption: { type: 'gaussian', sigma: 0.2 },
      callbacks: { onEpochEnd: () => { counts.push(tf.memory().numTensors); } },
    });
    assert.equal(counts.length, 20);
    assert.equal(counts[19], counts[0], `${model.name}: ${counts.join(' ')}`);
    model.dispose();
  }
  const before = tf.memory().numTensors;
  disposeDataset(data);
  assert.equal(tf.memory().numTensors, before - 2);
});

test('history: one row per epoch with every loss term, validation and seconds; a danfojs table', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  const vae = variationalAutoencoder({ hidden: [32], latent: 2, seed: 1 });
  const history = await train(vae, data.train.x, { epochs: 3, batchSize: 32, validation: data.test.x });
  assert.equal(history.rows.length, 3);
  assert.equal(history.stopReason, 'completed');
  for (const key of ['epoch', 'seconds', 'total', 'reconstruction', 'kl', 'val_total', 'val_reconstruction', 'val_kl']) {
    assert.ok(Number.isFinite(history.rows[2][key]), key);
  }
  const row = history.rows[2];
  assert.ok(Math.abs(row.total - (row.reconstruction + row.kl)) < 1e-2 * row.total);
  const frame = history.toDataFrame();
  assert.deepEqual(frame.shape, [3, Object.keys(row).length]);
  const test = await evaluateLoss(vae, data.test.x);
  assert.ok(Math.abs(test.total - row.val_total) / row.val_total < 1e-6, 'validation in the history is evaluateLoss on the same data');
  vae.dispose();
  disposeDataset(data);
});

test('seeded training is reproducible on the same backend', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  const run = async (seed: number) => {
    const ae = denseAutoencoder({ hidden: [32], code: 8, seed });
    const history = await train(ae, data.train.x, { epochs: 2, batchSize: 16, seed, corruption: { type: 'masking', fraction: 0.3 } });
    const weights = Array.from(ae.decoder.layers[0].weights.kernel.dataSync());
    ae.dispose();
    return { losses: history.rows.map((r) => r.total), weights };
  };
  const a = await run(3);
  const b = await run(3);
  const c = await run(4);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual(a.losses, c.losses);
  disposeDataset(data);
});

test('batch hooks: called every batch, with the loss read back only when asked', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3 });
  const x = tf.randomUniform([50, 10], 0, 1, 'float32', 1);
  const calls: { batch: number; loss?: Record<string, number> }[] = [];
  await train(ae, x, { epochs: 1, batchSize: 10, batchLossEvery: 2, callbacks: { onBatchEnd: (info) => { calls.push(info); } } });
  assert.equal(calls.length, 5);
  assert.deepEqual(calls.map((c) => c.loss !== undefined), [true, false, true, false, true]);
  assert.ok(calls[0].loss!.total > 0);
  ae.dispose();
  x.dispose();
});

test('early stopping stops when the loss stops improving and restores the best weights', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  const x = tf.randomUniform([40, 10], 0, 1, 'float32', 1);
  const validation = tf.randomUniform([20, 10], 0, 1, 'float32', 2);
  // A learning rate this large makes the loss bounce: early stopping must catch it.
  const history = await train(ae, x, { epochs: 50, batchSize: 40, optimizer: 'sgd', learningRate: 40, validation, earlyStopping: { patience: 2 } });
  assert.ok(history.rows.length < 50, `stopped after ${history.rows.length} epochs`);
  assert.match(history.stopReason, /early stop after epoch \d+: val_total did not improve for 2 epochs \(best .* in epoch \d+\)/);
  const bestRow = history.rows.reduce((a, b) => (b.val_total < a.val_total ? b : a));
  assert.notEqual(bestRow, history.rows[history.rows.length - 1], 'the last epoch was not the best');
  assert.equal(history.restoredEpoch, bestRow.epoch);
  // val_total is measured on the weights at the end of its epoch: the restored model gives it again.
  const now = (await evaluateLoss(ae, validation)).total;
  assert.ok(Math.abs(now - bestRow.val_total) <= 1e-6 * bestRow.val_total, `restored: ${now} against the best ${bestRow.val_total}`);
  ae.dispose();
  tf.dispose([x, validation]);
});

/** A dense auto-encoder whose training loss turns NaN from the `poisonedFrom`-th training step on. */
function poisonedAfter(poisonedFrom: number) {
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  let steps = 0;
  const lossTerms = ae.lossTerms.bind(ae);
  ae.lossTerms = (input, target, context) => {
    const terms = lossTerms(input, target, context);
    if (!context.training || ++steps < poisonedFrom) return terms;
    const total = tf.tidy(() => terms.total.mul(NaN) as tf.Scalar);
    tf.dispose(Object.values(terms));
    return { total, reconstruction: total };
  };
  return ae;
}

test('a loss that turns NaN gives back the best weights when asked, and says what the model holds', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([40, 10], 0, 1, 'float32', 1);
  const validation = tf.randomUniform([20, 10], 0, 1, 'float32', 2);
  // One step per epoch (batch 40): the loss turns NaN in epoch 4.
  const options = { epochs: 10, batchSize: 40, learningRate: 0.01, validation };
  const restoring = poisonedAfter(4);
  const rows: EpochRow[] = [];
  const error = await train(restoring, x, { ...options, earlyStopping: { patience: 5 }, callbacks: { onEpochEnd: (row) => { rows.push({ ...row }); } } })
    .then(() => undefined, (e: Error) => e);
  assert.equal(rows.length, 3);
  const best = rows.reduce((a, b) => (b.val_total < a.val_total ? b : a));
  assert.match(error?.message ?? '', new RegExp(`the loss became NaN in epoch 4 .*the model has the weights of epoch ${best.epoch}, the best`));
  const after = (await evaluateLoss(restoring, validation)).total;
  assert.ok(Math.abs(after - best.val_total) <= 1e-6 * best.val_total, `restored: ${after} against ${best.val_total}`);
  restoring.dispose();
  const plain = poisonedAfter(4);
  await assert.rejects(train(plain, x, { ...options, earlyStopping: { patience: 5, restoreBest: false } }), /its weights may no longer be finite: build the model again/);
  assert.ok(Number.isNaN((await evaluateLoss(plain, validation)).total), 'without restoreBest the NaN weights stay');
  plain.dispose();
  tf.dispose([x, validation]);
});

test('callbacks: onTrainEnd called once however training ends, with every finished row; a list is called in order', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([40, 10], 0, 1, 'float32', 1);
  const ends: number[] = [];
  const onTrainEnd = (rows: EpochRow[]) => { ends.push(rows.length); };
  const completed = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  await train(completed, x, { epochs: 3, batchSize: 40, callbacks: { onTrainEnd } });
  assert.deepEqual(ends, [3]);
  const poisoned = poisonedAfter(4);
  await assert.rejects(train(poisoned, x, { epochs: 10, batchSize: 40, callbacks: [{ onTrainEnd }] }), /the loss became NaN in epoch 4/);
  assert.deepEqual(ends, [3, 3], 'a NaN loss ends training after 3 good epochs: the hook still runs');
  // An error in the hook is reported when training went well, and never hides the error that ended it.
  const failing = () => { throw new Error('chart failed'); };
  await assert.rejects(train(completed, x, { epochs: 1, batchSize: 40, callbacks: { onTrainEnd: failing } }), /chart failed/);
  const poisonedAtOnce = poisonedAfter(1);
  await assert.rejects(train(poisonedAtOnce, x, { epochs: 3, batchSize: 40, callbacks: { onTrainEnd: failing } }), /the loss became NaN in epoch 1/);
  poisonedAtOnce.dispose();
  await assert.rejects(train(completed, x, { callbacks: { onTrainEnd: 3 } } as never), /callbacks.onTrainEnd must be a function/);
  await assert.rejects(train(completed, x, { onTrainEnd } as never), /onTrainEnd goes inside callbacks/);
  await assert.rejects(train(completed, x, { callbacks: [null] } as never), /callbacks must be an object/);
  const calls: string[] = [];
  const note = (who: string) => ({ onEpochEnd: (row: EpochRow) => { calls.push(`${who} ${row.epoch}`); } });
  await train(completed, x, { epochs: 2, batchSize: 40, callbacks: [note('chart'), {}, note('measure')] });
  assert.deepEqual(calls, ['chart 1', 'measure 1', 'chart 2', 'measure 2'], 'every callback of a list, in order, each epoch');
  completed.dispose();
  poisoned.dispose();
  x.dispose();
});

test('bad options and bad data get clear errors', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3 });
  const x = tf.randomUniform([8, 10]);
  await assert.rejects(train(ae, x, { batchSize: 0 }), /batchSize must be a whole number > 0, got 0/);
  await assert.rejects(train(ae, x, { epochs: 1.5 }), /epochs must be a whole number > 0/);
  await assert.rejects(train(ae, x, { learningRate: -1 }), /learningRate must be a number > 0/);
  await assert.rejects(train(ae, x, { optimizer: 'lbfgs' as never }), /optimizer must be adam, sgd or rmsprop/);
  await assert.rejects(train(ae, x, { epoch: 3 } as never), /unknown option 'epoch'/);
  await assert.rejects(train(ae, x, { corruption: { type: 'gaussian', sigma: -1 } }), /sigma must be a number ≥ 0/);
  await assert.rejects(train(ae, tf.zeros([8, 12])), /samples have shape \(12\) but the model takes \(10\)/);
  await assert.rejects(train(ae, x, { validation: tf.zeros([2, 5]) }), /validation samples have shape \(5\)/);
  const withNaN = tf.tensor2d([[...new Array(9).fill(0), NaN]]);
  await assert.rejects(train(ae, withNaN), /the training data contains NaN or infinite values/);
  ae.dispose();
});

test('bad training inputs get messages that name the problem and the fix, not a raw JavaScript error', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  const x = tf.randomUniform([8, 10], 0, 1, 'float32', 2);
  const before = tf.memory().numTensors;
  await assert.rejects(train(ae, x, { epochs: '5' as never }), { message: "train: epochs must be a whole number > 0, got '5'." });
  await assert.rejects(train(ae, x, { optimizer: 'Adam' as never }), /optimizer must be adam, sgd or rmsprop, got 'Adam'\./);
  await assert.rejects(train(ae, [[0, 1, 2]] as never), {
    message: 'train: x must be a tensor of training samples (tf.tensor2d(rows) makes one of an array of rows), got an array of 1.',
  });
  await assert.rejects(train(ae, x, null as never), {
    message: 'train: options must be an object such as { epochs: 5 } (or left out), got null.',
  });
  const narrow = tf.zeros([8, 4]);
  await assert.rejects(train(ae, x, { target: narrow }), {
    message: `train: target samples have shape (4), but ${ae.name} gives back (10) for each input: give target of that shape.`,
  });
  narrow.dispose();
  assert.equal(tf.memory().numTensors, before, 'refused inputs leave no tensors behind');
  const disposed = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  disposed.dispose();
  await assert.rejects(train(disposed, x), {
    message: `train: ${disposed.name} has been disposed (model.dispose() was called), so it has no weights to train. ` +
      'Build the model again, or load it with loadModel.',
  });
  ae.dispose();
  x.dispose();
});

test('a loss that becomes NaN stops training with a message saying so', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, outputActivation: 'linear', codeActivation: 'linear', seed: 1 });
  const x = tf.randomUniform([40, 10], 0, 100, 'float32', 1);
  await assert.rejects(
    train(ae, x, { epochs: 30, batchSize: 40, optimizer: 'sgd', learningRate: 10 }),
    /the loss became (NaN|Infinity) in epoch \d+ of .*Lower the learningRate \(now 10\)/,
  );
  ae.dispose();
  x.dispose();
});

test('with a target, the validation loss is measured against the validation targets', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 2 });
  const x = tf.randomUniform([40, 10], 0, 1, 'float32', 1);
  const validation = tf.randomUniform([20, 10], 0, 1, 'float32', 2);
  const zeros = tf.zeros([40, 10]);
  const validationZeros = tf.zeros([20, 10]);
  await assert.rejects(train(ae, x, { target: zeros, validation }), /with target and validation, give validationTarget too/);
  await assert.rejects(train(ae, x, { validationTarget: validationZeros }), /validationTarget needs validation/);
  await assert.rejects(train(ae, x, { target: zeros, validation, validationTarget: zeros }), /validationTarget has 40 samples but validation has 20/);
  // Trained to output zeros: the loss against the zero targets is small, against the inputs large.
  const history = await train(ae, x, { epochs: 30, batchSize: 8, learningRate: 0.01, target: zeros, validation, validationTarget: validationZeros });
  const last = history.rows[history.rows.length - 1];
  const againstTargets = (await evaluateLoss(ae, validation, { target: validationZeros })).total;
  const againstInputs = (await evaluateLoss(ae, validation)).total;
  assert.ok(Math.abs(last.val_total - againstTargets) < 1e-6, `val_total ${last.val_total} is the loss against the targets ${againstTargets}`);
  assert.ok(againstInputs > 10 * againstTargets, `and not the loss against the inputs (${againstInputs})`);
  ae.dispose();
  tf.dispose([x, validation, zeros, validationZeros]);
});

test('every option is checked: early stopping, targets, hooks, empty data', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3 });
  const x = tf.randomUniform([8, 10]);
  await assert.rejects(train(ae, x, { earlyStopping: { patience: 2, minDelta: NaN } }), /earlyStopping.minDelta must be a number ≥ 0, got NaN/);
  await assert.rejects(train(ae, x, { earlyStopping: { patience: 2, minDelta: -1 } }), /minDelta must be a number ≥ 0/);
  await assert.rejects(train(ae, x, { earlyStopping: { patience: 0 } }), /patience must be a whole number > 0/);
  await assert.rejects(train(ae, x, { earlyStopping: { patience: 2, restoreBest: 'yes' as never } }), /restoreBest must be true or false/);
  await assert.rejects(train(ae, x, { earlyStopping: { patience: 2, patients: 3 } as never }), /unknown earlyStopping option 'patients'/);
  await assert.rejects(train(ae, x, { target: [1, 2] as never }), /target must be a tensor/);
  await assert.rejects(train(ae, x, { callbacks: { onEpochEnd: 'chart' } } as never), /callbacks.onEpochEnd must be a function/);
  await assert.rejects(train(ae, x, { shuffle: 'no' as never }), /shuffle must be true or false/);
  await assert.rejects(train(ae, tf.zeros([0, 10])), /the training data has no samples/);
  await assert.rejects(train(ae, x, { validation: tf.zeros([0, 10]) }), /the validation data has no samples/);
  await assert.rejects(evaluateLoss(ae, tf.zeros([0, 10])), /x has no samples/);
  const badTarget = tf.tensor2d([[...new Array(9).fill(0), NaN], ...Array.from({ length: 7 }, () => new Array(10).fill(0))]);
  const before = ae.trainableVariables().map((v) => Array.from(v.dataSync()));
  await assert.rejects(train(ae, x, { target: badTarget }), /the target contains NaN or infinite values/);
  // Refused before any step: every weight is as it was.
  assert.deepEqual(ae.trainableVariables().map((v) => Array.from(v.dataSync())), before);
  badTarget.dispose();
  ae.dispose();
});

test('SIGINT stops training within a second, keeping the last finished step, with a message', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 2000 });
  const ae = denseAutoencoder({ code: 16, seed: 3 });
  let batchesSeen = 0;
  let sentAt = 0;
  // The weights after each finished step (the hook runs once the step's update is applied).
  let lastStep: Float32Array[] = [];
  const weights = () => ae.trainableVariables().map((v) => v.dataSync() as Float32Array);
  setTimeout(() => {
    sentAt = performance.now();
    process.emit('SIGINT');
  }, 700);
  const before = tf.memory().numTensors;
  const error = await train(ae, data.train.x, { epochs: 1000, seed: 1, callbacks: { onBatchEnd: () => { batchesSeen++; lastStep = weights(); } } }).then(() => undefined, (e: Error) => e);
  const stopped = performance.now() - sentAt;
  assert.ok(error instanceof TrainingInterrupted, `interrupted, got ${String(error)}`);
  assert.match(error.message, /training of dense .* interrupted in epoch \d+ of 1000, after batch \d+ of 32; the model keeps the weights of the last finished step/);
  assert.ok(stopped < 1000, `stopped ${stopped.toFixed(0)} ms after SIGINT`);
  assert.ok(batchesSeen > 0);
  assert.deepEqual(weights(), lastStep, 'the model holds the weights of the last finished step');
  assert.equal(process.listenerCount('SIGINT'), 0, 'our listener is removed');
  assert.equal(tf.memory().numTensors, before, 'nothing leaked');
  ae.dispose();
  disposeDataset(data);
});
