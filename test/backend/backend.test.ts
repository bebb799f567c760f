import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { backendFromEnvironment, fastKernelsFromEnvironment, setupBackend, threadsFromEnvironment } from '../../src/backend';
import { fastKernelsInstalled } from '../../src/backend/kernels';

const quiet = () => {};
const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);

test('AE_BACKEND is read and checked', () => {
  assert.equal(backendFromEnvironment({}), undefined);
  assert.equal(backendFromEnvironment({ AE_BACKEND: '' }), undefined);
  assert.equal(backendFromEnvironment({ AE_BACKEND: 'wasm' }), 'wasm');
  assert.throws(() => backendFromEnvironment({ AE_BACKEND: 'gpu' }), /AE_BACKEND=gpu is not a backend.*tensorflow, wasm, cpu/);
});

test('a missing tfjs-node falls through to wasm and the report says why', async () => {
  const lines: string[] = [];
  const report = await setupBackend({ nodeModule: 'tfjs-node-that-is-not-installed', log: (l) => lines.push(l) });
  assert.equal(report.backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(report.forced, false);
  assert.equal(report.skipped[0].backend, 'tensorflow');
  assert.match(report.skipped[0].reason, /not installed/);
  assert.equal(lines.length, 1, 'one line of report');
  assert.match(lines[0], /^Backend: wasm \(.*\)\. Skipped tensorflow: .*not installed/);
});

test('a tfjs-node that throws on load (Node 23+ isNullOrUndefined) falls through instead of crashing', async () => {
  const report = await setupBackend({ nodeModule: fixture('broken-tfjs-node'), log: quiet });
  assert.equal(report.backend, 'wasm');
  assert.match(report.skipped[0].reason, /isNullOrUndefined/);
  assert.match(report.skipped[0].reason, /does not run on Node/);
});

test('a tfjs-node that registers no backend is skipped with a reason', async () => {
  const report = await setupBackend({ nodeModule: fixture('tfjs-node-without-backend'), log: quiet });
  assert.equal(report.backend, 'wasm');
  assert.match(report.skipped[0].reason, /registered no 'tensorflow' backend/);
});

test('a forced backend that cannot load is an error, not a fallback', async () => {
  await assert.rejects(
    setupBackend({ force: 'tensorflow', nodeModule: fixture('broken-tfjs-node'), log: quiet }),
    /asked for the 'tensorflow' backend, but .*isNullOrUndefined.*Unset AE_BACKEND/,
  );
  await assert.rejects(setupBackend({ force: 'tpu' as never, log: quiet }), /force must be one of/);
});

test('forcing cpu and wasm works, and wasm reports SIMD and the added conv kernel', async () => {
  const cpu = await setupBackend({ force: 'cpu', log: quiet });
  assert.equal(cpu.backend, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(cpu.forced, true);
  assert.deepEqual(cpu.skipped, []);
  const wasm = await setupBackend({ force: 'wasm', log: quiet });
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(wasm.summary, /\(forced, /);
  assert.ok(wasm.details.some((d) => d.startsWith('SIMD')));
  assert.ok(wasm.details.includes('our faster kernels: matMul, conv gradients, gather/slice, softplus, sum, bias add, identity, LSTM layers, Adam'), wasm.summary);
  assert.ok(wasm.details.includes('relaxed SIMD on'), `Node 20+ compiles relaxed SIMD: ${wasm.summary}`);
  assert.ok(cpu.details.includes('our faster kernels: matMul, conv gradients, Adam'), cpu.summary);
  assert.notEqual(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
});

test('the environment variable forces a backend', async () => {
  process.env.AE_BACKEND = 'cpu';
  try {
    const report = await setupBackend({ log: quiet });
    assert.equal(report.backend, 'cpu');
    assert.equal(report.forced, true);
  } finally {
    delete process.env.AE_BACKEND;
  }
});

test('loading wasm leaves no process-wide error handlers behind (errors print normally)', async () => {
  await setupBackend({ force: 'wasm', log: quiet });
  // Emscripten's handlers rethrow: `if (!(ex instanceof ExitStatus)) throw ex` and `throw reason`.
  const handlers = [...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')].map(String);
  const emscripten = handlers.filter((source) => /ExitStatus|^function\s*\(reason\)\s*\{\s*throw reason/.test(source));
  assert.deepEqual(emscripten, []);
});

test('AE_THREADS is read and checked; the report says how many threads products use', async () => {
  assert.equal(threadsFromEnvironment({}), undefined);
  assert.equal(threadsFromEnvironment({ AE_THREADS: '1' }), 1);
  assert.equal(threadsFromEnvironment({ AE_THREADS: '2' }), 2);
  assert.throws(() => threadsFromEnvironment({ AE_THREADS: '4' }), /AE_THREADS=4 is not a thread count\. Use 1 or 2/);
  const one = await setupBackend({ force: 'wasm', threads: 1, log: () => {} });
  assert.match(one.summary, /products on 1 thread/);
  const two = await setupBackend({ force: 'wasm', threads: 2, log: () => {} });
  assert.match(two.summary, /large products on 2 threads/);
  const cpu = await setupBackend({ force: 'cpu', threads: 2, log: () => {} });
  assert.doesNotMatch(cpu.summary, /thread/, 'cpu products are JavaScript loops on one thread: nothing to report');
});

test('AE_KERNELS is read and checked', () => {
  assert.equal(fastKernelsFromEnvironment({}), undefined);
  assert.equal(fastKernelsFromEnvironment({ AE_KERNELS: 'stock' }), false);
  assert.equal(fastKernelsFromEnvironment({ AE_KERNELS: 'fast' }), true);
  assert.throws(() => fastKernelsFromEnvironment({ AE_KERNELS: 'slow' }), /AE_KERNELS=slow is not a kernel set.*fast.*stock/);
});

test('stock kernels: setupBackend asks for them, reports them, obeys AE_KERNELS, and can go back (the tfjs-node path)', async () => {
  // Which kernels are then registered is tested in kernels.test.ts, and which Adam train() gets in optimizer.test.ts.
  for (const backend of ['cpu', 'wasm'] as const) {
    const fast = await setupBackend({ force: backend, log: quiet });
    assert.equal(fast.fastKernels, true);
    const stock = await setupBackend({ force: backend, fastKernels: false, log: quiet });
    assert.equal(stock.fastKernels, false);
    assert.equal(fastKernelsInstalled(backend), false, `${backend}: tfjs's own kernels are in place`);
    assert.match(stock.summary, backend === 'wasm' ? /stock kernels, plus the Conv2DBackpropFilter it lacks/ : /cpu \(forced, stock kernels\)/);
    process.env.AE_KERNELS = 'stock';
    try {
      assert.equal((await setupBackend({ force: backend, log: quiet })).fastKernels, false, 'AE_KERNELS=stock is obeyed');
    } finally {
      delete process.env.AE_KERNELS;
    }
  }
  const again = await setupBackend({ force: 'wasm', log: quiet });
  assert.equal(again.fastKernels, true);
  assert.equal(fastKernelsInstalled('wasm'), true);
});
