/**
 * npm run bench: trains each lesson model for a fixed number of steps on every backend that loads
 * and prints, per backend and model: ms per step, samples/s, GFLOP/s and its share of a reference
 * peak, peak RSS, and the tensor count before and after. Writes the figures to build/bench.json.
 * A benchmark prints figures; it asserts nothing.
 *
 *   npm run bench                         # every backend that loads
 *   npm run bench -- --backend wasm       # one backend
 *   npm run bench -- --stock              # tfjs's own kernels (the "before"); wasm still gets the
 *                                         # Conv2DBackpropFilter it lacks, or conv could not train
 *   npm run bench -- --steps 50 --rounds 5  # steps per round; the figure is the median round
 *   npm run bench -- --no-torch               # skip the PyTorch reference
 *   npm run bench -- --batch 256              # another batch size (default 128)
 *   npm run bench -- --profile                # also the six costliest kernels of one step, per model
 *   npm run bench -- --model vae              # only the models whose name contains this (dense, conv,
 *                                             # sparse, contractive, vae, lstm); PyTorch runs all six
 *
 *   npm run bench -- --setup-torch            # install today's PyTorch from the package index into
 *                                             # .bench-env/torch (from scripts/bench-torch's lock file)
 *
 * PyTorch references: every Python with torch found among BENCH_PYTHON, .bench-env/torch (today's
 * PyTorch, from the package index) and /usr/bin/python3 (Debian's python3-torch 1.13, with
 * OpenBLAS) runs scripts/bench_torch.py, which trains the same six models on the same data and
 * batch, in the same run, in each of TORCH_CONFIGS: torch's own threads × OpenBLAS's threads, set before the
 * process starts. On a 2-core machine two torch threads plus OpenBLAS's own oversubscribe the
 * cores and can run several times slower than the best setting, so no single setting is a fair
 * reference: per model and PyTorch, the fastest configuration in this run is the reference, and the
 * summary gives our ratio to each PyTorch's (and names the configuration). Rounds go through the configurations in turn, so
 * that the machine's drift spreads over all of them.
 *
 * FLOPs are counted analytically: a dense layer n→m costs 2·n·m multiply-adds per sample forward
 * and twice that backward (dX and dW), so 6·n·m; a convolution 6·k²·c_in·c_out·H_out·W_out.
 * An LSTM layer with u units on i inputs costs 2·4u·(i+u) per time step forward, so 6·4u·(i+u) in all
 * (the gates' products; the recurrence makes these many small products, one per step).
 * Element-wise work (activations, losses, Adam) is left out, so GFLOP/s is a slight undercount.
 * The reference peak, REFERENCE_PEAK_GFLOPS, is the AVX-512 FMA microbenchmark figure for this
 * machine recorded in issue 7 (2 threads); pass --peak to use another.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendName, setupBackend } from '../src/backend';
import { productThreads, setProductThreads } from '../src/backend/wasmThreads';
import { loadMnist } from '../src/data/mnist';
import { loadInternalBleeding } from '../src/data/ucrAnomaly';
import { cutWindows, standardiseWith } from '../src/data/windows';
import { convAutoencoder } from '../src/models/conv';
import { denseAutoencoder } from '../src/models/dense';
import { LayerSpec } from '../src/models/layers';
import { lstmAutoencoder } from '../src/models/lstmAutoencoder';
import { TrainableModel } from '../src/models/model';
import { variationalAutoencoder } from '../src/models/vae';
import { train } from '../src/train/train';
import { writeFileAtomic } from '../src/files/atomicFiles';

const REFERENCE_PEAK_GFLOPS = 335;
const DEFAULT_BATCH = 128;
/** Training digits shipped in datasets/mnist. */
const SHIPPED_DIGITS = 8000;
const DEFAULT_STEPS: Record<BackendName, number> = { tensorflow: 60, wasm: 30, cpu: 5 };
const WARM_UP_STEPS = 2;
const TORCH_STEPS = 60;

/** PyTorch settings tried: torch.set_num_threads(torch) with OPENBLAS_NUM_THREADS=blas. */
const TORCH_CONFIGS = [
  { torch: 1, blas: 1 },
  { torch: 2, blas: 1 },
  { torch: 1, blas: 2 },
  { torch: 2, blas: 2 },
] as const;
type TorchConfig = (typeof TORCH_CONFIGS)[number];
const configName = (c: TorchConfig) => `${c.torch} torch + ${c.blas} BLAS thread${c.blas > 1 ? 's' : ''}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const epochSeconds = (msPerStep: number, batch: number) => (msPerStep * (10000 / batch)) / 1000;

interface TorchRow { model: string; msPerStep: number }

const ROOT = path.join(__dirname, '..');
/** Today's PyTorch, from the package index: made by `npm run bench -- --setup-torch`. */
const TORCH_ENV = path.join(ROOT, '.bench-env', 'torch');
const TORCH_LOCK = path.join(ROOT, 'scripts', 'bench-torch', 'requirements.txt');

/** Installs today's PyTorch into TORCH_ENV from the lock file (hash-checked, wheels only). */
async function setupTorch(): Promise<void> {
  const { installEnvironment } = await import('./jupyter/environment.mjs');
  const python = process.env.BENCH_SETUP_PYTHON ?? 'python3';
  console.log(`Installing PyTorch (scripts/bench-torch/requirements.txt, about 3 GB with its CUDA libraries) into ${TORCH_ENV} with ${python}.`);
  installEnvironment({
    python, dir: TORCH_ENV, lock: TORCH_LOCK, env: process.env, what: 'PyTorch', command: 'npm run bench -- --setup-torch',
    otherwise: 'point the bench to a Python with torch: BENCH_PYTHON=/path/to/python npm run bench',
  });
  console.log('Done: npm run bench now measures it beside any other PyTorch it finds.');
}

/** Every distinct Python that imports torch: BENCH_PYTHON, the bench's own environment, Debian's. */
function findTorchPythons(): string[] {
  const ownEnv = path.join(TORCH_ENV, 'bin', 'python');
  const candidates = [process.env.BENCH_PYTHON, ownEnv, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  const found: { python: string; version: string }[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    const version = probe.stdout?.trim();
    if (probe.status === 0 && version && !found.some((f) => f.version === version)) found.push({ python, version });
  }
  return found.map((f) => f.python);
}

interface TorchReference { label: string; python: string; rows: Record<string, TorchRow[]>; blas: string; version: string }

/**
 * Runs scripts/bench_torch.py `rounds` times with every Python with torch and in every
 * configuration, interleaved (so that the machine's drift spreads over all of them), and returns
 * per PyTorch the median ms per step of each model per configuration.
 */
function torchReferences(rounds: number, batch: number): TorchReference[] {
  const pythons = findTorchPythons();
  const script = path.join(__dirname, 'bench_torch.py');
  const steps = String(Math.min(TORCH_STEPS, Math.floor(SHIPPED_DIGITS / batch) - WARM_UP_STEPS));
  const runs = pythons.map(() => new Map<string, TorchRow[][]>(TORCH_CONFIGS.map((c) => [configName(c), []])));
  const about = pythons.map(() => ({ blas: 'unknown', torch: 'unknown' }));
  for (let round = 0; round < rounds; round++) {
    for (const [p, python] of pythons.entries()) {
      for (const config of TORCH_CONFIGS) {
        const threads = String(config.blas);
        const env = { ...process.env, OMP_NUM_THREADS: String(config.torch), OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
        const args = [script, '--steps', steps, '--threads', String(config.torch), '--batch', String(batch)];
        const run = spawnSync(python, args, { encoding: 'utf8', env });
        if (run.status !== 0) throw new Error(`bench_torch.py failed (${python}, ${configName(config)}): ${run.stderr}`);
        const [first, ...lines] = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
        about[p] = first as { blas: string; torch: string };
        runs[p].get(configName(config))!.push(lines as TorchRow[]);
      }
    }
  }
  return pythons.map((python, p) => {
    const rows: Record<string, TorchRow[]> = {};
    for (const [name, configRuns] of runs[p]) {
      rows[name] = configRuns[0].map((row, i) => ({ model: row.model, msPerStep: median(configRuns.map((r) => r[i].msPerStep)) }));
    }
    return { label: `PyTorch ${about[p].torch}`, python, rows, blas: about[p].blas, version: about[p].torch };
  });
}

/** Per model: PyTorch's fastest configuration in this run and its ms per step. */
function fastestTorch(torch: Record<string, TorchRow[]>): Map<string, { config: string; msPerStep: number }> {
  const best = new Map<string, { config: string; msPerStep: number }>();
  for (const [config, rows] of Object.entries(torch)) {
    for (const row of rows) {
      const current = best.get(row.model);
      if (!current || row.msPerStep < current.msPerStep) best.set(row.model, { config, msPerStep: row.msPerStep });
    }
  }
  return best;
}

interface Case {
  name: string;
  layout: 'flat' | 'image' | 'sequence';
  make: () => TrainableModel;
}

/** Lesson 09's windows: 32 steps of the InternalBleeding16 series, standardised, one step apart. */
const WINDOW = 32;

/** `count` training samples in the case's layout: digits, or windows of the shipped series. */
function benchData(layout: Case['layout'], count: number): tf.Tensor {
  if (layout !== 'sequence') {
    const data = loadMnist({ limit: count, layout });
    data.test.x.dispose();
    return data.train.x;
  }
  const series = loadInternalBleeding();
  const { values } = standardiseWith(series.values, series.values.subarray(0, series.trainLength));
  const { x } = cutWindows(values, { length: WINDOW, stride: 1 });
  if (x.shape[0] >= count) return tf.tidy(() => x.slice(0, count));
  return tf.tidy(() => tf.concat(Array.from({ length: Math.ceil(count / x.shape[0]) }, () => x)).slice(0, count));
}

const CASES: Case[] = [
  { name: 'dense 784-256-64-256-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [256], code: 64, seed: 1 }) },
  { name: 'conv 16/8 filters, stride 2', layout: 'image', make: () => convAutoencoder({ filters: [16, 8], code: 32, seed: 1 }) },
  { name: 'sparse KL 784-1024-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [], code: 1024, codeActivation: 'sigmoid', penalties: [{ type: 'klSparsity', rho: 0.05, beta: 0.05 }], seed: 1 }) },
  { name: 'contractive 784-1024-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [], code: 1024, codeActivation: 'sigmoid', penalties: [{ type: 'contractive', lambda: 1e-4 }], seed: 1 }) },
  { name: 'VAE 784-256-64', layout: 'flat', make: () => variationalAutoencoder({ hidden: [256], latent: 64, seed: 1 }) },
  { name: 'LSTM 32 steps, code 8', layout: 'sequence', make: () => lstmAutoencoder({ steps: WINDOW, code: 8, hidden: 32, seed: 1 }) },
];

/** Training FLOPs per sample of a stack of layers, from its specs (see the header). */
function flopsPerSample(specs: LayerSpec[], inputSide: number): number {
  let side = inputSide;
  let flops = 0;
  for (const spec of specs) {
    if (spec.type === 'dense') flops += 6 * spec.inputs * spec.units;
    if (spec.type === 'conv2d') {
      side /= spec.strides;
      flops += 6 * spec.kernelSize ** 2 * spec.inChannels * spec.filters * side * side;
    }
    if (spec.type === 'conv2dTranspose') {
      side *= spec.strides;
      // Each input pixel spreads a k×k patch: the same count as a convolution on the input grid.
      flops += 6 * spec.kernelSize ** 2 * spec.inChannels * spec.filters * (side / spec.strides) ** 2;
    }
    if (spec.type === 'reshape') side = spec.shape[0];
    if (spec.type === 'lstm') flops += 6 * 4 * spec.units * (spec.inputs + spec.units) * WINDOW;
    if (spec.type === 'timeDense') flops += 6 * spec.inputs * spec.units * WINDOW;
  }
  return flops;
}

function modelFlops(model: TrainableModel): number {
  const m = model as unknown as Record<string, { specs: LayerSpec[] }>;
  const stacks = ['encoder', 'decoder', 'body', 'meanHead', 'logVarHead'].filter((k) => m[k]?.specs).map((k) => m[k]);
  return stacks.reduce((sum, stack) => {
    const first = stack.specs[0];
    const side = first.type === 'conv2d' ? 28 : 7;
    return sum + flopsPerSample(stack.specs, side);
  }, 0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--setup-torch')) return setupTorch();
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const only = value('--backend') as BackendName | undefined;
  const stock = argv.includes('--stock');
  const peak = Number(value('--peak') ?? REFERENCE_PEAK_GFLOPS);
  const stepsOverride = value('--steps') ? Number(value('--steps')) : undefined;
  const withTorch = !argv.includes('--no-torch');
  const rounds = Number(value('--rounds') ?? 3);
  const batchSize = Number(value('--batch') ?? DEFAULT_BATCH);
  const profile = argv.includes('--profile');
  const modelFilter = value('--model')?.toLowerCase();
  const cases = CASES.filter((c) => !modelFilter || c.name.toLowerCase().includes(modelFilter));
  if (cases.length === 0) throw new Error(`--model ${modelFilter} matches none of: ${CASES.map((c) => c.name).join('; ')}.`);
  if (!(Number.isInteger(batchSize) && batchSize > 0 && batchSize <= SHIPPED_DIGITS / 4)) throw new Error(`--batch must be a whole number from 1 to ${SHIPPED_DIGITS / 4}.`);
  if (!(Number.isInteger(rounds) && rounds > 0)) throw new Error('--rounds must be a whole number > 0.');
  const backends: BackendName[] = only ? [only] : ['tensorflow', 'wasm', 'cpu'];
  const results: Record<string, unknown>[] = [];
  console.log(`batch ${batchSize}, Adam, float32, median of ${rounds} rounds; reference peak ${peak} GFLOP/s${stock ? '; stock tfjs kernels' : ''}`);
  for (const backend of backends) {
    try {
      await setupBackend({ force: backend, fastKernels: !stock });
    } catch (error) {
      console.log(`${backend}: skipped (${(error as Error).message.split('.')[0]})`);
      continue;
    }
    // The shipped digits bound the steps per round at large batches.
    const steps = Math.min(stepsOverride ?? DEFAULT_STEPS[backend], Math.floor(SHIPPED_DIGITS / batchSize) - WARM_UP_STEPS);
    // Every model is built and warmed up first; then the rounds go through the models in turn,
    // so that a burst of load on the machine spreads over all of them. Each figure is the median.
    const prepared: { c: (typeof cases)[number]; model: ReturnType<(typeof cases)[number]['make']>; timed: tf.Tensor; tensors: number[] }[] = [];
    for (const c of cases) {
      const data = benchData(c.layout, batchSize * (steps + WARM_UP_STEPS));
      const model = c.make();
      const warmUp = data.slice(0, batchSize * WARM_UP_STEPS);
      await train(model, warmUp, { epochs: 1, batchSize: batchSize, shuffle: false });
      warmUp.dispose();
      const timed = data.slice(batchSize * WARM_UP_STEPS, batchSize * steps);
      data.dispose();
      prepared.push({ c, model, timed, tensors: [] });
    }
    // With a second thread for products (src/backend/wasmThreads.ts), the rounds alternate 2 and
    // 1 thread, so that both figures meet the same drift of the machine.
    const threadCounts = backend === 'wasm' && productThreads().threads === 2 ? [2, 1] : [0];
    const msByThreads = new Map<number, number[][]>(threadCounts.map((t) => [t, prepared.map(() => [])]));
    for (let round = 0; round < rounds; round++) {
      for (const threads of threadCounts) {
        if (threads) setProductThreads(threads);
        for (const [i, p] of prepared.entries()) {
          p.tensors.push(tf.memory().numTensors);
          const history = await train(p.model, p.timed, { epochs: 1, batchSize: batchSize, shuffle: false });
          p.tensors.push(tf.memory().numTensors);
          msByThreads.get(threads)![i].push((1000 * history.rows[0].seconds) / steps);
        }
      }
    }
    if (threadCounts[0]) setProductThreads(threadCounts[0]);
    if (profile) {
      // Where one training step's time goes: tfjs's per-kernel times (kernels called inside our
      // kernels are counted in both), the six largest per model.
      for (const p of prepared) {
        const batch = p.timed.slice(0, batchSize);
        const info = await tf.profile(async () => {
          await train(p.model, batch, { epochs: 1, batchSize: batchSize, shuffle: false });
        });
        batch.dispose();
        const byKernel = new Map<string, { ms: number; calls: number }>();
        for (const k of info.kernels) {
          const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
          entry.ms += Number(k.kernelTimeMs) || 0;
          entry.calls += 1;
          byKernel.set(k.name, entry);
        }
        const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 6);
        console.log(`${backend.padEnd(15)} ${p.c.name.padEnd(28)} profile: ${info.kernels.length} kernels; ` + top.map(([name, e]) => `${name} ${e.ms.toFixed(1)} ms/${e.calls}`).join(', '));
      }
    }
    const rowsToReport = threadCounts.flatMap((threads) => prepared.map((p, i) => ({ ...p, threads, ms: msByThreads.get(threads)![i] })));
    for (const { c, model, ms, tensors, threads } of rowsToReport) {
      const msPerStep = median(ms);
      const label = threads === 1 ? `${backend} 1 thread` : threads === 2 ? `${backend} 2 threads` : backend;
      const gflops = (modelFlops(model) * batchSize) / msPerStep / 1e6;
      const row = {
        backend: label, model: c.name, steps, rounds, msPerStep, msPerStepRounds: ms, samplesPerSecond: (1000 * batchSize) / msPerStep, gflops,
        shareOfPeak: gflops / peak, peakRssMiB: process.resourceUsage().maxRSS / 1024, tensorsBefore: tensors[0], tensorsAfter: tensors[tensors.length - 1],
      };
      results.push(row);
      const spread = `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}`;
      console.log(
        `${label.padEnd(15)} ${c.name.padEnd(28)} ${msPerStep.toFixed(1).padStart(8)} ms/step (${spread}) ${row.samplesPerSecond.toFixed(0).padStart(6)} samples/s ` +
          `${gflops.toFixed(2).padStart(6)} GFLOP/s (${(100 * row.shareOfPeak).toFixed(2)}% of peak)  RSS ${row.peakRssMiB.toFixed(0)} MiB  tensors ${row.tensorsBefore}→${row.tensorsAfter}`,
      );
    }
    for (const { model, timed } of prepared) {
      model.dispose();
      timed.dispose();
    }
  }
  const references = withTorch ? torchReferences(rounds, batchSize) : [];
  if (withTorch && references.length === 0) {
    console.log('PyTorch reference: skipped (no Python with torch found; npm run bench -- --setup-torch, set BENCH_PYTHON, or apt-get install python3-torch libopenblas0-pthread)');
  }
  for (const reference of references) {
    console.log(`${reference.label} (${reference.python}), BLAS: ${reference.blas}`);
    if (!/openblas|mkl|blis|libtorch_cpu/i.test(reference.blas)) {
      console.log('  Warning: this PyTorch uses a reference (unoptimised) BLAS, several times slower than OpenBLAS: the comparison flatters us. '
        + 'On Debian install libopenblas0 (apt-get install -y libopenblas0-pthread) and run again.');
    }
    for (const [config, rows] of Object.entries(reference.rows)) {
      for (const row of rows) console.log(`${reference.label.padEnd(15)} ${row.model.padEnd(28)} ${row.msPerStep.toFixed(1).padStart(8)} ms/step  (${config})`);
    }
  }
  summarise(results as unknown as BenchRow[], references, batchSize);
  const out = path.join(__dirname, '..', 'build', stock ? 'bench-stock.json' : 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const torch = references.map((r) => ({ ...r, fastest: Object.fromEntries(fastestTorch(r.rows)) }));
  writeFileAtomic(out, JSON.stringify({ batch: batchSize, referencePeakGflops: peak, stock, node: process.versions.node, results, torch }, null, 2) + '\n');
  console.log(`figures written to ${path.relative(process.cwd(), out)}`);
}

interface BenchRow { backend: string; model: string; msPerStep: number }

/**
 * One line per tfjs row: seconds per 10,000-sample epoch and, for each PyTorch, the ratio to its
 * fastest configuration for that model in this run (lower is better); then each configuration.
 */
function summarise(rows: BenchRow[], references: TorchReference[], batch: number): void {
  const best = references.map((r) => fastestTorch(r.rows));
  console.log(`\nSummary: seconds per epoch of 10,000 samples (ms/step × ${10000 / batch}); ×PyTorch is the ratio to that PyTorch's fastest configuration in this run`);
  const heads = references.flatMap((r) => [`${r.label} s/epoch`, `×${r.label}`, 'its fastest configuration']);
  console.log(['backend'.padEnd(15), 'model'.padEnd(28), 's/epoch', ...heads].join('  '));
  for (const row of rows) {
    const cells = [row.backend.padEnd(15), row.model.padEnd(28), epochSeconds(row.msPerStep, batch).toFixed(2).padStart(7)];
    for (const [i, reference] of references.entries()) {
      const ref = best[i].get(row.model);
      cells.push((ref ? epochSeconds(ref.msPerStep, batch).toFixed(2) : '–').padStart(`${reference.label} s/epoch`.length));
      cells.push((ref ? `${(row.msPerStep / ref.msPerStep).toFixed(2)}×` : '–').padStart(`×${reference.label}`.length));
      cells.push(ref?.config ?? '–');
    }
    console.log(cells.join('  '));
  }
  for (const reference of references) {
    for (const [config, configRows] of Object.entries(reference.rows)) {
      console.log(`${reference.label}, ${config}: ` + configRows.map((t) => `${t.model.split(' ')[0]} ${epochSeconds(t.msPerStep, batch).toFixed(2)}`).join(', ') + ' s/epoch');
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
