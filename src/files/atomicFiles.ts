/**
 * File helpers shared by the data loaders, model saving and the scripts: checksums, writes that
 * never leave a half-written file behind (write to a temporary name, then rename), fsync'd writes.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function md5(bytes: Uint8Array): string {
  return crypto.createHash('md5').update(bytes).digest('hex');
}

/** Reads a file, or throws an error that names it and says how to get it back. */
export function readRequiredFile(file: string, howToFix: string): Buffer {
  if (!fs.existsSync(file)) {
    throw new Error(`Missing data file ${file}. ${howToFix}`);
  }
  return fs.readFileSync(file);
}

/**
 * Writes `data` to `file` atomically: readers see the old file or the whole new one, also after a
 * crash (the new bytes are flushed to the disk before the rename, and the rename after it).
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSynced(temporary, data);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

/**
 * Writes `data` to a new file `file` and flushes it to the disk (fsync) before returning, so that
 * a file that exists after a crash or power cut holds all its bytes. Fails if `file` exists.
 */
export function writeFileSynced(file: string, data: Uint8Array | string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes a directory's entries (files created, renamed or removed in it) to the disk, where the
 * platform allows it; Windows and some file systems cannot open or fsync a directory, and are skipped.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function isUnsupported(error: unknown): boolean {
  return ['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'ENOTSUP', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '');
}
