import { describe, expect, it } from 'vitest';
import type { SummaryRow } from '../summary/summary.js';
import { layerArithmetic } from './arithmetic.js';

const row = (over: Partial<SummaryRow>): SummaryRow =>
  ({
    index: 0,
    name: 'conv1',
    type: 'Conv',
    inputShape: [1, 3, 227, 227],
    outputShape: [1, 96, 111, 111],
    window: { kind: 'window', kernel: [7, 7], stride: [2, 2], padBegin: [0, 0], padEnd: [0, 0], dilation: [1, 1] },
    params: 0,
    macs: 0,
    receptiveField: { global: false, h: { size: 7, jump: 2, start: 0 }, w: { size: 7, jump: 2, start: 0 }, inputHeight: 227, inputWidth: 227 },
    ...over,
  }) as SummaryRow;

describe('output size arithmetic', () => {
  it("fills (N − F + 2P) / S + 1 with SqueezeNet conv1's numbers", () => {
    const [h, w] = layerArithmetic(row({}));
    expect(h.text).toBe('(227 − 7 + 2·0) / 2 + 1 = 111');
    expect(w.out).toBe(111);
  });

  it("says when the size is not an integer (AlexNet's 224 input: 55.25 -> 55)", () => {
    const [h] = layerArithmetic(
      row({
        inputShape: [1, 3, 224, 224],
        outputShape: [1, 64, 55, 55],
        window: { kind: 'window', kernel: [11, 11], stride: [4, 4], padBegin: [2, 2], padEnd: [2, 2], dilation: [1, 1] },
      }),
    );
    expect(h.text).toBe('(224 − 11 + 2·2) / 4 + 1 = 55.25 → 55 (rounded down)');
  });

  it('has nothing to say for layers without a window', () => {
    expect(layerArithmetic(row({ window: undefined }))).toEqual([]);
  });
});
