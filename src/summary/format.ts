// Text rendering of a ModelSummary, laid out like torchinfo's table.
import type { Shape } from '../model/onnx-read.js';
import type { ModelSummary, SummaryRow } from './summary.js';

const shape = (s: Shape): string => `[${s.join(', ')}]`;
const pair = (a: number, b: number): string => (a === b ? String(a) : `${a}x${b}`);
const thousands = (n: number): string => n.toLocaleString('en-US');
const fixed = (n: number): string => n.toFixed(2);

function windowText(r: SummaryRow): [string, string, string] {
  const w = r.window;
  if (!w) return ['', '', ''];
  const [t, l] = w.padBegin;
  const [b, rr] = w.padEnd;
  const pad = t === b && l === rr ? pair(t, l) : `${t},${l},${b},${rr}`;
  return [pair(w.kernel[0], w.kernel[1]) + (w.dilation[0] > 1 || w.dilation[1] > 1 ? ` d${pair(w.dilation[0], w.dilation[1])}` : ''), pair(w.stride[0], w.stride[1]), pad];
}

function fieldText(r: SummaryRow): [string, string] {
  const f = r.receptiveField;
  if (f.global) return ['global', '-'];
  return [pair(f.h.size, f.w.size), pair(f.h.jump, f.w.jump)];
}

export function formatSummary(s: ModelSummary): string {
  const header = ['Layer (type)', 'Input shape', 'Output shape', 'Kernel', 'Stride', 'Pad', 'Param #', 'Mult-Adds', 'RF', 'Jump'];
  const table = s.rows.map((r) => {
    const [k, st, p] = windowText(r);
    const [rf, jump] = fieldText(r);
    return [`${r.name} (${r.type})`, shape(r.inputShape), shape(r.outputShape), k, st, p, r.params ? thousands(r.params) : '--', r.macs ? thousands(r.macs) : '--', rf, jump];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const right = new Set([6, 7]);
  const line = (cells: string[]): string => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const t = s.totals;
  const out = [
    `Model: ${s.name}    input ${s.input.name} ${shape(s.input.shape)}`,
    rule('='),
    line(header),
    rule('='),
    ...table.map(line),
    rule('='),
    `Total params: ${thousands(t.params)}`,
    `Trainable params: ${thousands(t.trainableParams)}`,
    `Non-trainable params: ${thousands(t.nonTrainableParams)}`,
    `Total mult-adds (M): ${fixed(t.macs / 1e6)}`,
    rule('='),
    `Input size (MB): ${fixed(t.inputMB)}`,
    `Forward pass size (MB): ${fixed(t.forwardPassMB)}`,
    `Params size (MB): ${fixed(t.paramsMB)}`,
    `Trainable params size (MB): ${fixed(t.trainableMB)}`,
    `Estimated total size (MB): ${fixed(t.estimatedTotalMB)}`,
    rule('='),
  ];
  const notes = s.rows.filter((r) => r.coverage && !r.coverage.exact);
  if (notes.length) {
    out.push('Windows that do not tile their input ((N - F + 2P) / S + 1 is not an integer; the last partial window is dropped):');
    for (const r of notes) {
      const c = r.coverage!;
      const exact = c.exactOutput.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(2))).join(' x ');
      out.push(`  ${r.name}: output ${exact} -> ${r.outputShape[2]} x ${r.outputShape[3]}; ${c.uncoveredRows} input row(s) and ${c.uncoveredCols} input column(s) never covered`);
    }
  }
  return out.join('\n') + '\n';
}
