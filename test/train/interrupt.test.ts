import { mock, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TrainingInterrupted, watchInterrupts, YIELD_INTERVAL_MS } from '../../src/train/interrupt';

/** A flag that a macrotask queued now sets: true after an await only if that await yielded to the event loop. */
function macrotaskFlag(): { ran: boolean } {
  const flag = { ran: false };
  setImmediate(() => (flag.ran = true));
  return flag;
}

test('the SIGINT listener is added only after a turn of the event loop, and stop() removes it', async () => {
  const before = process.listenerCount('SIGINT');
  const pending = watchInterrupts();
  assert.equal(process.listenerCount('SIGINT'), before, 'no listener while the calling code still runs synchronously');
  const watch = await pending;
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  watch.stop();
  assert.equal(process.listenerCount('SIGINT'), before);
  watch.stop();
  assert.equal(process.listenerCount('SIGINT'), before, 'stopping twice is harmless');
});

test('requested turns true on SIGINT, and stays false for a watch that was stopped', async () => {
  const watch = await watchInterrupts();
  const stopped = await watchInterrupts();
  stopped.stop();
  try {
    assert.equal(watch.requested, false);
    process.emit('SIGINT');
    assert.equal(watch.requested, true);
    assert.equal(stopped.requested, false, 'a stopped watch no longer listens');
  } finally {
    watch.stop();
  }
});

test(`yieldIfDue yields to the event loop only once ${YIELD_INTERVAL_MS} ms have passed since the last yield`, async () => {
  let now = 1_000_000;
  const clock = mock.method(Date, 'now', () => now);
  const watch = await watchInterrupts(); // the clock starts here
  try {
    now += YIELD_INTERVAL_MS - 1;
    let flag = macrotaskFlag();
    await watch.yieldIfDue();
    assert.equal(flag.ran, false, `${YIELD_INTERVAL_MS - 1} ms: no yield`);
    now += 1;
    await watch.yieldIfDue();
    assert.equal(flag.ran, true, `${YIELD_INTERVAL_MS} ms: a turn of the event loop`);
    flag = macrotaskFlag();
    await watch.yieldIfDue();
    assert.equal(flag.ran, false, 'the interval counts again from the last yield');
    now += YIELD_INTERVAL_MS;
    await watch.yieldIfDue();
    assert.equal(flag.ran, true);
  } finally {
    watch.stop();
    clock.mock.restore();
  }
});

test('TrainingInterrupted carries the history and a stack that is just its message', () => {
  const history = { rows: [] };
  const error = new TrainingInterrupted('training stopped', history);
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'TrainingInterrupted');
  assert.equal(error.history, history);
  assert.equal(error.stack, 'TrainingInterrupted: training stopped');
});
