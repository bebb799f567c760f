import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setupBackend } from '../../src/backend';
import { FusedAdam } from '../../src/backend/adam';
import { createOptimizer, OptimizerName } from '../../src/backend/optimizer';

const quiet = () => {};

test('adam is our FusedAdam where our kernels are installed, tfjs\'s Adam with stock kernels', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await setupBackend({ force: backend, log: quiet });
    // (tfjs's Optimizer answers instanceof for any optimiser, so ask for the class name.)
    assert.equal(createOptimizer('adam', 0.01).getClassName(), FusedAdam.className);
    await setupBackend({ force: backend, fastKernels: false, log: quiet });
    assert.equal(createOptimizer('adam', 0.01).getClassName(), 'Adam', `${backend}: tfjs's Adam`);
  }
});

test('sgd and rmsprop are tfjs\'s; each gets the step size; an unknown name is refused', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const optimizers = (['adam', 'sgd', 'rmsprop'] as const).map((name) => createOptimizer(name, 0.25));
  assert.deepEqual(optimizers.map((o) => o.getClassName()), [FusedAdam.className, 'SGD', 'RMSProp']);
  for (const optimizer of optimizers.slice(1)) assert.equal(optimizer.getConfig().learningRate, 0.25);
  assert.throws(() => createOptimizer('adagrad' as OptimizerName, 0.1), /createOptimizer: optimizer must be one of adam, sgd, rmsprop, got adagrad/);
});
