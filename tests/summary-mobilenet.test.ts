// The model summary of the converted MobileNetV2: golden text (UPDATE_GOLDEN=1 regenerates it),
// the published size (about 3.5 M parameters, 300 M multiply-adds) and receptive fields through
// TensorFlow's asymmetric SAME padding, worked by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../src/reference/load-graph.js';
import { formatSummary } from '../src/summary/format.js';
import { receptiveFieldOfCell } from '../src/summary/receptive-field.js';
import { summarizeModel } from '../src/summary/summary.js';
import { loadBuiltModel } from '../scripts/lib/default-model.js';

const golden = join(import.meta.dirname, 'golden', 'summary-mobilenet_v2.txt');

describe('MobileNetV2 summary', () => {
  const summary = summarizeModel(readOnnx(loadBuiltModel('mobilenet_v2').bytes));

  it('matches its golden text', () => {
    const text = formatSummary(summary);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('has about 3.5 M parameters and 300 M multiply-adds', () => {
    expect(summary.totals.params).toBe(3_489_097);
    expect(summary.totals.params).toBeGreaterThanOrEqual(3_480_000);
    expect(summary.totals.params).toBeLessThanOrEqual(3_500_000);
    expect(summary.totals.macs / 1e6).toBeCloseTo(300.78, 1);
    // A depthwise 3x3 over 960 channels at 7x7: 960 x 9 weights + 960 biases, 9 multiply-adds per output.
    const dw = summary.rows.find((r) => r.name === 'block16/depthwise')!;
    expect(dw.params).toBe(960 * 9 + 960);
    expect(dw.macs).toBe(960 * 7 * 7 * 9);
  });

  it('propagates receptive fields through asymmetric SAME pads', () => {
    const row = (name: string) => summary.rows.find((r) => r.name === name)!.receptiveField;
    // stem 3x3 stride 2, pads 0 before / 1 after: size 3, jump 2, start 0.
    expect(row('stem/conv').h).toEqual({ size: 3, jump: 2, start: 0 });
    // block0 depthwise 3x3 stride 1 pad 1: size 3 + 2 * 2 = 7, start 0 - 1 * 2 = -2.
    expect(row('block0/depthwise').h).toEqual({ size: 7, jump: 2, start: -2 });
    // block1 depthwise 3x3 stride 2, pads 0 / 1 on 112: size 7 + 2 * 2 = 11, jump 4, start -2.
    expect(row('block1/depthwise').h).toEqual({ size: 11, jump: 4, start: -2 });
    expect(receptiveFieldOfCell(row('block1/depthwise'), 1, 2).unclipped).toEqual({ x0: 6, y0: 2, x1: 17, y1: 13 });
    expect(row('head/conv').h.jump).toBe(32);
  });
});
