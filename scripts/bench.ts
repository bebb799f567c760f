/**
 * npm run bench: trains each lesson model for a fixed number of steps on every backend that loads
 * and prints, per backend and model: ms per step, samples/s, GFLOP/s and its share of a reference
 * peak, peak RSS, and the tensor count before and after. Writes the figures to build/bench.json.
 * A benchmark prints figures; it asserts nothing.
 *
 *   npm run bench                         # every backend that loads
 *   npm run bench -- --backend wasm       # one backend
 *   npm run bench -- --stock              # wasm without our matrix-product kernels (the "before")
 *   npm run bench -- --steps 50
 *
 * FLOPs are counted analytically: a dense layer n→m costs 2·n·m multiply-adds per sample forward
 * and twice that backward (dX and dW), so 6·n·m; a convolution 6·k²·c_in·c_out·H_out·W_out.
 * Element-wise work (activations, losses, Adam) is left out, so GFLOP/s is a slight undercount.
 * The reference peak, REFERENCE_PEAK_GFLOPS, is the AVX-512 FMA microbenchmark figure for this
 * machine recorded in issue 7 (2 threads); pass --peak to use another.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendName, setupBackend } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { convAutoencoder } from '../src/models/conv';
import { denseAutoencoder } from '../src/models/dense';
import { LayerSpec } from '../src/models/layers';
import { TrainableModel } from '../src/models/model';
import { variationalAutoencoder } from '../src/models/vae';
import { train } from '../src/train/train';
import { writeFileAtomic } from '../src/data/files';

const REFERENCE_PEAK_GFLOPS = 335;
const BATCH = 128;
const DEFAULT_STEPS: Record<BackendName, number> = { tensorflow: 60, wasm: 30, cpu: 5 };
const WARM_UP_STEPS = 2;

interface Case {
  name: string;
  layout: 'flat' | 'image';
  make: () => TrainableModel;
}

const CASES: Case[] = [
  { name: 'dense 784-256-64-256-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [256], code: 64, seed: 1 }) },
  { name: 'conv 16/8 filters, stride 2', layout: 'image', make: () => convAutoencoder({ filters: [16, 8], code: 32, seed: 1 }) },
  { name: 'sparse KL 784-1024-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [], code: 1024, codeActivation: 'sigmoid', penalties: [{ type: 'klSparsity', rho: 0.05, beta: 0.05 }], seed: 1 }) },
  { name: 'contractive 784-1024-784', layout: 'flat', make: () => denseAutoencoder({ hidden: [], code: 1024, codeActivation: 'sigmoid', penalties: [{ type: 'contractive', lambda: 1e-4 }], seed: 1 }) },
  { name: 'VAE 784-256-64', layout: 'flat', make: () => variationalAutoencoder({ hidden: [256], latent: 64, seed: 1 }) },
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
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const only = value('--backend') as BackendName | undefined;
  const stock = argv.includes('--stock');
  const peak = Number(value('--peak') ?? REFERENCE_PEAK_GFLOPS);
  const stepsOverride = value('--steps') ? Number(value('--steps')) : undefined;
  const backends: BackendName[] = only ? [only] : ['tensorflow', 'wasm', 'cpu'];
  const results: Record<string, unknown>[] = [];
  console.log(`batch ${BATCH}, Adam, float32; reference peak ${peak} GFLOP/s${stock ? '; stock wasm matrix products' : ''}`);
  for (const backend of backends) {
    try {
      await setupBackend({ force: backend, fastWasmMatMul: !stock });
    } catch (error) {
      console.log(`${backend}: skipped (${(error as Error).message.split('.')[0]})`);
      continue;
    }
    const steps = stepsOverride ?? DEFAULT_STEPS[backend];
    for (const c of CASES) {
      const data = loadMnist({ limit: BATCH * (steps + WARM_UP_STEPS), layout: c.layout });
      const model = c.make();
      const warmUp = data.train.x.slice(0, BATCH * WARM_UP_STEPS);
      await train(model, warmUp, { epochs: 1, batchSize: BATCH, shuffle: false });
      warmUp.dispose();
      const timed = data.train.x.slice(BATCH * WARM_UP_STEPS, BATCH * steps);
      const before = tf.memory().numTensors;
      const history = await train(model, timed, { epochs: 1, batchSize: BATCH, shuffle: false });
      const after = tf.memory().numTensors;
      timed.dispose();
      const seconds = history.rows[0].seconds;
      const msPerStep = (1000 * seconds) / steps;
      const gflops = (modelFlops(model) * BATCH * steps) / seconds / 1e9;
      const row = {
        backend, model: c.name, steps, msPerStep, samplesPerSecond: (BATCH * steps) / seconds, gflops,
        shareOfPeak: gflops / peak, peakRssMiB: process.resourceUsage().maxRSS / 1024, tensorsBefore: before, tensorsAfter: after,
      };
      results.push(row);
      console.log(
        `${backend.padEnd(10)} ${c.name.padEnd(28)} ${msPerStep.toFixed(1).padStart(8)} ms/step ${row.samplesPerSecond.toFixed(0).padStart(7)} samples/s ` +
          `${gflops.toFixed(2).padStart(7)} GFLOP/s (${(100 * row.shareOfPeak).toFixed(2)}% of peak)  RSS ${row.peakRssMiB.toFixed(0)} MiB  tensors ${before}→${after}`,
      );
      model.dispose();
      tf.dispose([data.train.x, data.test.x]);
    }
  }
  const out = path.join(__dirname, '..', 'build', stock ? 'bench-stock.json' : 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, JSON.stringify({ batch: BATCH, referencePeakGflops: peak, stock, node: process.versions.node, results }, null, 2) + '\n');
  console.log(`figures written to ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
