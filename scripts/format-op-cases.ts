// npx tsx scripts/format-op-cases.ts [--check]
// Rewrites tests/ops/*.json so a case reads as a table: number arrays sit on one line when short,
// and a tensor's `data` is laid out one row (its last dimension) per line. Everything else is
// ordinary 2-space JSON. --check only lists the files that are not formatted (exit 1 if any);
// tests/reference/op-cases-format.test.ts runs the same check.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/paths.js';

export const OP_CASES_DIR = join(ROOT, 'tests', 'ops');
const INDENT = '  ';
/** A number array longer than this on one line is wrapped into rows. */
const MAX_LINE = 100;
/** Row length for a long number array whose tensor has no usable last dimension. */
const DEFAULT_ROW = 12;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isNumberArray = (v: Json): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');

/** Row length for a tensor's data: its last dimension when the object beside it gives `dims`. */
function rowLength(parent: { [key: string]: Json } | null, key: string | null): number {
  const dims = parent?.dims ?? null;
  if ((key === 'data' || key === 'int64') && isNumberArray(dims)) {
    const last = dims[dims.length - 1];
    if (last > 1 && last <= 32) return last;
  }
  return DEFAULT_ROW;
}

/** Short attribute objects and input lists stay on one line when every part does and it fits. */
function oneLine(items: string[], open: string, close: string, pad: string): string | null {
  if (items.some((i) => i.includes('\n'))) return null;
  const text = `${open}${items.join(', ')}${close}`;
  return pad.length + text.length + 20 <= MAX_LINE ? text : null;
}

function format(value: Json, depth: number, parent: { [key: string]: Json } | null, key: string | null): string {
  const pad = INDENT.repeat(depth);
  const inner = INDENT.repeat(depth + 1);
  if (isNumberArray(value)) {
    const one = `[${value.map((x) => JSON.stringify(x)).join(', ')}]`;
    const row = rowLength(parent, key);
    if (value.length <= row && pad.length + one.length <= MAX_LINE) return one;
    const lines: string[] = [];
    for (let i = 0; i < value.length; i += row) lines.push(inner + value.slice(i, i + row).map((x) => JSON.stringify(x)).join(', '));
    return `[\n${lines.join(',\n')}\n${pad}]`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => format(v, depth + 1, null, null));
    return oneLine(items, '[', ']', pad) ?? `[\n${items.map((v) => inner + v).join(',\n')}\n${pad}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const items = entries.map(([k, v]) => `${JSON.stringify(k)}: ${format(v, depth + 1, value, k)}`);
    // A case (it has a name) always spreads over lines, so cases line up one under another.
    const short = 'name' in value ? null : oneLine(items, '{ ', ' }', pad);
    return short ?? `{\n${items.map((v) => inner + v).join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value);
}

/** The formatted text of one operator-case file's parsed content. */
export function formatOpCases(value: unknown): string {
  return format(value as Json, 0, null, null) + '\n';
}

export function opCaseFiles(): string[] {
  return readdirSync(OP_CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Files whose text differs from their formatted form. */
export function unformattedOpCaseFiles(): string[] {
  return opCaseFiles().filter((f) => {
    const text = readFileSync(join(OP_CASES_DIR, f), 'utf8');
    return text !== formatOpCases(JSON.parse(text));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--check')) {
    const bad = unformattedOpCaseFiles();
    for (const f of bad) console.error(`tests/ops/${f} is not formatted; run npx tsx scripts/format-op-cases.ts`);
    process.exit(bad.length ? 1 : 0);
  }
  for (const f of opCaseFiles()) {
    const path = join(OP_CASES_DIR, f);
    const text = readFileSync(path, 'utf8');
    const formatted = formatOpCases(JSON.parse(text));
    if (formatted !== text) {
      writeFileSync(path, formatted);
      console.log(`formatted tests/ops/${f}`);
    }
  }
}
