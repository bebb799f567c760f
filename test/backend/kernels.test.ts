/**
 * installKernels and fastKernelsInstalled: which of our kernels each backend gets, and that
 * `fast: false` gives tfjs's own back (the path a tfjs-node user takes). Read from tfjs's registry.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fastKernelsInstalled, installKernels } from '../../src/backend/kernels';
import { isOurKernel } from '../../src/backend/replaceKernel';
import { nativeKernelsAvailable } from '../../src/backend/wasmNative';
import { useBackend } from '../helpers';

const CPU_KERNELS = [tf.BatchMatMul, tf._FusedMatMul, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput];
const WASM_KERNELS = [...CPU_KERNELS, tf.GatherV2, tf.Slice, tf.Softplus, tf.Sum, tf.Add, tf.Identity];

const ours = (kernels: string[], backend: string) => kernels.filter((k) => isOurKernel(k, backend));

test('cpu: our matrix products and conv gradients, and tfjs\'s own back with fast: false', async () => {
  await useBackend('cpu');
  const fast = installKernels('cpu');
  assert.deepEqual(fast, { fast: true, replaced: ['matMul', 'conv gradients', 'Adam'], details: ['our faster kernels: matMul, conv gradients, Adam'] });
  assert.deepEqual(ours(CPU_KERNELS, 'cpu'), CPU_KERNELS);
  assert.ok(isOurKernel(tf.BatchMatMul, 'cpu'));
  assert.equal(fastKernelsInstalled('cpu'), true);

  const stock = installKernels('cpu', { fast: false });
  assert.deepEqual(stock, { fast: false, replaced: [], details: ['stock kernels'] });
  assert.ok(!isOurKernel(tf.BatchMatMul, 'cpu'), 'cpu: tfjs\'s own matMul is back');
  assert.ok(!isOurKernel(tf.Conv2DBackpropInput, 'cpu'));
  assert.deepEqual(ours(CPU_KERNELS, 'cpu'), []);
  assert.equal(fastKernelsInstalled('cpu'), false);

  installKernels('cpu', { fast: true });
  assert.deepEqual(ours(CPU_KERNELS, 'cpu'), CPU_KERNELS, 'installing ours again works');
});

test('wasm: every kernel of ours and our module; with fast: false only the Conv2DBackpropFilter wasm lacks', async () => {
  await useBackend('wasm');
  const fast = installKernels('wasm');
  assert.equal(fast.fast, true);
  assert.deepEqual(fast.replaced, ['matMul', 'conv gradients', 'gather/slice', 'softplus', 'sum', 'bias add', 'identity', 'LSTM layers', 'Adam']);
  assert.deepEqual(ours(WASM_KERNELS, 'wasm'), WASM_KERNELS);
  assert.ok(nativeKernelsAvailable());
  assert.equal(fastKernelsInstalled('wasm'), true);

  const stock = installKernels('wasm', { fast: false });
  assert.deepEqual(stock, { fast: false, replaced: [], details: ['stock kernels, plus the Conv2DBackpropFilter it lacks'] });
  assert.ok(!isOurKernel(tf.BatchMatMul, 'wasm'), 'wasm: tfjs\'s own matMul is back');
  assert.ok(!isOurKernel(tf.Conv2DBackpropInput, 'wasm'));
  assert.deepEqual(ours(WASM_KERNELS, 'wasm'), [tf.Conv2DBackpropFilter], 'no conv layer could train on wasm without it');
  assert.equal(nativeKernelsAvailable(), false, 'our wasm module is unlinked');
  assert.equal(fastKernelsInstalled('wasm'), false);

  const again = installKernels('wasm');
  assert.ok(isOurKernel(tf.BatchMatMul, 'wasm') && nativeKernelsAvailable(), 'installing ours again works');
  assert.deepEqual(again.replaced, fast.replaced);

  const noModule = installKernels('wasm', { native: 'off' });
  assert.equal(nativeKernelsAvailable(), false, "native: 'off' links no module");
  assert.ok(!noModule.details.some((d) => d.startsWith('relaxed SIMD')), noModule.details.join('; '));
  assert.ok(!noModule.replaced.includes('LSTM layers'), 'without our module, LSTM layers run the steps written out');
  assert.deepEqual(ours(WASM_KERNELS, 'wasm'), WASM_KERNELS, 'the kernels stay ours (they fall back to JavaScript loops)');
  installKernels('wasm');
});

test('tensorflow (tfjs-node): nothing of ours, and nothing counts as installed elsewhere', async () => {
  await useBackend('cpu');
  assert.deepEqual(installKernels('tensorflow'), { fast: false, replaced: [], details: [] });
  assert.equal(isOurKernel(tf.BatchMatMul, 'cpu'), true, 'the active backend is untouched');
  assert.equal(fastKernelsInstalled('tensorflow'), false);
  assert.equal(fastKernelsInstalled('webgl'), false);
});
