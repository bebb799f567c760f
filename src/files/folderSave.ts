/**
 * Saving a folder of files so that a kill at any point leaves the old folder or the new one, and
 * reading it back so that a reader never sees half of a save. Model saving (models/saving.ts) is
 * its user: it says which files make up a saved folder and how to check one (a `FolderFormat`).
 *
 * A save of PARENT/NAME:
 *   0. mark: write the marker .NAME.save-STAMP (STAMP is PID-TIME-RAND), naming this process;
 *   1. stage: write .NAME.saving-STAMP/ and the format's files in order (each fsync'd), fsync it;
 *   2. rename NAME to .NAME.old-STAMP: the commit point, after which the new folder wins;
 *   3. rename the staged folder to NAME;
 *   4. remove the old folder, file by file (never recursively), then the marker. The parent is
 *      fsync'd after each rename.
 * Every read and save of NAME first recovers the leftovers of a process that is no longer running
 * (or of this one): if NAME is missing (as after a kill between 2 and 3), the newest complete
 * staged folder is renamed into place, else the newest old one; then the other leftovers are
 * removed. A kill before step 2 thus keeps the old folder, a kill after it gives the new one.
 * Leftovers of a save still running elsewhere, and folders this code did not create, are left
 * alone (how they are told apart, also after a process id was reused: ./saveLeftovers.ts).
 *
 * A read that meets a save of another process waits for it (at most SAVE_WAIT_MS) and reads the
 * old or the new folder, never a mix. When two saves to one folder overlap so that one cannot put
 * its folder in place, that one throws, saying another save won, and leaves nothing behind. A
 * save replaces only a missing or empty folder or one the same format wrote; a folder it could not
 * clean up afterwards (a read-only one) is refused before any change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fsyncDirectory, writeFileSynced } from './atomicFiles';
import {
  findSaves, LeftoverRole, leftoverPath, newStamp, runsElsewhere, SaveTrace, writeSaveMarker,
} from './saveLeftovers';

/** What is saved as one folder, and how to recognise and check one. */
export interface FolderFormat {
  /** The function that saves such folders, for messages: 'saveModel'. */
  writer: string;
  /** What one folder is, for messages: 'a saved model'. */
  what: string;
  /** What it holds, for messages: 'model'. */
  noun: string;
  /** The files a save writes, in this order; the last one says what the folder is. */
  files: readonly string[];
  /** Why the folder's last file is not one `writer` wrote, or undefined when it is. */
  notOurs(dir: string): string | undefined;
  /** True when `dir` holds a whole folder that checks out. */
  isComplete(dir: string): boolean;
}

/** The steps of a save, in order, as reported to writeFolder's `onStep` (the crash tests stop at each). */
export const SAVE_STEPS = [
  'marked',
  'staging-created',
  'first-file-written',
  'last-file-written',
  'staged',
  'old-moved-aside',
  'new-in-place',
  'old-partly-removed',
  'old-removed',
  'done',
] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

/** How long a read waits for a save that another process is making to the same folder. */
export const SAVE_WAIT_MS = 5000;
const SAVE_POLL_MS = 20;

/** The error codes of a file or folder that another process removed or replaced meanwhile. */
const RACED = ['ENOENT', 'ENOTEMPTY', 'EEXIST'];

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? '';
}

/** True when something (a file, a folder, a link) is at `file`. */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errorCode(error))) return false;
    throw error;
  }
}

/** Removes a folder a save made: the format's files, then the folder. Anything else in it stays, and so does the folder. */
function removeSavedFolder(dir: string, format: FolderFormat, onStep: (step: SaveStep) => void = () => {}): void {
  format.files.forEach((name, i) => {
    const file = path.join(dir, name);
    try {
      if (fs.lstatSync(file).isFile()) fs.unlinkSync(file);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    if (i === 0) onStep('old-partly-removed');
  });
  try {
    fs.rmdirSync(dir);
  } catch (error) {
    if (!RACED.includes(errorCode(error))) throw error;
  }
}

/** True when `dir` still holds a file of the format. */
function holdsFormatFiles(dir: string, format: FolderFormat): boolean {
  return format.files.some((name) => exists(path.join(dir, name)));
}

/**
 * Removes what a finished or abandoned save left: its folders (the format's files only), then its
 * marker. A folder whose files cannot be removed (a read-only one) stays, with its marker, for a
 * later attempt: it never keeps the folder in place from being read. A folder that stays only
 * because it holds someone else's files is theirs from then on.
 */
function removeTraces(save: SaveTrace, format: FolderFormat): void {
  for (const folder of save.folders) {
    try {
      if (exists(folder.path)) removeSavedFolder(folder.path, format);
    } catch {
      // Left for a later attempt.
    }
  }
  if (save.marker && !save.folders.some((folder) => holdsFormatFiles(folder.path, format))) {
    fs.rmSync(save.marker.path, { force: true });
  }
}

/**
 * Finishes or undoes the saves of `target` that a dead process (or this one) left half done: if
 * the target is missing, renames the newest complete staged folder into place, else the newest
 * old one; then removes the other leftovers. Leftovers of a save still running elsewhere, and
 * folders that are not recognisably ours (./saveLeftovers.ts), are left alone.
 */
function recoverInterruptedSave(target: string, format: FolderFormat): void {
  const stale = findSaves(target, format.files).filter((save) => !runsElsewhere(save));
  if (stale.length === 0) return;
  const parent = path.dirname(target);
  if (!exists(target)) {
    const newestFirst = [...stale].sort((a, b) => b.time - a.time);
    const folders = (role: LeftoverRole) => newestFirst.flatMap((s) => s.folders.filter((f) => f.role === role));
    const [staged, old] = [folders('saving'), folders('old')];
    // An old folder that does not check out is still the user's: put it back rather than delete it.
    const chosen = [...staged, ...old].find((folder) => format.isComplete(folder.path)) ?? old[0];
    if (chosen) {
      try {
        fs.renameSync(chosen.path, target);
      } catch (error) {
        // Another process recovered it first: its result is the same.
        if (!RACED.includes(errorCode(error))) {
          throw new Error(
            `${target} is missing, but the ${format.noun} saved there is in ${chosen.path} and cannot be moved back ` +
              `(${(error as Error).message}). Make ${parent} writable and try again.`,
          );
        }
      }
      fsyncDirectory(parent);
    }
  }
  for (const save of stale) removeTraces(save, format);
  fsyncDirectory(parent);
}

/** True when another process is saving to `target` right now. */
function saveRunsElsewhere(target: string, format: FolderFormat): boolean {
  return findSaves(target, format.files).some(runsElsewhere);
}

/**
 * Throws unless every folder on the way to `target` that exists is a folder (ENOTDIR otherwise),
 * naming the file that is in the way.
 */
function checkPathIsFolders(target: string, shown: string, what: string): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    if (exists(dir)) {
      if (!fs.statSync(dir).isDirectory()) {
        throw new Error(`${what}: ${shown} cannot be a folder, because ${dir} is a file. Choose a path under a folder.`);
      }
      return;
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Throws, naming `dir` and what it takes, unless it is a non-empty string. */
export function checkFolderArgument(dir: unknown, what: string): asserts dir is string {
  if (typeof dir !== 'string' || dir.trim() === '') {
    const got = typeof dir === 'string' ? JSON.stringify(dir) : String(dir);
    throw new Error(`${what}: dir must be the path of a folder, such as 'build/models/encoder', got ${got}.`);
  }
}

/** Throws, naming `shown` and the fix, unless `target` is missing, an empty folder, or one the format's writer wrote. */
function checkReplaceable(target: string, shown: string, format: FolderFormat): void {
  if (!exists(target)) return;
  const refuse = (why: string, fix = 'choose another folder or remove it yourself') =>
    new Error(`${format.writer} will not replace ${shown}: ${why}. Nothing was changed; ${fix}.`);
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) throw refuse(`it is a symbolic link, not ${format.what}`);
  if (!stat.isDirectory()) throw refuse(`it is a file, not ${format.what}`);
  const entries = fs.readdirSync(target);
  const foreign = entries.filter((entry) => !format.files.includes(entry));
  if (foreign.length > 0) {
    const shownForeign = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw refuse(`the folder holds ${shownForeign}, which ${format.writer} did not write`);
  }
  for (const entry of entries) if (!fs.lstatSync(path.join(target, entry)).isFile()) throw refuse(`its ${entry} is not a file`);
  if (entries.length > 0) {
    const last = format.files[format.files.length - 1];
    if (!entries.includes(last)) {
      throw refuse(`it holds ${entries.join(', ')} but no ${last}, so it is not recognisably ${format.what}`);
    }
    const why = format.notOurs(target);
    if (why !== undefined) throw refuse(why);
  }
  // The old files are removed once the new folder is in place: a folder whose files cannot be
  // removed would be left beside it for good, so it is refused before anything changes.
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    throw refuse('the folder is read-only', `make it writable (chmod u+w '${shown}') or choose another folder`);
  }
}

/** Throws, naming the folder and the fix, unless this process may create files in `parent`. */
function checkParentWritable(parent: string, shown: string, format: FolderFormat): void {
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    throw new Error(
      `${format.writer} cannot save to ${shown}: its folder ${parent} is read-only. Nothing was changed; ` +
        'make that folder writable or choose another one.',
    );
  }
}

/**
 * Writes `contents` (one per file of the format, in its order) as the folder `dir` by the protocol
 * in the header: recovers an interrupted save, refuses to replace what the format's writer did not
 * write, then marks the save, stages, swaps and cleans up. `onStep` lets the crash tests stop a
 * save at each step.
 */
export function writeFolder(
  dir: string, format: FolderFormat, contents: readonly (Uint8Array | string)[], onStep: (step: SaveStep) => void = () => {},
): void {
  checkFolderArgument(dir, format.writer);
  if (contents.length !== format.files.length) {
    throw new Error(`writeFolder: ${format.files.length} files (${format.files.join(', ')}) need as many contents, got ${contents.length}.`);
  }
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  checkPathIsFolders(target, dir, format.writer);
  fs.mkdirSync(parent, { recursive: true });
  checkParentWritable(parent, dir, format);
  recoverInterruptedSave(target, format);
  checkReplaceable(target, dir, format);
  const stamp = newStamp();
  const marker = writeSaveMarker(target, stamp);
  fsyncDirectory(parent);
  onStep('marked');
  const staging = leftoverPath(target, 'saving', stamp);
  const old = leftoverPath(target, 'old', stamp);
  /** Undoes what this save did, when another save to the same folder got there first. */
  const lostTo = (what: string): Error => {
    removeTraces({ stamp, pid: process.pid, time: 0, marker: { path: marker, owner: { pid: process.pid } }, folders: [
      { role: 'saving', path: staging }, { role: 'old', path: old },
    ] }, format);
    return new Error(
      `${format.writer}: another save to ${dir} ${what} while this one ran, so this ${format.noun} was not saved; ` +
        `${dir} holds the other save's ${format.noun}. Save again if this one should replace it.`,
    );
  };
  try {
    fs.mkdirSync(staging);
    onStep('staging-created');
    format.files.forEach((name, i) => {
      writeFileSynced(path.join(staging, name), contents[i]);
      onStep(i === format.files.length - 1 ? 'last-file-written' : 'first-file-written');
    });
    fsyncDirectory(staging);
    fsyncDirectory(parent);
    onStep('staged');
    if (exists(target)) {
      try {
        fs.renameSync(target, old);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') throw lostTo(`moved the old ${format.noun} away`);
        throw error;
      }
      fsyncDirectory(parent);
      onStep('old-moved-aside');
    }
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      if (['ENOTEMPTY', 'EEXIST'].includes(errorCode(error))) throw lostTo(`put its ${format.noun} in place first`);
      throw error;
    }
    fsyncDirectory(parent);
    onStep('new-in-place');
  } catch (error) {
    // Put things back as they were; what cannot be undone here, the next read or save recovers.
    try {
      if (exists(staging)) removeSavedFolder(staging, format);
      if (!exists(target) && exists(old)) fs.renameSync(old, target);
      if (!exists(staging) && !exists(old)) fs.rmSync(marker, { force: true });
    } catch {
      // The original error is the one to report.
    }
    throw error;
  }
  // The new folder is in place: a failure to remove the old one no longer undoes the save (the
  // next read or save removes it), and the marker stays until it is gone.
  try {
    if (exists(old)) removeSavedFolder(old, format, onStep);
    if (!holdsFormatFiles(old, format)) {
      fsyncDirectory(parent);
      onStep('old-removed');
      fs.rmSync(marker, { force: true });
    }
  } catch {
    // Left for the next read or save.
  }
  fsyncDirectory(parent);
  onStep('done');
}

/** The identity of the folder at `dir` (a save puts a new folder in place), or undefined. */
function folderIdentity(dir: string): string | undefined {
  try {
    const stat = fs.statSync(dir, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Recovers an interrupted save of `dir`, then reads it with `read` (which throws when the folder
 * is missing or does not check out). A read that met a save of another process (the folder was
 * replaced while it read, or it is missing while that save runs) is repeated until the save ends,
 * for at most SAVE_WAIT_MS: a reader gets the old or the new folder, never a false "missing" or
 * "damaged". `what` names the caller in messages.
 */
export async function readFolder<T>(dir: string, format: FolderFormat, read: (dir: string) => T, what: string): Promise<T> {
  checkFolderArgument(dir, what);
  const target = path.resolve(dir);
  checkPathIsFolders(target, dir, what);
  const deadline = Date.now() + SAVE_WAIT_MS;
  for (;;) {
    recoverInterruptedSave(target, format);
    const before = folderIdentity(target);
    let failure: unknown;
    let result: { value: T } | undefined;
    try {
      result = { value: read(dir) };
    } catch (error) {
      failure = error;
    }
    const after = folderIdentity(target);
    const unchanged = before === after;
    if (result && unchanged && before !== undefined) return result.value;
    // A failure is the folder's own only if no save runs elsewhere and the folder is still as the
    // read left it: a save can end between the two looks (its marker gone, its folder just put in
    // place), which once made a read that met a save's missing moment fail with "missing".
    if (unchanged && !saveRunsElsewhere(target, format) && folderIdentity(target) === after) throw failure;
    if (Date.now() > deadline) {
      if (result) return result.value;
      const waited = `another process was saving to ${dir} and had not finished after ${SAVE_WAIT_MS / 1000} s`;
      throw new Error(`${(failure as Error).message} (${waited}: call ${what} again once it has.)`);
    }
    await sleep(SAVE_POLL_MS);
  }
}
