/** Where the datasets that ship with the course live. */
import * as fs from 'fs';
import * as path from 'path';

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
