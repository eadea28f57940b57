// Two classifiers scored on the same photos: the difference of their accuracies with how far it can
// be trusted. On a few hundred photos one photo moves a model by 0.5 points, so a difference of a few
// points needs its uncertainty beside it. Paired statistics use the photos both models saw: only the
// photos where they disagree carry information about which one is better.
import { createRng } from '../../src/model/seeded-rng.js';

export interface PairedComparison {
  n: number;
  /** Accuracy of A and of B (fractions). */
  a: number;
  b: number;
  /** a - b. */
  diff: number;
  /** Percentile bootstrap interval of a - b over photos resampled with replacement. */
  interval: [number, number];
  level: number;
  resamples: number;
  /** Photos right with A and wrong with B, and the other way round. */
  onlyA: number;
  onlyB: number;
  /** Exact McNemar test, two-sided: P(a split of the discordant photos at least this uneven | no difference). */
  p: number;
}

export interface PairedOptions {
  /** Bootstrap resamples (default 10 000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
  /** Seed of the resampling, so a run prints the same interval twice. */
  seed?: number;
}

/**
 * Exact two-sided McNemar test: with d = k + m discordant photos and no difference between the
 * models, each falls either way with probability 1/2, so p = min(1, 2 P(X <= min(k, m))), X ~ Bin(d, 1/2).
 */
export function mcnemarExact(k: number, m: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(m) || k < 0 || m < 0) throw new RangeError(`McNemar counts must be non-negative integers, got ${k} and ${m}`);
  const d = k + m;
  if (d === 0) return 1;
  // Binomial terms in log space: C(d, i) / 2^d underflows doubles past d ~ 1000.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= Math.min(k, m); i++) {
    if (i > 0) logC += Math.log(d - i + 1) - Math.log(i);
    tail += Math.exp(logC - d * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Compares A and B photo by photo; hitsA[i] and hitsB[i] say whether each got photo i right. */
export function pairedComparison(hitsA: readonly boolean[], hitsB: readonly boolean[], options: PairedOptions = {}): PairedComparison {
  const n = hitsA.length;
  if (n === 0) throw new RangeError('no photos to compare');
  if (hitsB.length !== n) throw new RangeError(`the two models were scored on different numbers of photos (${n} and ${hitsB.length})`);
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`the interval's level must lie between 0 and 1, got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);

  // Per photo, A - B is +1, -1 or 0: the difference of accuracies is their mean.
  const delta = new Int8Array(n);
  let hitA = 0;
  let hitB = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < n; i++) {
    hitA += +hitsA[i];
    hitB += +hitsB[i];
    delta[i] = +hitsA[i] - +hitsB[i];
    if (delta[i] > 0) onlyA++;
    else if (delta[i] < 0) onlyB++;
  }

  const random = createRng(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += delta[Math.floor(random() * n)];
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))];

  return {
    n,
    a: hitA / n,
    b: hitB / n,
    diff: (hitA - hitB) / n,
    interval: [at(tail), at(1 - tail)],
    level,
    resamples,
    onlyA,
    onlyB,
    p: mcnemarExact(onlyA, onlyB),
  };
}
