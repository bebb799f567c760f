import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CPU_QUICK_IMAGE_SHARE, lessonBatch, lessonImages, MIN_LESSON_BATCH, startLesson } from '../src/lesson';

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
    lesson.claim({ id: 'first-claim', statement: 'Two is more than one.', holds: false, figures: { two: 2 } });
    assert.deepEqual(lesson.claims.map((c) => [c.id, c.holds, c.key, c.seed, c.mode, c.backend]), [
      ['first-claim', false, true, 3, 'quick', 'cpu'],
      ['second-claim', false, false, 3, 'quick', 'cpu'],
    ]);
    assert.ok(printed.some((line) => line.startsWith('✘ Not held in this run: One is more than two.')));
    assert.ok(printed.some((line) => line.includes('Either outcome is possible')));
    lesson.figures([{ figure: 'answer', value: 42 }]);
    assert.ok(printed.some((line) => line.includes('The figures of this run') && line.includes('42')));
    assert.throws(() => lesson.figures([{ figure: 'a', value: 1 }, { figure: 'a', value: 2 }]), /'a' is listed twice/);
  } finally {
    console.log = log;
    delete process.env.AE_BACKEND;
  }
});
