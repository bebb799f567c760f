/**
 * Which process is saving a model, and whether that process still runs.
 *
 * A process id alone is not enough: after a save is killed, the system may give its id to a new
 * process, and a leftover would then look like a save still going on. On Linux a process is also
 * known by its start time (field 22 of /proc/PID/stat, in clock ticks since boot) and the boot it
 * belongs to (/proc/sys/kernel/random/boot_id); a process with the same id but another start time
 * or boot is another process. Where /proc is missing (macOS, Windows) only the id can be checked,
 * and a leftover of a reused id is left alone (never wrongly removed).
 */
import * as fs from 'fs';

/** What identifies a process across id reuse; `started` and `boot` are missing where /proc is. */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot, as /proc/PID/stat gives it. */
  started?: string;
  /** The boot's id, /proc/sys/kernel/random/boot_id. */
  boot?: string;
}

/** Linux reports process start times in units of 1/100 s (USER_HZ) on every architecture. */
const TICKS_PER_SECOND = 100;
/** Start times from /proc are exact to a tick, boot times to a second: allow for both. */
const START_TIME_SLACK_MS = 2000;

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat (start time in ticks since boot); undefined without /proc. */
function startTicks(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[19];
}

function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id');
}

/** The identity of this process. */
export function thisProcess(): ProcessIdentity {
  return { pid: process.pid, started: startTicks(process.pid), boot: bootId() };
}

/** True when a process with this id exists (also one we may not signal). */
function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the process `identity` names still runs: same id and, where known, start and boot. */
export function stillRuns(identity: ProcessIdentity): boolean {
  if (!pidExists(identity.pid)) return false;
  const boot = bootId();
  if (identity.boot !== undefined && boot !== undefined && identity.boot !== boot) return false;
  const started = startTicks(identity.pid);
  if (identity.started === undefined || started === undefined) return true;
  return started === identity.started;
}

/**
 * True when a process with id `pid` runs and may be the one that was running at `timeMs` (a
 * Date.now() value): one that started clearly later is another process that got the same id.
 */
export function runsSince(pid: number, timeMs: number): boolean {
  if (!pidExists(pid)) return false;
  const ticks = Number(startTicks(pid));
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readText('/proc/stat') ?? '')?.[1]);
  if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return true;
  const startedMs = bootSeconds * 1000 + (ticks * 1000) / TICKS_PER_SECOND;
  return startedMs <= timeMs + START_TIME_SLACK_MS;
}
