import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { copyBlock } from '../../src/backend/wasmGather';
import { useBackend } from '../helpers';

type Case = { name: string; run: () => tf.Tensor };

const source = (shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') =>
  tf.tidy(() => {
    const t = tf.randomUniform(shape, -3, 3, 'float32', 11);
    return dtype === 'float32' ? t : dtype === 'int32' ? t.round().toInt() : t.greater(0);
  });

const CASES: Case[] = [
  { name: 'gather rows of a matrix, repeated and out of order', run: () => tf.gather(source([9, 5]), tf.tensor1d([4, 0, 8, 4, 2], 'int32')) },
  { name: 'gather from a vector', run: () => tf.gather(source([7]), tf.tensor1d([6, 1], 'int32')) },
  { name: 'gather images (4-D) with a 2-D index', run: () => tf.gather(source([6, 3, 3, 2]), tf.tensor2d([[5, 0], [1, 1]], [2, 2], 'int32')) },
  { name: 'gather int32 and bool rows', run: () => tf.concat([tf.gather(source([5, 3], 'int32'), [3, 1]).toFloat(), tf.gather(source([5, 3], 'bool'), [0, 4]).toFloat()]) },
  { name: 'gather along axis 1 (stock kernel)', run: () => tf.gather(source([4, 6]), tf.tensor1d([5, 0, 2], 'int32'), 1) },
  { name: 'slice rows (contiguous)', run: () => tf.slice(source([10, 4]), [3, 0], [5, -1]) },
  { name: 'slice a 2-D block', run: () => tf.slice(source([6, 7]), [1, 2], [4, 3]) },
  { name: 'slice a 3-D block', run: () => tf.slice(source([4, 5, 6]), [1, 0, 2], [2, 5, 3]) },
  { name: 'slice a 6-D block', run: () => tf.slice(source([2, 3, 2, 3, 2, 4]), [1, 1, 0, 1, 1, 2], [1, 2, 2, 2, 1, 2]) },
  { name: 'slice int32', run: () => tf.slice(source([5, 5], 'int32'), [2, 1], [2, 3]).toFloat() },
  { name: 'empty slice', run: () => tf.slice(source([4, 4]), [1, 1], [0, 2]) },
];

for (const c of CASES) {
  test(`wasm ${c.name} matches cpu`, async () => {
    await useBackend('cpu');
    const expected = tf.tidy(() => { const t = c.run(); return { shape: t.shape, values: Array.from(t.dataSync()) }; });
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = tf.tidy(() => { const t = c.run(); return { shape: t.shape, values: Array.from(t.dataSync()) }; });
    assert.equal(tf.memory().numTensors, before, 'nothing leaks');
    assert.deepEqual(actual, expected);
  });
}

test('wasm gather refuses an index outside the tensor, like tfjs', async () => {
  await useBackend('wasm');
  const x = tf.zeros([3, 2]);
  assert.throws(() => tf.gather(x, tf.tensor1d([1, 3], 'int32')), /GatherV2: the index value 3 is not in \[0, 2\]/);
  x.dispose();
});

test('copyBlock copies exactly the requested block', () => {
  const values = Float32Array.from({ length: 24 }, (_, i) => i); // shape [2, 3, 4]
  const out = new Float32Array(4);
  copyBlock(values, [2, 3, 4], [1, 1, 1], [1, 2, 2], out);
  assert.deepEqual(Array.from(out), [17, 18, 21, 22]);
});
