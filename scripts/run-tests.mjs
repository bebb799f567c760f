// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20 does not expand globs after --test, so the files are listed here.
// Usage: node scripts/run-tests.mjs [substring ...]   (only files whose path contains one)
//        node scripts/run-tests.mjs --unit            (the library's tests: no lessons, no kernel, no browser)
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

/** What --unit leaves out: tests that run lessons or Jupyter, drive a kernel, or open a browser. */
const NOT_UNIT = [/^test\/notebook\//, /^test\/frontends\//, /InKernel\.test\.ts$/];

const unit = process.argv.includes('--unit');
const filters = process.argv.slice(2).filter((arg) => arg !== '--unit');
const files = findTests('test')
  .map((file) => relative('.', file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .filter((file) => !unit || !NOT_UNIT.some((pattern) => pattern.test(file)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(', ')}.`);
  process.exit(1);
}
const env = unit ? { ...process.env, AE_SKIP_BROWSER: '1' } : process.env;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
