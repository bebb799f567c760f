/**
 * Preloaded into the tslab kernel by kernel.ts (`node --require kernel-watchdog.js tslab kernel …`)
 * so that the kernel dies with the runner that started it, even when the runner is killed with
 * SIGKILL and has no chance to shut the kernel down.
 *
 * The runner passes one end of a pipe as file descriptor NOTEBOOK_RUNNER_LIFELINE_FD and never
 * writes to it; the pipe closes when the runner's process ends, however it ends. A second check
 * notices the kernel being given a new parent. Both run in a worker thread: a cell stuck in a
 * synchronous loop blocks the kernel's own event loop, and that is exactly the kernel that must
 * go. The watchdog then removes the connection file the runner wrote for this kernel (and its
 * folder, once empty) and kills its own process with SIGKILL (the runner is gone: there is nobody
 * to report to, and a stuck cell would ignore anything gentler).
 *
 * Nothing else about the kernel changes: stdin stays as it was, the worker is unref'd (it never
 * keeps the kernel alive), and the variable is removed so that processes the kernel starts,
 * which also see this preload in process.execArgv, do nothing.
 */
'use strict';
const fs = require('fs');
const { isMainThread, Worker } = require('worker_threads');

const VARIABLE = 'NOTEBOOK_RUNNER_LIFELINE_FD';
const PARENT_CHECK_MS = 500;

const lifelineFd = Number(process.env[VARIABLE]);
if (isMainThread && Number.isInteger(lifelineFd) && lifelineFd > 2) {
  delete process.env[VARIABLE];
  const watch = `
    const fs = require('fs');
    const net = require('net');
    const path = require('path');
    const { workerData } = require('worker_threads');
    const die = () => {
      if (workerData.connectionFile) {
        fs.rmSync(workerData.connectionFile, { force: true });
        try {
          fs.rmdirSync(path.dirname(workerData.connectionFile));
        } catch {
          // Not empty, or gone: not ours to remove.
        }
      }
      process.kill(workerData.pid, 'SIGKILL');
    };
    const lifeline = new net.Socket({ fd: workerData.fd, readable: true, writable: false });
    lifeline.on('end', die);
    lifeline.on('close', die);
    lifeline.on('error', die);
    lifeline.resume();
    setInterval(() => { if (process.ppid !== workerData.ppid) die(); }, workerData.checkMs);
  `;
  const at = process.argv.indexOf('--config-path');
  const connectionFile = at > 0 ? process.argv[at + 1] : undefined;
  const worker = new Worker(watch, {
    eval: true,
    execArgv: [],
    workerData: { fd: lifelineFd, pid: process.pid, ppid: process.ppid, checkMs: PARENT_CHECK_MS, connectionFile },
  });
  // Written to the kernel's real stderr (the runner's kernel log), never into a cell's output.
  worker.on('error', (error) => fs.writeSync(2, `kernel-watchdog: ${error.stack ?? error}\n`));
  worker.unref();
}
