import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The library's folders in the order MAINTAINING.md gives: each imports only from those before it. */
const FOLDERS = ['backend', 'files', 'data', 'models', 'train', 'evaluate', 'plot'];
/** Top-level modules that import no other module of the library: any folder may use them. */
const LEAVES = ['random', 'valueText', 'comparisons', 'printsAs'];
const SRC = path.join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The library modules a file imports (also `import type`), as paths relative to src/ without extension. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)].map((m) => {
    return path.relative(SRC, path.resolve(path.dirname(file), m[1])).split(path.sep).join('/');
  });
}

/** Where a module sits: its folder's place in FOLDERS, -1 for a leaf, FOLDERS.length for the lesson level. */
function rank(module: string): number {
  const [first, second] = module.split('/');
  if (FOLDERS.includes(first)) return FOLDERS.indexOf(first); // also a folder's index ('../backend')
  if (second !== undefined) return FOLDERS.length; // a folder the order does not name
  return LEAVES.includes(first.replace(/\.ts$/, '')) ? -1 : FOLDERS.length;
}

test('the library runs one way: a folder imports only from the folders before it and the leaf modules', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const module = path.relative(SRC, file).split(path.sep).join('/');
    const own = rank(module);
    for (const imported of importsOf(file)) {
      const other = rank(imported);
      const sameFolder = own >= 0 && own < FOLDERS.length && other === own;
      const lessonLevel = own === FOLDERS.length; // claims, lesson, exercises, index: may use anything
      const allowed = lessonLevel || sameFolder || other < own || (own === -1 && other === -1);
      if (!allowed) wrong.push(`${module} imports ${imported}`);
    }
  }
  assert.deepEqual(wrong, [], 'imports against the direction backend → files → data → models → train → evaluate → plot → lesson');
});

test('the check catches an import against the direction', () => {
  assert.ok(rank('data/idx') < rank('models/layers'));
  assert.ok(!(rank('evaluate/x') < rank('data/y')), 'data may not import evaluate');
  assert.ok(!(rank('claims') < rank('evaluate/ratePoint')), 'a folder may not import a lesson-level module');
  assert.equal(rank('comparisons'), -1);
});

/** The files among `files` that import a relative path dynamically, which tsx's CommonJS hook (scripts/run-tests.mjs) cannot resolve. */
function dynamicRelativeImports(files: string[]): string[] {
  return files.filter((file) => /\bimport\(\s*'\.{1,2}\//.test(fs.readFileSync(file, 'utf8')));
}

test('the library and its tests import modules statically (scripts/run-tests.mjs runs them under tsx\'s CommonJS hook)', () => {
  const testDir = path.join(__dirname);
  const unitTests = sources(testDir).filter((file) => !/[/\\](notebook|frontends|fixtures)[/\\]/.test(file) && !file.endsWith('InKernel.test.ts'));
  assert.ok(unitTests.length > 50, `found ${unitTests.length} test files`);
  const offenders = dynamicRelativeImports([...sources(SRC), ...unitTests]).map((file) => path.relative(path.join(SRC, '..'), file));
  assert.deepEqual(offenders, [], 'use a static import at the top of the file instead');
  const sample = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ae-layering-')), 'dynamic.test.ts');
  fs.writeFileSync(sample, ['const { train } = await imp', "ort('../../src/train/train');"].join('')); // split, or this file would match
  assert.deepEqual(dynamicRelativeImports([sample]), [sample], 'the check catches a dynamic import');
});
