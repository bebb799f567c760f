/**
 * Executes lessons headless through the tslab kernel and writes the executed copies to
 * build/executed/. Exits non-zero, printing the failing cell and its error, if any cell fails.
 *
 *   npm run lessons                          # every notebooks/*.ipynb in quick mode
 *   npm run lessons -- --mode full           # the real figures (slow)
 *   npm run lessons -- notebooks/01-the-bottleneck.ipynb --param SEED=3
 *   npm run lessons -- --cell-timeout 120    # fail any cell that runs longer than 2 minutes
 *   npm run lessons -- --seeds 1,2,3         # each lesson on each seed: which claims held on how many
 *
 * Each run's claims and figures go to build/runs/ (see records.ts). A run fails when a cell fails;
 * with --seeds the command also fails when a key claim did not hold on some seed.
 *
 * The mode is set as MODE in notebooks whose parameters cell declares MODE; --param values must
 * be declared there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseCellTimeout, shutDownKernelsOnSignals } from './cli';
import { brokenKeyClaims } from './records';
import { ParameterValue, runNotebook } from './runNotebook';
import { claimTable, parseSeeds, runOnSeeds } from './seeds';

const ROOT = path.resolve(__dirname, '..', '..');

function parseValue(text: string): ParameterValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

interface Arguments {
  files: string[];
  mode: string;
  parameters: Record<string, ParameterValue>;
  out: string;
  cellTimeoutMs?: number;
  seeds?: number[];
}

function parseArguments(argv: string[]): Arguments {
  const files: string[] = [];
  const parameters: Record<string, ParameterValue> = {};
  let mode = 'quick';
  let out = path.join(ROOT, 'build', 'executed');
  let cellTimeoutMs: number | undefined;
  let seeds: number[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mode') mode = argv[++i];
    else if (arg === '--seeds') seeds = parseSeeds(argv[++i]);
    else if (arg === '--out') out = path.resolve(argv[++i]);
    else if (arg === '--cell-timeout') cellTimeoutMs = parseCellTimeout(argv[++i]);
    else if (arg === '--param') {
      const [key, ...value] = (argv[++i] ?? '').split('=');
      if (!key || value.length === 0) throw new Error(`--param takes KEY=VALUE, got ${argv[i]}.`);
      parameters[key] = parseValue(value.join('='));
    } else if (arg.startsWith('--')) throw new Error(`Unknown option ${arg}. Options: --mode quick|full, --param KEY=VALUE, --seeds 1,2,3, --out DIR, --cell-timeout SECONDS.`);
    else files.push(path.resolve(arg));
  }
  if (mode !== 'quick' && mode !== 'full') throw new Error(`--mode must be quick or full, got ${mode}.`);
  if (files.length === 0) {
    const dir = path.join(ROOT, 'notebooks');
    files.push(...fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)));
  }
  if (seeds && 'SEED' in parameters) throw new Error('Give either --seeds or --param SEED=..., not both.');
  return { files, mode, parameters, out, cellTimeoutMs, seeds };
}

/** npm run lessons -- --seeds: every lesson on every seed, then a claim table per lesson. */
async function runSeeds(args: Arguments & { seeds: number[] }): Promise<void> {
  const { files, mode, parameters, out, cellTimeoutMs, seeds } = args;
  console.log(`Executing ${files.length} notebook(s) in ${mode} mode on seeds ${seeds.join(', ')}`);
  const failures: string[] = [];
  const lines: string[] = [];
  for (const file of files) {
    const lesson = await runOnSeeds(file, seeds, out, { mode, parameters, cellTimeoutMs, rootDir: ROOT });
    lines.push(...claimTable(lesson, seeds, failures));
  }
  console.log(lines.join('\n'));
  if (failures.length > 0) {
    console.error(`\n${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nEvery key claim held on every seed.`);
  }
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  shutDownKernelsOnSignals();
  if (args.seeds) return runSeeds({ ...args, seeds: args.seeds });
  const { files, mode, parameters, out, cellTimeoutMs } = args;
  const settings = Object.entries(parameters).map(([k, v]) => `${k}=${v}`);
  console.log(`Executing ${files.length} notebook(s) in ${mode} mode${settings.length ? ` with ${settings.join(', ')}` : ''}`);
  const failures: string[] = [];
  const times: string[] = [];
  for (const file of files) {
    const result = await runNotebook(file, { mode, parameters, cellTimeoutMs, rootDir: ROOT, outputPath: path.join(out, path.basename(file)) });
    times.push(`${path.basename(file)}: ${result.seconds.toFixed(1)} s`);
    if (!result.ok) {
      failures.push(result.error!);
      console.error(result.error);
    }
    const broken = brokenKeyClaims(result.records);
    if (broken.length > 0) console.error(`${path.basename(file)}: key claim(s) not held:\n  ${broken.join('\n  ')}`);
    failures.push(...broken.map((line) => `${path.basename(file)}: ${line}`));
  }
  console.log(`Lesson times: ${times.join('; ')}`);
  if (failures.length > 0) {
    console.error(`${failures.length} failure(s) in ${files.length} notebook(s).`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
