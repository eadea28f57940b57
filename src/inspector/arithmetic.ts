// The lecture's output-size formula, (N - F + 2P) / S + 1, filled in with a layer's own numbers.
// The numbers come from ../reference/geometry.ts; this module only writes them out.
import { effectiveKernel, outputSize } from '../reference/geometry.js';
import type { SummaryRow } from '../summary/summary.js';

export interface AxisArithmetic {
  axis: 'height' | 'width';
  n: number;
  /** Effective kernel extent (dilated). */
  f: number;
  padBegin: number;
  padEnd: number;
  s: number;
  exact: number;
  out: number;
  /** e.g. "(227 − 7 + 2·0) / 2 + 1 = 111". */
  text: string;
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function layerArithmetic(row: SummaryRow): AxisArithmetic[] {
  const w = row.window;
  if (!w || row.inputShape.length !== 4 || row.outputShape.length !== 4) return [];
  return ([0, 1] as const).map((i) => {
    const n = row.inputShape[2 + i];
    const out = row.outputShape[2 + i];
    const f = effectiveKernel(w.kernel[i], w.dilation[i]);
    const pb = w.padBegin[i];
    const pe = w.padEnd[i];
    const s = w.stride[i];
    const { exact, integer } = outputSize(n, f, pb, pe, s);
    const pads = pb === pe ? `2·${pb}` : `${pb} + ${pe}`;
    const kernel = w.dilation[i] > 1 ? `${f} (kernel ${w.kernel[i]}, dilation ${w.dilation[i]})` : String(f);
    const rounded = integer ? '' : ` → ${out} (${out === Math.floor(exact) ? 'rounded down' : 'rounded up: ceil_mode'})`;
    return {
      axis: i === 0 ? 'height' : 'width',
      n,
      f,
      padBegin: pb,
      padEnd: pe,
      s,
      exact,
      out,
      text: `(${n} − ${kernel} + ${pads}) / ${s} + 1 = ${fmt(exact)}${rounded}`,
    };
  });
}
