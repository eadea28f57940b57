// npm run bench [-- <part>...] [--json] [--quick]
// Runs every benchmark part (or the named ones) in one process, prints a table per part and, at
// the end, one summary line of ratios measured in this same run. --json prints one JSON object per
// row instead of tables.
import { parseArgs } from 'node:util';
import { closeServer } from './bench/browser-harness.js';
import { PARTS } from './bench/parts.js';
import { summaryLine } from './bench/summary.js';
import type { BenchRow } from './bench/types.js';

function table(rows: BenchRow[]): string {
  const extraKeys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
    (k) => !['name', 'ms_median', 'ms_min', 'ms_max', 'runs'].includes(k),
  );
  const head = ['name', 'median ms', 'min ms', 'max ms', 'runs', ...extraKeys];
  const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1)) : String(v ?? ''));
  const body = rows.map((r) => [r.name, fmt(r.ms_median), fmt(r.ms_min), fmt(r.ms_max), fmt(r.runs), ...extraKeys.map((k) => fmt(r[k]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } },
  });
  if (values.list) {
    for (const p of PARTS) console.log(`${p.name.padEnd(14)} ${p.description}`);
    return;
  }
  const unknown = positionals.filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length) {
    throw new Error(`unknown bench part(s): ${unknown.join(', ')}; parts are: ${PARTS.map((p) => p.name).join(', ')}`);
  }
  const chosen = positionals.length ? PARTS.filter((p) => positionals.includes(p.name)) : PARTS;
  const all: BenchRow[] = [];
  for (const part of chosen) {
    if (!values.json) console.log(`\n## ${part.name}: ${part.description}`);
    const rows = await part.run({ quick: values.quick });
    all.push(...rows);
    if (values.json) for (const r of rows) console.log(JSON.stringify(r));
    else console.log(table(rows));
  }
  const summary = summaryLine(all);
  console.log(values.json ? JSON.stringify({ name: 'summary', ...summary.values }) : `\nsummary: ${summary.text}`);
}

main().then(
  async () => {
    await closeServer();
    process.exit(0);
  },
  (err: unknown) => {
    console.error(`bench: ${(err as Error).message}`);
    process.exit(1);
  },
);
