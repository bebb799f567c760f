/**
 * What the notebook commands (npm run lessons, npm run report) share: the --cell-timeout option
 * and a clean exit, that shuts the kernels down first, on Ctrl-C, SIGTERM, or the end of npm.
 */
import * as os from 'os';
import { TslabKernel } from './kernel';
import { watchLaunchers } from './launcherWatch';

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
 * the signal's usual code (130, 143). A second signal ends the process at once (a group kill
 * brings two: one from the kill, one passed on by tsx). The same shutdown runs when the command
 * that started this process ends (npm or tsx killed: see launcherWatch.ts), so that no runner and
 * no kernel is left behind. (Were this process killed outright, the kernels would still end: see
 * kernel-watchdog.js.)
 */
export function shutDownKernelsOnSignals(): void {
  let stopping = false;
  const stop = async (why: string, code: number): Promise<void> => {
    if (stopping) process.exit(code);
    stopping = true;
    // The terminal may have gone with the launcher: a failed write must not end the shutdown.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    console.error(`\n${why}: shutting down the kernel(s) and stopping.`);
    await TslabKernel.shutdownAll();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stop(signal, 128 + os.constants.signals[signal]));
  }
  watchLaunchers((why) => void stop(`The command that started this runner ended (${why})`, 1));
}
