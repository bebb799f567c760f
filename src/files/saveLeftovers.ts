/**
 * What a save of PARENT/NAME leaves beside its target while it runs, and how a later load or save
 * tells those leftovers from a user's files.
 *
 * Each save has a stamp, PID-TIME-RAND (process id, Date.now(), 8 hex digits), and writes, in this
 * order: the marker file `.NAME.save-STAMP` (which process saves: see ./processIdentity.ts), the
 * staged folder `.NAME.saving-STAMP`; then it moves the old model aside as `.NAME.old-STAMP`. A
 * folder is taken for a leftover only when its name has this form and either its marker exists
 * or, for saves by this version from before markers existed, it holds nothing but a saved model's
 * files.
 * Anything else with a similar name (`.results.old-999999-1`, a folder holding a user's notes) is
 * not ours, and nothing here ever touches it.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileSynced } from './atomicFiles';
import { ProcessIdentity, runsSince, stillRuns, thisProcess } from './processIdentity';

/** What a marker file holds, and the `format` that tells it from a user's file. */
export const SAVE_MARKER_FORMAT = 'autoencoder-lessons-save';

interface SaveMarker {
  format: typeof SAVE_MARKER_FORMAT;
  owner: ProcessIdentity;
}

/** PID-TIME-RAND: a process id, a Date.now() of 13 digits, 8 hex digits. */
const STAMP = /^(\d+)-(\d{13})-([0-9a-f]{8})$/;

export type LeftoverRole = 'saving' | 'old';

/** The traces of one save (one stamp): its marker and the folders it left. */
export interface SaveTrace {
  stamp: string;
  pid: number;
  /** When the save started (Date.now()). */
  time: number;
  /** The marker file and the process it names; missing for saves from before markers. */
  marker?: { path: string; owner: ProcessIdentity };
  folders: { role: LeftoverRole; path: string }[];
}

/** A new stamp for a save by this process. */
export function newStamp(): string {
  return `${process.pid}-${Date.now()}-${crypto.randomBytes(4).toString('hex')}`;
}

/** `.NAME.saving-STAMP`, `.NAME.old-STAMP` or (the marker) `.NAME.save-STAMP`, beside `target`. */
export function leftoverPath(target: string, role: LeftoverRole | 'save', stamp: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${role}-${stamp}`);
}

/** Writes the marker of a save (before anything else of it) and returns its path. */
export function writeSaveMarker(target: string, stamp: string): string {
  const file = leftoverPath(target, 'save', stamp);
  const marker: SaveMarker = { format: SAVE_MARKER_FORMAT, owner: thisProcess() };
  writeFileSynced(file, JSON.stringify(marker));
  return file;
}

function readMarker(file: string, pid: number): SaveMarker | undefined {
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    const marker = JSON.parse(fs.readFileSync(file, 'utf8')) as SaveMarker;
    const ours = marker?.format === SAVE_MARKER_FORMAT && marker.owner?.pid === pid;
    return ours ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** True when `dir` is a folder holding nothing but regular files named in `files`. */
function holdsOnly(dir: string, files: readonly string[]): boolean {
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false;
    const isOurFile = (name: string) =>
      files.includes(name) && fs.lstatSync(path.join(dir, name)).isFile();
    return fs.readdirSync(dir).every(isOurFile);
  } catch {
    return false;
  }
}

/**
 * Every save of `target` that left something behind, with only the folders recognised as its
 * own (see the header); `formatFiles` are the names of the files a save writes (./folderSave.ts).
 */
export function findSaves(target: string, formatFiles: readonly string[]): SaveTrace[] {
  const parent = path.dirname(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
  const traces = new Map<string, SaveTrace>();
  const trace = (stamp: string, match: RegExpExecArray): SaveTrace => {
    if (!traces.has(stamp)) {
      traces.set(stamp, { stamp, pid: Number(match[1]), time: Number(match[2]), folders: [] });
    }
    return traces.get(stamp)!;
  };
  const prefix = `.${path.basename(target)}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const role = /^(saving|old|save)-/.exec(entry.slice(prefix.length))?.[1];
    const stamp = role ? entry.slice(prefix.length + role.length + 1) : '';
    const match = STAMP.exec(stamp);
    if (!role || !match) continue;
    const file = path.join(parent, entry);
    if (role === 'save') {
      const marker = readMarker(file, Number(match[1]));
      if (marker) trace(stamp, match).marker = { path: file, owner: marker.owner };
    } else {
      trace(stamp, match).folders.push({ role: role as LeftoverRole, path: file });
    }
  }
  const saves = [...traces.values()];
  for (const save of saves) {
    // Without a marker, only folders that hold nothing but the format's files are the save's.
    if (!save.marker) save.folders = save.folders.filter((f) => holdsOnly(f.path, formatFiles));
  }
  return saves.filter((save) => save.marker || save.folders.length > 0);
}

/**
 * True when the save may still be running in another process: its marker names a process that
 * still runs (same start time), or, without a marker, a process with its id started before it.
 * A save of this process is never running: saves are synchronous, so it is one that failed.
 */
export function runsElsewhere(save: SaveTrace): boolean {
  if (save.marker) {
    const me = thisProcess();
    const owner = save.marker.owner;
    const isMe = owner.pid === me.pid && (owner.started === undefined || owner.started === me.started);
    if (isMe) return false;
    return stillRuns(owner);
  }
  if (save.pid === process.pid) return false;
  return runsSince(save.pid, save.time);
}
