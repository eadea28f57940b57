// Trains the taught classifier head on embeddings, in pure TypeScript on typed arrays, so the
// same code runs in a Web Worker and on the command line.
//
// Features: x̂ = (x - centre) / ||x - centre||, the centre being the mean training embedding
// (centring before L2 normalisation spreads post-ReLU features, which all share one orthant, over
// the sphere; SimpleShot, Wang et al. 2019). Then either
// - softmax regression: logits = W x̂ + b minimising the class-balanced mean cross-entropy plus
//   weight decay (λ/2)||W||², by L-BFGS from zero (deterministic: no random initialisation), or
// - nearest class mean when some class has fewer than `minExamplesForRegression` examples:
//   logits = s · cos(x̂, mean of the class's x̂), s a fixed temperature.
// Both are one linear layer, so the exported graph is the same: Add(-centre), LpNormalization, Gemm, Softmax.
import { validateClasses, type TeachClass } from './classes.js';

export type HeadMethod = 'softmax-regression' | 'nearest-class-mean';

export interface HeadOptions {
  /** λ of the weight decay (λ/2)||W||² on the mean loss. */
  weightDecay?: number;
  maxIterations?: number;
  /** Below this many examples in any class, nearest class mean is used. */
  minExamplesForRegression?: number;
  /** Temperature of the nearest-class-mean logits (cosine similarity times this). */
  nearestMeanScale?: number;
  /** Top probability under which the answer is "unknown". */
  unknownThreshold?: number;
}

export const HEAD_DEFAULTS: Required<HeadOptions> = {
  weightDecay: 1e-4,
  maxIterations: 150,
  minExamplesForRegression: 3,
  nearestMeanScale: 10,
  unknownThreshold: 0.5,
};

export interface TrainedHead {
  method: HeadMethod;
  classes: string[];
  dim: number;
  /** Subtracted from the embedding before normalising. */
  centre: Float32Array;
  /** [K, D] row-major: one row per class. */
  weights: Float32Array;
  bias: Float32Array;
  unknownThreshold: number;
  /** L-BFGS iterations (0 for nearest class mean) and the final objective. */
  iterations: number;
  loss: number;
}

export interface HeadPrediction {
  probabilities: Float32Array;
  /** Index of the most probable class. */
  best: number;
  /** The class name, or null when the top probability is under the unknown threshold. */
  label: string | null;
}

/** x̂ = (x - centre) / ||x - centre||; 0 stays 0 (as LpNormalization does). */
export function normalise(x: Float32Array, centre: Float32Array, out: Float32Array = new Float32Array(x.length)): Float32Array {
  let sq = 0;
  for (let d = 0; d < x.length; d++) {
    const v = x[d] - centre[d];
    out[d] = v;
    sq += v * v;
  }
  const s = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  for (let d = 0; d < x.length; d++) out[d] *= s;
  return out;
}

export function trainHead(classes: readonly TeachClass[], options: HeadOptions = {}): TrainedHead {
  const o = { ...HEAD_DEFAULTS, ...options };
  const dim = validateClasses(classes, 'train');
  const k = classes.length;
  const counts = classes.map((c) => c.embeddings.length);
  const n = counts.reduce((a, b) => a + b, 0);

  const centre = new Float32Array(dim);
  for (const c of classes) for (const e of c.embeddings) for (let d = 0; d < dim; d++) centre[d] += e[d];
  for (let d = 0; d < dim; d++) centre[d] /= n;

  const x = new Float32Array(n * dim);
  const y = new Int32Array(n);
  let row = 0;
  classes.forEach((c, ci) => {
    for (const e of c.embeddings) {
      normalise(e, centre, x.subarray(row * dim, (row + 1) * dim));
      y[row++] = ci;
    }
  });
  const base = { classes: classes.map((c) => c.name.trim()), dim, centre, unknownThreshold: o.unknownThreshold };

  if (Math.min(...counts) < o.minExamplesForRegression) {
    const weights = new Float32Array(k * dim);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) weights[y[i] * dim + d] += x[i * dim + d];
    for (let c = 0; c < k; c++) {
      const w = weights.subarray(c * dim, (c + 1) * dim);
      normalise(w, new Float32Array(dim), w);
      for (let d = 0; d < dim; d++) w[d] *= o.nearestMeanScale;
    }
    return { ...base, method: 'nearest-class-mean', weights, bias: new Float32Array(k), iterations: 0, loss: NaN };
  }

  // Class-balanced weights: every class counts as much as the others whatever its example count.
  const sampleWeight = Float64Array.from(y, (c) => n / (k * counts[c]));
  // One element type in the inner loops (mixing Float32Array and Float64Array reads is slower in V8).
  const objective = softmaxObjective(Float64Array.from(x), y, sampleWeight, n, dim, k, o.weightDecay);
  const { params, iterations, value } = lbfgs(objective, new Float64Array(k * dim + k), o.maxIterations);
  return {
    ...base,
    method: 'softmax-regression',
    weights: Float32Array.from(params.subarray(0, k * dim)),
    bias: Float32Array.from(params.subarray(k * dim)),
    iterations,
    loss: value,
  };
}

export function predictHead(head: TrainedHead, embedding: Float32Array): HeadPrediction {
  const { dim, weights, bias } = head;
  const k = head.classes.length;
  const xh = normalise(embedding, head.centre);
  const logits = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let z = bias[c];
    for (let d = 0, w = c * dim; d < dim; d++) z += weights[w + d] * xh[d];
    logits[c] = z;
  }
  const probabilities = softmax(logits);
  let best = 0;
  for (let c = 1; c < k; c++) if (probabilities[c] > probabilities[best]) best = c;
  return { probabilities, best, label: probabilities[best] >= head.unknownThreshold ? head.classes[best] : null };
}

function softmax(logits: Float64Array): Float32Array {
  let max = -Infinity;
  for (const z of logits) max = Math.max(max, z);
  let sum = 0;
  const p = new Float32Array(logits.length);
  for (let c = 0; c < logits.length; c++) sum += Math.exp(logits[c] - max);
  for (let c = 0; c < logits.length; c++) p[c] = Math.exp(logits[c] - max) / sum;
  return p;
}

type Objective = (params: Float64Array, grad: Float64Array) => number;

/** Weighted mean cross-entropy of softmax(W x + b) plus (λ/2)||W||², and its gradient. */
function softmaxObjective(x: Float64Array, y: Int32Array, sw: Float64Array, n: number, dim: number, k: number, lambda: number): Objective {
  const z = new Float64Array(k);
  return (params, grad) => {
    grad.fill(0);
    let loss = 0;
    const bOff = k * dim;
    for (let i = 0; i < n; i++) {
      const xo = i * dim;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = params[bOff + c];
        const wo = c * dim;
        for (let d = 0; d < dim; d++) s += params[wo + d] * x[xo + d];
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[c] - max);
      const logSum = max + Math.log(sum);
      loss += sw[i] * (logSum - z[y[i]]);
      for (let c = 0; c < k; c++) {
        const r = (sw[i] * (Math.exp(z[c] - logSum) - (c === y[i] ? 1 : 0))) / n;
        if (r === 0) continue;
        grad[bOff + c] += r;
        const wo = c * dim;
        for (let d = 0; d < dim; d++) grad[wo + d] += r * x[xo + d];
      }
    }
    loss /= n;
    let sq = 0;
    for (let j = 0; j < bOff; j++) {
      sq += params[j] * params[j];
      grad[j] += lambda * params[j];
    }
    return loss + 0.5 * lambda * sq;
  };
}

/** Limited-memory BFGS (10 pairs) with a backtracking Armijo line search; convex problems only. */
function lbfgs(f: Objective, x0: Float64Array, maxIterations: number): { params: Float64Array; iterations: number; value: number } {
  const m = 10;
  const len = x0.length;
  let x = x0;
  let g = new Float64Array(len);
  let fx = f(x, g);
  const s: Float64Array[] = [];
  const yv: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const dir = new Float64Array(len);
  const xNew = new Float64Array(len);
  let gNew = new Float64Array(len);
  let iter = 0;
  for (; iter < maxIterations; iter++) {
    let gMax = 0;
    for (let j = 0; j < len; j++) gMax = Math.max(gMax, Math.abs(g[j]));
    if (gMax < 1e-4) break;
    // Two-loop recursion: dir = -H g.
    for (let j = 0; j < len; j++) dir[j] = -g[j];
    for (let h = s.length - 1; h >= 0; h--) {
      alpha[h] = rho[h] * dot(s[h], dir);
      axpy(-alpha[h], yv[h], dir);
    }
    const gamma = s.length ? dot(s[s.length - 1], yv[yv.length - 1]) / dot(yv[yv.length - 1], yv[yv.length - 1]) : 1 / Math.sqrt(dot(g, g));
    for (let j = 0; j < len; j++) dir[j] *= gamma;
    for (let h = 0; h < s.length; h++) axpy(alpha[h] - rho[h] * dot(yv[h], dir), s[h], dir);
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = yv.length = rho.length = 0;
      for (let j = 0; j < len; j++) dir[j] = -g[j] / Math.sqrt(dot(g, g));
      slope = dot(g, dir);
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < len; j++) xNew[j] = x[j] + step * dir[j];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break;
    const sk = new Float64Array(len);
    const yk = new Float64Array(len);
    for (let j = 0; j < len; j++) {
      sk[j] = xNew[j] - x[j];
      yk[j] = gNew[j] - g[j];
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        yv.shift();
        rho.shift();
      }
      s.push(sk);
      yv.push(yk);
      rho.push(1 / sy);
    }
    const converged = fx - fNew < 1e-6 * Math.max(1, Math.abs(fx));
    x = Float64Array.from(xNew);
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (converged) {
      iter++;
      break;
    }
  }
  return { params: x, iterations: iter, value: fx };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let j = 0; j < x.length; j++) y[j] += a * x[j];
}
