/**
 * Adam (Kingma & Ba 2015) as one loop per variable, for the cpu and wasm backends.
 *
 * tfjs's own Adam updates each variable with about thirteen separate element-wise kernels
 * (multiply, add, square, divide, sqrt, assign, ...), each a full pass over the weights plus a
 * kernel launch. On the pure-JavaScript cpu backend those passes took about 40% of a dense
 * auto-encoder's training step. Here the same arithmetic is one pass:
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   w ← w − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 *
 * exactly tfjs's formula (including where ε goes), so results agree with tf.train.adam to float
 * rounding (tested).
 *
 * Where our wasm module is linked to the backend (./wasmNative.ts), the step runs there, inside
 * the wasm heap, with the moments as two tensors per variable; a JavaScript loop on wasm measured
 * slower than tfjs's kernels (about 9 ns a weight on this machine). Elsewhere (cpu) the loop is
 * JavaScript and the moments live in plain Float32Arrays. `createOptimizer` (./optimizer.ts) picks
 * it where our kernels are installed; tfjs-node's own Adam is native.
 */
import * as tf from '@tensorflow/tfjs';
import { registeredVariable } from './internals';
import { adamOnHeap, nativeKernelsAvailable } from './wasmNative';

export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }

  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  private readonly heapMoments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  private step = 0;
  /** β₁ᵗ and β₂ᵗ as tfjs's Adam keeps them: float32, multiplied once a step (the wasm path uses them). */
  private accBeta1 = 1;
  private accBeta2 = 1;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
    for (const [name, value] of Object.entries({ learningRate, beta1, beta2, epsilon })) {
      if (!Number.isFinite(value) || value < 0) throw new Error(`FusedAdam: ${name} must be a finite number ≥ 0, got ${value}.`);
    }
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    this.step += 1;
    const { beta1, beta2, epsilon } = this;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(beta2));
    const rate = this.learningRate;
    for (const { name, tensor: gradient } of list) {
      if (gradient == null) continue;
      const variable = registeredVariable(name);
      if (!variable) throw new Error(`FusedAdam: no variable named ${name}.`);
      if (this.stepOnHeap(name, variable, gradient)) continue;
      let state = this.moments.get(name);
      if (!state) {
        state = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
        this.moments.set(name, state);
      }
      const { m, v } = state;
      const g = gradient.dataSync();
      // A fresh copy: on cpu, dataSync() returns the variable's own buffer, which clones of the
      // variable (e.g. early stopping's best weights) share, so it must not be written to.
      const w = Float32Array.from(variable.dataSync());
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= (rate * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
      }
      tf.tidy(() => variable.assign(tf.tensor(w, variable.shape, 'float32')));
    }
    this.incrementIterations();
  }

  /** The step in the wasm heap; false (nothing done) where our module is not linked to the backend. */
  private stepOnHeap(name: string, variable: tf.Variable, gradient: tf.Tensor): boolean {
    if (this.moments.has(name) || !nativeKernelsAvailable(tf.backend())) return false;
    let state = this.heapMoments.get(name);
    if (!state) state = { m: tf.keep(tf.zeros(variable.shape)), v: tf.keep(tf.zeros(variable.shape)) };
    const [c1, c2] = [Math.fround(1 - this.accBeta1), Math.fround(1 - this.accBeta2)];
    const step = { beta1: this.beta1, beta2: this.beta2, c1, c2, epsilon: this.epsilon, learningRate: this.learningRate };
    const next = adamOnHeap(variable, gradient, state.m, state.v, step, tf.backend());
    if (!next) {
      if (!this.heapMoments.has(name)) tf.dispose([state.m, state.v]);
      return false;
    }
    this.heapMoments.set(name, state);
    variable.assign(next);
    next.dispose();
    return true;
  }

  override dispose(): void {
    this.moments.clear();
    this.heapMoments.forEach(({ m, v }) => tf.dispose([m, v]));
    this.heapMoments.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config.learningRate, config.beta1, config.beta2, config.epsilon);
  }
}
