/**
 * What the notebook commands (npm run lessons, npm run report) share: the --cell-timeout option
 * and a clean exit on Ctrl-C or SIGTERM that shuts the kernels down first.
 */
import * as os from 'os';
import { TslabKernel } from './kernel';

/** Milliseconds for `--cell-timeout SECONDS`; throws for anything but a positive number. */
export function parseCellTimeout(text: string | undefined): number {
  const secondsValue = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(secondsValue) || secondsValue <= 0) {
    throw new Error(`--cell-timeout takes a number of seconds greater than 0, got ${text ?? 'nothing'}.`);
  }
  return secondsValue * 1000;
}

/**
 * On the first SIGINT or SIGTERM, shuts down the kernels this process started, then exits with
 * the signal's usual code (130, 143). A second signal ends the process at once. (Were this process
 * killed outright, the kernels would still end: see kernel-watchdog.js.)
 */
export function shutDownKernelsOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      console.error(`\n${signal}: shutting down the kernel(s) and stopping.`);
      await TslabKernel.shutdownAll();
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}
