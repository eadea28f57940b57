import { describe, expect, it } from 'vitest';
import { effectiveKernel, lastCoveredIndex, outputSize, propagateAxis, windowGeometry } from '../../src/reference/geometry.js';

describe('window geometry formulas', () => {
  it('effective kernel is (k - 1)·d + 1', () => {
    expect(effectiveKernel(3, 1)).toBe(3);
    expect(effectiveKernel(3, 2)).toBe(5);
    expect(effectiveKernel(1, 4)).toBe(1);
  });

  it('output size is (N - F + P_begin + P_end) / S + 1 with a non-integer flag', () => {
    expect(outputSize(227, 11, 0, 0, 4)).toEqual({ exact: 55, integer: true });
    expect(outputSize(224, 11, 2, 2, 4)).toEqual({ exact: 55.25, integer: false });
    expect(outputSize(8, 3, 1, 0, 2)).toEqual({ exact: 4, integer: true });
  });

  it('last covered index: windows start at -P_begin and step S', () => {
    // 8 inputs, F 3, S 2, no pads: windows at 0, 2, 4 -> last covers index 6, index 7 unseen.
    expect(lastCoveredIndex(3, 3, 0, 2)).toBe(6);
    expect(lastCoveredIndex(4, 3, 1, 2)).toBe(7);
  });

  it('receptive field: size + (F_eff - 1)·jump, jump·S, start - P_begin·jump', () => {
    const g = windowGeometry({ kernel: [3, 5], stride: [2, 1], dilation: [2, 1], applied: [1, 2, 1, 2] });
    expect(g).toEqual({ kind: 'window', kernel: [3, 5], stride: [2, 1], dilation: [2, 1], padBegin: [1, 2], padEnd: [1, 2] });
    expect(propagateAxis({ size: 3, jump: 4, start: -2 }, g, 0)).toEqual({ size: 3 + 4 * 4, jump: 8, start: -6 });
    expect(propagateAxis({ size: 1, jump: 1, start: 0 }, g, 1)).toEqual({ size: 5, jump: 1, start: -2 });
  });
});
