import { describe, expect, it } from 'vitest';
import { summaryLine } from '../scripts/bench/summary.js';
import { SUMMARY_KEYS, type BenchRow } from '../scripts/bench/types.js';

const row = (name: string, ms: number, extra: Record<string, number | string> = {}): BenchRow => ({ name, ms_median: ms, ms_min: ms, ms_max: ms, runs: 1, ...extra });

describe('summaryLine', () => {
  it("collects the issue's keys from whichever part reported them, in the issue's order", () => {
    const rows = [
      row('startup.sw', 640, { startup_sw_ms: 640 }),
      row('app.fps.wasm', 20, { fps_over_ideal: 0.93 }),
      row('app.inference.wasm', 18, { app_inference_over_bare: 1.04 }),
      row('app.inspector.conv1.wasm', 400, { inspector_hz_conv1: 2.5, note: 'x' }),
    ];
    const { text, values } = summaryLine(rows);
    expect(values).toMatchObject({ startup_sw_ms: 640, fps_over_ideal: 0.93, app_inference_over_bare: 1.04, inspector_hz_conv1: 2.5 });
    expect(text.split(' ').map((kv) => kv.split('=')[0])).toEqual(['fps_over_ideal', 'app_inference_over_bare', 'inspector_hz_conv1', 'startup_sw_ms']);
    expect(text).toContain('inspector_hz_conv1=2.500');
  });

  it('leaves out a key no part reported, and ignores non-numeric or non-finite reports', () => {
    const { values } = summaryLine([row('a', 1, { first_visit_gzip_mb: 'n/a' }), row('b', 1, { startup_cold_ms: Number.NaN })]);
    for (const k of SUMMARY_KEYS) expect(values).not.toHaveProperty(k);
  });

  it('still computes the same-run ms ratios beside the reported keys', () => {
    const { values, text } = summaryLine([row('reference.node.total', 300), row('reference.ort.node.wasm.1t', 100), row('app.fps.wasm', 20, { fps_over_ideal: 0.9 })]);
    expect(values.reference_over_ort_1t).toBeCloseTo(3);
    expect(text.startsWith('fps_over_ideal=0.900 reference_over_ort_1t=3.000')).toBe(true);
  });
});
