/**
 * Eigenvalues and eigenvectors of a symmetric matrix (a covariance matrix, for PCA): Householder
 * reduction to tridiagonal form, then the implicit QL algorithm, as in JAMA's `tred2` and `tql2`
 * (public domain; the same algorithm ml-matrix implements), in float64.
 *
 * Written on flat Float64Arrays with the eigenvector matrix stored column by column, so that every
 * inner loop runs over consecutive memory: on a 784 × 784 covariance this takes about a second,
 * where ml-matrix's two-dimensional arrays took five (PCA sits in most lessons).
 */

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as columns of an n × n matrix, column by column: vector i is vectors[i·n … i·n + n). */
  vectors: Float64Array;
}

/** Eigendecomposition of the symmetric n × n matrix `a` (row-major; only symmetric input is valid). */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!(Number.isInteger(n) && n > 0) || a.length !== n * n) throw new Error(`symmetricEigen: expected ${n} × ${n} values, got ${a.length}.`);
  // V(r, c) lives at v[c * n + r]: column-major.
  const v = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const value = a[r * n + c];
      if (!Number.isFinite(value)) throw new Error(`symmetricEigen: entry (${r}, ${c}) is ${value}.`);
      v[c * n + r] = value;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(v, d, e, n);
  diagonalise(v, d, e, n);
  // Largest first: tql2 leaves them in ascending order.
  const order = Array.from(d.keys()).sort((i, j) => d[j] - d[i]);
  const values = Float64Array.from(order, (i) => d[i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => vectors.set(v.subarray(from * n, from * n + n), to * n));
  return { values, vectors };
}

/** JAMA's tred2: Householder reduction of V (column-major) to tridiagonal form (d, e), V accumulating the transforms. */
function tridiagonalise(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        const column = j * n;
        f = d[j];
        v[i * n + j] = f;
        g = e[j] + v[column + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[column + k] * d[k];
          e[k] += v[column + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const column = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[column + k] -= f * e[k] + g * d[k];
        d[j] = v[column + i - 1];
        v[column + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const column = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[next + k] * v[column + k];
        for (let k = 0; k <= i; k++) v[column + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1];
    v[j * n + n - 1] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** JAMA's tql2: the implicit QL algorithm on the tridiagonal (d, e), rotating V's columns along. */
function diagonalise(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const left = i * n;
          const right = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const vr = v[right + k];
            const vl = v[left + k];
            v[right + k] = s * vl + c * vr;
            v[left + k] = c * vl - s * vr;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Orthonormalises the b columns of q (n × b, column-major) in place: modified Gram–Schmidt, twice. */
function orthonormalise(q: Float64Array, n: number, b: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < b; j++) {
      const cj = j * n;
      for (let i = 0; i < j; i++) {
        const ci = i * n;
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[ci + r] * q[cj + r];
        for (let r = 0; r < n; r++) q[cj + r] -= dot * q[ci + r];
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += q[cj + r] * q[cj + r];
      norm = Math.sqrt(norm);
      // A column that vanished (the matrix has lower rank) is replaced by a unit vector, then made orthogonal again.
      if (norm < 1e-300) {
        q.fill(0, cj, cj + n);
        q[cj + (j % n)] = 1;
        j--;
        continue;
      }
      for (let r = 0; r < n; r++) q[cj + r] /= norm;
    }
  }
}

export interface TopEigenOptions {
  /** Extra columns iterated beyond k (faster, surer convergence). Default 10. */
  oversample: number;
  /** Largest relative residual ‖A·v − λ·v‖ / λ₁ accepted. Default 1e-7. */
  tolerance: number;
  /** Give up after this many iterations and fall back to the full decomposition. Default 300. */
  maxIterations: number;
  /** Seed of the starting block. */
  seed: number;
}

/**
 * The k largest eigenpairs of a symmetric positive semi-definite n × n matrix by subspace
 * iteration with Rayleigh–Ritz: `multiply(q)` returns A·q for an n × b block (both column-major,
 * float64), so the products can run on a fast backend. Converges when every one of the k Ritz
 * pairs has a relative residual below `tolerance`; otherwise returns undefined and the caller
 * falls back to symmetricEigen.
 */
export function topEigen(
  multiply: (q: Float64Array, b: number) => Float64Array,
  n: number,
  k: number,
  options: Partial<TopEigenOptions> = {},
): SymmetricEigen | undefined {
  const settings: TopEigenOptions = { oversample: 10, tolerance: 1e-7, maxIterations: 300, seed: 1, ...options };
  const b = Math.min(n, k + settings.oversample);
  let state = settings.seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296 - 0.5;
  };
  let q = Float64Array.from({ length: n * b }, random);
  orthonormalise(q, n, b);
  for (let iteration = 1; iteration <= settings.maxIterations; iteration++) {
    const z = multiply(q, b);
    if (iteration % 5 !== 0) {
      orthonormalise(z, n, b);
      q = z;
      continue;
    }
    // Rayleigh–Ritz: T = Qᵀ·A·Q (b × b), its eigenvectors rotate Q to the Ritz vectors.
    const t = new Float64Array(b * b);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b; j++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[i * n + r] * z[j * n + r];
        t[i * b + j] = dot;
      }
    }
    for (let i = 0; i < b; i++) for (let j = 0; j < i; j++) t[i * b + j] = t[j * b + i] = (t[i * b + j] + t[j * b + i]) / 2;
    const small = symmetricEigen(t, b);
    const ritz = new Float64Array(n * b);
    const image = new Float64Array(n * b);
    for (let c = 0; c < b; c++) {
      for (let i = 0; i < b; i++) {
        const w = small.vectors[c * b + i];
        if (w === 0) continue;
        for (let r = 0; r < n; r++) {
          ritz[c * n + r] += w * q[i * n + r];
          image[c * n + r] += w * z[i * n + r];
        }
      }
    }
    const scale = Math.max(Math.abs(small.values[0]), 1e-300);
    let worst = 0;
    for (let c = 0; c < k; c++) {
      let residual = 0;
      for (let r = 0; r < n; r++) residual += (image[c * n + r] - small.values[c] * ritz[c * n + r]) ** 2;
      worst = Math.max(worst, Math.sqrt(residual) / scale);
    }
    if (worst < settings.tolerance) return { values: small.values.slice(0, k), vectors: ritz.slice(0, k * n) };
    orthonormalise(image, n, b);
    q = image;
  }
  return undefined;
}
