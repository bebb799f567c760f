// @ts-check
// One install at a time: a second npm start that finds another installing waits for it, then uses
// what it installed. The lock is a folder (mkdir is atomic) holding the owner's process id; a lock
// whose owner has gone (killed mid-install) is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Whether process `pid` still runs. */
export function alive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Tries once to take the lock: true when taken; otherwise the owner's pid (or undefined while it
 * is still writing it). A lock left by a process that has ended is removed and taken.
 * @param {string} lockDir
 * @returns {true | number | undefined}
 */
export function tryLock(lockDir) {
  mkdirSync(dirname(lockDir), { recursive: true });
  try {
    mkdirSync(lockDir);
    writeFileSync(join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
  }
  let owner;
  try {
    owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return undefined; // just created: its owner is writing the pid
  }
  if (owner && !alive(owner)) {
    rmSync(lockDir, { recursive: true, force: true });
    return tryLock(lockDir);
  }
  return owner;
}

/**
 * Runs `fn` holding the lock, waiting for another holder first (up to `timeoutMs`).
 * @template T
 * @param {string} lockDir @param {() => T | Promise<T>} fn
 * @param {{ timeoutMs?: number, pollMs?: number, onWait?: (pid: number | undefined) => void }} [options]
 * @returns {Promise<T>}
 */
export async function withLock(lockDir, fn, { timeoutMs = 30 * 60_000, pollMs = 500, onWait = () => {} } = {}) {
  const start = Date.now();
  let told = false;
  for (;;) {
    const got = tryLock(lockDir);
    if (got === true) break;
    if (!told) {
      onWait(got);
      told = true;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`Another npm start (process ${got}) has held ${lockDir} for over ${Math.round(timeoutMs / 60_000)} minutes. If it is stuck, stop it (or remove that folder) and run npm start again.`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const release = () => rmSync(lockDir, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    process.off('exit', release);
    release();
  }
}
