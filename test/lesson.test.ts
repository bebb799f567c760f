import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { below } from '../src/comparisons';
import { CPU_QUICK_IMAGE_SHARE, lessonBatch, lessonImages, MIN_LESSON_BATCH, runHeaderBundle, startLesson } from '../src/lesson';

test('lesson.images: full mode takes the full value on every backend; quick mode shrinks only on cpu', () => {
  for (const backend of ['tensorflow', 'wasm', 'cpu']) assert.equal(lessonImages('full', backend, 2000, 10000), 10000);
  assert.equal(lessonImages('quick', 'wasm', 2000, 10000), 2000);
  assert.equal(lessonImages('quick', 'tensorflow', 2000, 10000), 2000);
  assert.equal(lessonImages('quick', 'cpu', 2000, 10000), Math.round(2000 * CPU_QUICK_IMAGE_SHARE));
  assert.ok(CPU_QUICK_IMAGE_SHARE > 0 && CPU_QUICK_IMAGE_SHARE < 1);
  assert.equal(lessonImages('quick', 'cpu', 1, 10), 1, 'never zero images');
});

test('lesson.batch: the same steps per epoch on cpu quick mode (a quarter of the images, a quarter of the batch)', () => {
  assert.equal(lessonBatch('quick', 'wasm', 64), 64);
  assert.equal(lessonBatch('full', 'cpu', 64), 64);
  assert.equal(lessonBatch('quick', 'cpu', 64), 16);
  assert.equal(lessonBatch('quick', 'cpu', 4), 4, 'never above the size asked for');
  assert.equal(lessonBatch('quick', 'cpu', 16), MIN_LESSON_BATCH, 'never below the minimum');
  assert.throws(() => lessonBatch('quick', 'cpu', 0), /size must be a whole number > 0/);
});

test('lesson.claim shows held / not held, replaces a re-run cell\'s verdict, and lesson.figures records the table', async () => {
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(String(line));
  try {
    process.env.AE_BACKEND = 'cpu';
    const lesson = await startLesson({ title: 'test lesson', seed: 3, mode: 'quick' });
    lesson.claim({ id: 'first-claim', statement: 'Two is more than one.', holds: 2 > 1, figures: { two: 2 } });
    lesson.claim({ id: 'second-claim', statement: 'One is more than two.', holds: false, figures: { one: 1 }, key: false });
    lesson.claim('first-claim', 'Two is more than one.', below({ two: 2 }, { one: 1 }));
    lesson.claimInFullMode('third-claim', 'Three is less than two.', below({ three: 3 }, { two: 2 }));
    lesson.outcome('fourth-claim', 'One is less than two.', below({ one: 1 }, { two: 2 }));
    assert.deepEqual(lesson.claims.map((c) => [c.id, c.holds, c.key, c.keyIn, c.seed, c.mode, c.backend]), [
      ['first-claim', false, true, 'both', 3, 'quick', 'cpu'],
      ['second-claim', false, false, 'none', 3, 'quick', 'cpu'],
      ['third-claim', false, false, 'full', 3, 'quick', 'cpu'],
      ['fourth-claim', true, false, 'none', 3, 'quick', 'cpu'],
    ]);
    assert.deepEqual(lesson.claims[0].figures, { two: 2, one: 1 });
    assert.ok(printed.some((line) => line.startsWith('✘ Not held in this run: Two is more than one.')));
    assert.ok(printed.some((line) => line.startsWith('◆ On this run: no: One is more than two.')));
    assert.ok(printed.some((line) => line.startsWith('◇ Full mode checks this: Three is less than two.')));
    assert.ok(printed.some((line) => line.startsWith('◆ On this run: yes: One is less than two.')));
    assert.ok(printed.some((line) => line.startsWith('This run: test lesson · quick mode · seed 3 · cpu · ')));
    lesson.figures([{ figure: 'answer', value: 42 }]);
    assert.ok(printed.some((line) => line.includes('The figures of this run') && line.includes('42')));
    assert.throws(() => lesson.figures([{ figure: 'a', value: 1 }, { figure: 'a', value: 2 }]), /'a' is listed twice/);
  } finally {
    console.log = log;
    delete process.env.AE_BACKEND;
  }
});

test('the run header is one line, the versions one click away', () => {
  const at = new Date('2026-12-06T22:40:31Z');
  const bundle = runHeaderBundle({ title: '01 The bottleneck', mode: 'quick', seed: 1 }, 'wasm', { tslab: '1.0.22' }, at);
  assert.equal(bundle['text/plain'].split('\n')[0], 'This run: 01 The bottleneck · quick mode · seed 1 · wasm · 2026-12-06 22:40 UTC');
  assert.match(bundle['text/html'], /^<details class="ae-run".*<summary>This run: 01 The bottleneck · quick mode/);
  assert.match(bundle['text/html'], /<td[^>]*>tslab<\/td><td[^>]*>1\.0\.22<\/td>/);
  // The backend's report (why it was chosen, which kernels) sits behind the same click.
  const report = 'Backend: wasm (fastest that loaded, SIMD on, our faster kernels: matMul & <sum>).';
  const withReport = runHeaderBundle({ title: '01', mode: 'quick', seed: 1 }, 'wasm', { tslab: '1.0.22' }, at, report);
  assert.match(withReport['text/html'], /<summary>This run: 01 · quick mode · seed 1 · wasm · [^<]*\(backend and versions\)<\/summary><p>Backend: wasm \(fastest that loaded, SIMD on, our faster kernels: matMul &amp; &lt;sum&gt;\)\.<\/p>/);
  assert.equal(withReport['text/plain'].split('\n')[1], `  ${report}`);
});

test('lesson.section releases the previous section\'s tensors, except kept ones, data and weights', async () => {
  process.env.AE_BACKEND = 'cpu';
  const log = console.log;
  console.log = () => {};
  try {
    const lesson = await startLesson({ title: 'scopes', seed: 1, mode: 'quick' });
    const data = tf.ones([4, 3]);
    const before = tf.memory().numTensors;
    lesson.section('first');
    const weights = tf.variable(tf.zeros([2]));
    const scratch = data.mul(2);
    const kept = lesson.keep({ mean: data.mean(0), note: 'not a tensor' });
    tf.tidy(() => scratch.add(1));
    assert.ok(tf.memory().numTensors > before + 2);
    lesson.section('second');
    assert.equal(scratch.isDisposed, true, 'made in the first section: released');
    assert.equal(kept.mean.isDisposed, false, 'kept');
    assert.equal(data.isDisposed, false, 'made before the first section');
    assert.equal(weights.isDisposed, false, 'a variable');
    const late = data.add(1);
    lesson.figures([{ figure: 'x', value: 1 }]);
    assert.equal(late.isDisposed, true, 'the figures cell ends the last section');
    assert.throws(() => lesson.section(' '), /give the section a title/);
    assert.throws(() => lesson.keep(3), /give a tensor/);
    tf.dispose([data, weights, kept.mean]);
    assert.equal(tf.memory().numTensors, before - 1, 'nothing else left');
  } finally {
    console.log = log;
    delete process.env.AE_BACKEND;
  }
});
