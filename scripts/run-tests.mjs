// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20 does not expand globs after --test, so the files are listed here.
// Usage: node scripts/run-tests.mjs [substring ...]   (only files whose path contains one)
//        node scripts/run-tests.mjs --unit            (the library's tests: no lessons, no kernel, no browser)
// The library's test files run two at a time (Node's default on two cores is one: most of a file's
// time is starting tsx and tfjs, which a second file overlaps); the lesson, kernel and browser tests
// run one at a time after them, as their time bounds assume a machine they have to themselves.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * What --unit leaves out: tests that run lessons or Jupyter, drive a kernel, open a browser, or build
 * the Python environment npm start installs (three virtual environments, 23 s).
 */
const NOT_UNIT = [/^test\/notebook\//, /^test\/frontends\//, /InKernel\.test\.ts$/, /^test\/jupyter\/environment\.test\.ts$/];
const isUnit = (file) => !NOT_UNIT.some((pattern) => pattern.test(file));

/**
 * The library's slowest test files (8–20 s each; most take 1–2 s), started first so that the two
 * running at a time finish together rather than one long file running alone at the end.
 */
const SLOWEST_FIRST = ['test/models/saving.test.ts', 'test/train/stockKernels.test.ts', 'test/evaluate/exactMetrics.test.ts', 'test/backend/wasmThreads.test.ts'];
const slowness = (file) => (SLOWEST_FIRST.includes(file) ? SLOWEST_FIRST.indexOf(file) - SLOWEST_FIRST.length : 0);

const unit = process.argv.includes('--unit');
const filters = process.argv.slice(2).filter((arg) => arg !== '--unit');
const files = findTests('test')
  .map((file) => relative('.', file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .filter((file) => !unit || isUnit(file))
  .sort((a, b) => slowness(a) - slowness(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`No test files match ${filters.join(', ')}.`);
  process.exit(1);
}
const env = unit ? { ...process.env, AE_SKIP_BROWSER: '1' } : process.env;

/**
 * Runs some test files with Node's test runner, `concurrency` files at a time; returns the exit
 * status. `loader` is how each file's process compiles TypeScript: tsx's CommonJS hook alone
 * ('cjs': the library's tests, whose imports are all static) or tsx's full loader ('full': the
 * lesson and kernel tests import some modules as they run). The full loader starts a loader thread
 * in every process: 0.2 s of CPU per test file, a sixth of the library's test time.
 */
function runFiles(some, concurrency, loader) {
  if (some.length === 0) return 0;
  const args = [...(loader === 'cjs' ? ['--require', 'tsx/cjs'] : ['--import', 'tsx']), '--test', `--test-concurrency=${concurrency}`, ...some];
  return spawnSync(process.execPath, args, { stdio: 'inherit', env }).status ?? 1;
}

const unitStatus = runFiles(files.filter(isUnit), 2, 'cjs');
const restStatus = runFiles(files.filter((file) => !isUnit(file)), 1, 'full');
process.exit(unitStatus || restStatus);
