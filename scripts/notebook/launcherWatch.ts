/**
 * Notices when the commands that started this process end, so that the notebook runner (and with
 * it its kernel) does not outlive them.
 *
 * `npm run lessons` runs the runner as npm → sh → tsx → runner. A SIGTERM to npm, or a SIGKILL to
 * npm or to tsx, ends that launcher without passing anything on, and the runner would go on with
 * nobody to report to (a cell that loops forever would keep a core busy for good). The launchers
 * are the runner's ancestors in its own process group, up to npm if it is one of them (a shell
 * starts `npm run …` as a job, in a group of its own). Every PARENT_CHECK_MS the chain is read
 * again from /proc: when any of them has ended, its child has a new parent, and the chain is broken.
 * Without /proc (macOS, Windows) only this process's own parent is watched.
 */
import * as fs from 'fs';
import * as path from 'path';

const PARENT_CHECK_MS = 500;

interface ProcessLink {
  pid: number;
  parent: number;
  group: number;
}

/** A process's parent and process group, from /proc/PID/stat; undefined if it has gone. */
function linkOf(pid: number): ProcessLink | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After the command name in parentheses: state, parent, process group.
  const [, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, parent: Number(parent), group: Number(group) };
}

/** True when `pid` runs npm or npx (its command line names npm-cli.js, npx-cli.js, npm or npx). */
function isNpm(pid: number): boolean {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 2);
    return args.some((arg) => /^(npm|npx)(-cli\.js)?$/.test(path.basename(arg)));
  } catch {
    return false;
  }
}

/** This process and its launchers, child first: each entry's parent is the next entry. */
function launcherChain(): ProcessLink[] {
  const chain: ProcessLink[] = [];
  let link = linkOf(process.pid);
  const group = link?.group;
  while (link) {
    chain.push(link);
    if (link.parent <= 1 || (chain.length > 1 && isNpm(link.pid))) break;
    const parent = linkOf(link.parent);
    if (!parent || parent.group !== group) break;
    link = parent;
  }
  return chain;
}

/**
 * Calls `onGone` once, with a sentence saying which process ended, as soon as one of this
 * process's launchers has ended. Returns a function that stops watching. The timer never keeps
 * the process alive.
 */
export function watchLaunchers(onGone: (why: string) => void): () => void {
  const chain = launcherChain();
  const parentAtStart = process.ppid;
  const broken = (): string | undefined => {
    if (process.ppid !== parentAtStart) return `its parent ${parentAtStart} ended`;
    // The last entry's own parent may come and go (it is not a launcher).
    for (const link of chain.slice(0, -1)) {
      if (linkOf(link.pid)?.parent !== link.parent) return `its launcher ${link.parent} ended`;
    }
    return undefined;
  };
  const timer = setInterval(() => {
    const why = broken();
    if (why) {
      clearInterval(timer);
      onGone(why);
    }
  }, PARENT_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
