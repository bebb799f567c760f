/**
 * replaceKernel, stockKernel, isOurKernel and restoreStockKernels on dummy kernels registered for
 * cpu (the backend runs with tfjs's stock kernels, so only the dummies are ours).
 */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { isOurKernel, replaceKernel, restoreStockKernels, stockKernel } from '../../src/backend/replaceKernel';

/** A kernel that ignores its inputs and returns one number, so that a run shows which kernel ran. */
function constantKernel(value: number): tf.KernelFunc {
  return ({ backend }) => (backend as unknown as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo })
    .makeTensorInfo([1], 'float32', new Float32Array([value]));
}

const run = (kernelName: string) => {
  const output = tf.engine().runKernel(kernelName, {}, {}) as tf.Tensor;
  const value = output.dataSync()[0];
  output.dispose();
  return value;
};

before(async () => {
  await setupBackend({ force: 'cpu', fastKernels: false, log: () => {} });
});

test('replace, look up the stock kernel, and restore it: a round trip on a dummy kernel', () => {
  const name = 'AeTestReplaced';
  const stock = constantKernel(1);
  tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: stock });
  assert.equal(isOurKernel(name, 'cpu'), false);
  assert.equal(stockKernel(name, 'cpu'), undefined, 'nothing replaced yet');
  assert.equal(run(name), 1);

  assert.equal(replaceKernel(name, 'cpu', constantKernel(2)), 'replaced');
  assert.equal(isOurKernel(name, 'cpu'), true);
  assert.equal(stockKernel(name, 'cpu')?.kernelFunc, stock, 'the stock kernel is kept');
  assert.equal(run(name), 2, 'ours runs');
  assert.equal(replaceKernel(name, 'cpu', constantKernel(3)), 'unchanged', 'ours is not replaced by ours');
  assert.equal(run(name), 2);
  assert.equal(isOurKernel(name, 'wasm'), false, 'per backend');

  assert.deepEqual(restoreStockKernels('cpu'), [name]);
  assert.equal(isOurKernel(name, 'cpu'), false);
  assert.equal(tf.getKernel(name, 'cpu')?.kernelFunc, stock, 'the very stock kernel is back');
  assert.equal(run(name), 1);
  assert.equal(stockKernel(name, 'cpu'), undefined, 'forgotten once restored');
  assert.deepEqual(restoreStockKernels('cpu'), [], 'restoring again does nothing');
  tf.unregisterKernel(name, 'cpu');
});

test('a kernel the backend lacks is added, and restoring removes it; `keep` keeps one', () => {
  const [added, kept] = ['AeTestAdded', 'AeTestKept'];
  assert.equal(replaceKernel(added, 'cpu', constantKernel(4)), 'added');
  assert.equal(replaceKernel(kept, 'cpu', constantKernel(5)), 'added');
  assert.equal(stockKernel(added, 'cpu'), undefined, 'there was no stock kernel');
  assert.equal(run(added), 4);
  assert.deepEqual(restoreStockKernels('wasm'), [], 'another backend\'s kernels are left alone');
  assert.deepEqual(restoreStockKernels('cpu', [kept]), [added]);
  assert.equal(tf.getKernel(added, 'cpu'), undefined, 'removed: the backend had none');
  assert.equal(isOurKernel(kept, 'cpu'), true, 'kept');
  assert.equal(run(kept), 5);
  assert.deepEqual(restoreStockKernels('cpu'), [kept]);
  assert.equal(tf.getKernel(kept, 'cpu'), undefined);
});
