// The paired comparison behind `npm run eval -- --compare`: McNemar's exact test against binomial
// tails worked by hand, and the bootstrap interval's behaviour where its answer is known.
import { describe, expect, it } from 'vitest';
import { mcnemarExact, pairedComparison } from '../scripts/lib/paired-accuracy.js';

/** hits: `right` true then the rest false, in a fixed order. */
function hits(n: number, right: number[]): boolean[] {
  const set = new Set(right);
  return Array.from({ length: n }, (_, i) => set.has(i));
}

describe('mcnemarExact', () => {
  it('matches binomial tails worked by hand', () => {
    // 5 discordant photos all one way: 2 x (1/2)^5.
    expect(mcnemarExact(5, 0)).toBeCloseTo(0.0625, 12);
    expect(mcnemarExact(0, 5)).toBeCloseTo(0.0625, 12);
    // 3 vs 1: 2 x (C(4,0) + C(4,1)) / 16 = 10/16.
    expect(mcnemarExact(3, 1)).toBeCloseTo(0.625, 12);
    // 10 vs 2: 2 x (1 + 12 + 66) / 4096 = 158/4096.
    expect(mcnemarExact(10, 2)).toBeCloseTo(158 / 4096, 12);
    // An even split, and nothing discordant, say nothing: p = 1.
    expect(mcnemarExact(7, 7)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it('stays finite for thousands of discordant photos (log-space terms)', () => {
    const p = mcnemarExact(1100, 900);
    // Normal approximation with continuity correction: z = (|1100 - 900| - 1) / sqrt(2000) = 4.45, p ~ 8.6e-6.
    expect(p).toBeGreaterThan(5e-6);
    expect(p).toBeLessThan(1.2e-5);
    expect(mcnemarExact(1000, 1000)).toBe(1);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow('McNemar counts must be non-negative integers, got -1 and 3');
    expect(() => mcnemarExact(1.5, 3)).toThrow(RangeError);
  });
});

describe('pairedComparison', () => {
  it('counts the accuracies and the photos only one model gets right', () => {
    // 10 photos: A right on 0-6, B right on 0-3 and 8: A only on 4, 5, 6; B only on 8.
    const c = pairedComparison(hits(10, [0, 1, 2, 3, 4, 5, 6]), hits(10, [0, 1, 2, 3, 8]));
    expect(c).toMatchObject({ n: 10, a: 0.7, b: 0.5, onlyA: 3, onlyB: 1, level: 0.95, resamples: 10_000 });
    expect(c.diff).toBeCloseTo(0.2, 12);
    expect(c.p).toBeCloseTo(0.625, 12);
    expect(c.interval[0]).toBeLessThanOrEqual(c.diff);
    expect(c.interval[1]).toBeGreaterThanOrEqual(c.diff);
    // Each resample's difference is a multiple of 1/n between -1 and 1.
    for (const end of c.interval) expect(Math.abs(end * 10 - Math.round(end * 10))).toBeLessThan(1e-9);
  });

  it('gives a zero-width interval when the models agree on every photo', () => {
    const same = hits(50, [1, 4, 9, 16, 25, 36, 49]);
    const c = pairedComparison(same, same);
    expect(c.diff).toBe(0);
    expect(c.interval).toEqual([0, 0]);
    expect(c.p).toBe(1);
  });

  it('keeps the interval above zero when every disagreement favours A', () => {
    // 200 photos, 30 disagreements all A's: the bootstrap cannot draw a resample where B wins.
    const a = hits(200, Array.from({ length: 130 }, (_, i) => i));
    const b = hits(200, Array.from({ length: 100 }, (_, i) => i));
    const c = pairedComparison(a, b);
    expect(c.diff).toBeCloseTo(0.15, 12);
    expect(c.interval[0]).toBeGreaterThan(0.08);
    expect(c.interval[1]).toBeLessThan(0.22);
    expect(c.p).toBeLessThan(1e-8);
  });

  it('is reproducible for a seed and widens with the level', () => {
    const a = hits(200, Array.from({ length: 120 }, (_, i) => i * 1.5).map(Math.floor));
    const b = hits(200, Array.from({ length: 110 }, (_, i) => 199 - i));
    const one = pairedComparison(a, b, { seed: 7 });
    expect(pairedComparison(a, b, { seed: 7 }).interval).toEqual(one.interval);
    const wide = pairedComparison(a, b, { seed: 7, level: 0.99 });
    expect(wide.interval[0]).toBeLessThanOrEqual(one.interval[0]);
    expect(wide.interval[1]).toBeGreaterThanOrEqual(one.interval[1]);
    expect(wide.interval[1] - wide.interval[0]).toBeGreaterThan(one.interval[1] - one.interval[0]);
  });

  it('refuses photo lists of different lengths, an empty list and a level outside (0, 1)', () => {
    expect(() => pairedComparison([true, false], [true])).toThrow('the two models were scored on different numbers of photos (2 and 1)');
    expect(() => pairedComparison([], [])).toThrow('no photos to compare');
    expect(() => pairedComparison([true], [false], { level: 95 })).toThrow("the interval's level must lie between 0 and 1, got 95");
  });
});
