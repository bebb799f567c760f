/**
 * File helpers shared by the data loaders and model saving: checksums, and writes that never
 * leave a half-written file behind (write to a temporary name, then rename).
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

/** Writes `data` to `file` atomically: readers see the old file or the whole new one. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** The repository's `datasets/` folder, found by walking up from this file. */
export function shippedDatasetsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'datasets', 'manifest.json');
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    dir = path.dirname(dir);
  }
  throw new Error(
    `Cannot find the shipped datasets/ folder (with manifest.json) above ${__dirname}. Run from a full clone of autoencoder-lessons.`,
  );
}
