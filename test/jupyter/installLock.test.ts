import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { alive, tryLock, withLock } from '../../scripts/jupyter/installLock.mjs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ae-lock-'));

test('a second start waits for the first to finish installing, then goes on', async () => {
  const lock = path.join(tmp(), 'sub', 'install.lock');
  const order: string[] = [];
  let waitedFor: number | undefined;
  const first = withLock(lock, async () => {
    order.push('first starts');
    await new Promise((resolve) => setTimeout(resolve, 300));
    order.push('first ends');
  });
  const second = withLock(lock, () => { order.push('second runs'); }, { pollMs: 20, onWait: (pid) => { waitedFor = pid; } });
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first starts', 'first ends', 'second runs']);
  assert.equal(waitedFor, process.pid);
  assert.equal(fs.existsSync(lock), false, 'released');
});

test('the lock is released when the install throws', async () => {
  const lock = path.join(tmp(), 'install.lock');
  await assert.rejects(withLock(lock, () => { throw new Error('pip failed'); }), /pip failed/);
  assert.equal(tryLock(lock), true);
});

test('a lock left by a process that was killed is taken over', () => {
  const lock = path.join(tmp(), 'install.lock');
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const pid = Number(dead.stdout.trim());
  assert.equal(alive(pid), false);
  fs.mkdirSync(lock);
  fs.writeFileSync(path.join(lock, 'pid'), String(pid));
  assert.equal(tryLock(lock), true);
  assert.equal(fs.readFileSync(path.join(lock, 'pid'), 'utf8'), String(process.pid));
});

test('a lock held by a live process is not taken, and waiting for it too long says what to do', async () => {
  const lock = path.join(tmp(), 'install.lock');
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(holder.pid));
    assert.equal(tryLock(lock), holder.pid);
    await assert.rejects(withLock(lock, () => {}, { timeoutMs: 100, pollMs: 20 }), /Another npm start \(process \d+\).*remove that folder/s);
  } finally {
    holder.kill();
  }
});
