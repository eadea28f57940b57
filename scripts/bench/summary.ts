// The key ratios of a bench run, computed only from rows measured in that same run.
import type { BenchRow } from './types.js';

export interface Summary {
  text: string;
  values: Record<string, number>;
}

/** Multiply-adds of the default model (SqueezeNet v1.0 at 227x227, from the model summary). */
export const SQUEEZENET_MACS = 861_000_000;

export function summaryLine(rows: BenchRow[]): Summary {
  const get = (name: string): BenchRow | undefined => rows.find((r) => r.name === name);
  const values: Record<string, number> = {};
  const ratio = (key: string, a: BenchRow | undefined, b: BenchRow | undefined): void => {
    if (a && b) values[key] = a.ms_median / b.ms_median;
  };
  const ort1 = get('ort.node.wasm.1t');
  ratio('reference_over_ort_1t', get('reference.node.total'), ort1);
  for (const r of rows) {
    if (typeof r.macs === 'number' && r.ms_median > 0) values[`gflops.${r.name}`] = (2 * r.macs) / (r.ms_median * 1e6);
  }
  for (const r of rows) {
    if (r.name.startsWith('ort.node.wasm.') || r.name.startsWith('reference.node.total')) {
      values[`gflops.${r.name}`] ??= (2 * SQUEEZENET_MACS) / (r.ms_median * 1e6);
    }
  }
  for (const r of rows) if (r.name.startsWith('ratio.')) values[r.name.slice(6)] = r.ms_median;
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${v.toFixed(3)}`)
    .join(' ');
  return { text: text || '(no ratios: run more parts together)', values };
}
