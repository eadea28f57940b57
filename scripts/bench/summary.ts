// The key ratios of a bench run, computed only from rows measured in that same run, and each
// engine's achieved GFLOP/s (2 x multiply-adds from the model summary / time). Issue 15's keys come
// first, in its order, each from whichever part reported it in this run (a row field of that name,
// see SUMMARY_KEYS in types.ts); a key no part reported is left out.
import { SUMMARY_KEYS, type BenchRow } from './types.js';

export interface Summary {
  text: string;
  values: Record<string, number>;
}

/** [key, numerator row, denominator row]: ms ratios; lower means the first is faster. */
const MS_RATIOS: [string, string, string][] = [
  ['reference_over_ort_1t', 'reference.node.total', 'reference.ort.node.wasm.1t'],
  ['reference_mnv2_over_ort_1t', 'reference_mnv2.node.total', 'reference_mnv2.ort.node.wasm.1t'],
  ['mnv2_over_squeezenet_ort_1t', 'reference_mnv2.ort.node.wasm.1t', 'reference.ort.node.wasm.1t'],
  ['reference_browser_over_ort_1t', 'reference.browser.total.1w', 'reference.browser.ort.wasm.1t'],
  ['reference_mnv2_browser_over_ort_1t', 'reference_mnv2.browser.total.1w', 'reference_mnv2.browser.ort.wasm.1t'],
  ['webgpu_software_over_wasm_1t', 'ort.browser.webgpu', 'ort.browser.wasm.1t'],
  ['alexnet_reference_over_ort_1t', 'alexnet.node.total', 'alexnet.ort.node.wasm.1t'],
  ['alexnet_over_squeezenet_ort_1t', 'alexnet.ort.node.wasm.1t', 'reference.ort.node.wasm.1t'],
];

/** [key, row, field]: ratios the parts computed themselves from rows of one window. */
const FIELD_RATIOS: [string, string, string][] = [
  // CPU time rather than wall time: steadier than reference_over_ort_1t on a shared, loaded machine.
  ['reference_cpu_over_ort_1t', 'reference.node.total', 'cpu_ratio_to_ort_1t'],
  ['first_visit_over_unique', 'transfer.first_visit', 'over_unique'],
  ['first_visit_gzip_mb', 'transfer.first_visit', 'gzip_mb'],
];

/** [key, row]: plain medians in ms (targets on absolute times of this machine). */
const MS_VALUES: [string, string][] = [
  ['startup_sw_ms', 'startup.sw'],
  ['startup_cold_ms', 'startup.cold'],
];

export function summaryLine(rows: BenchRow[]): Summary {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const values: Record<string, number> = {};
  for (const [key, a, b] of MS_RATIOS) {
    const x = byName.get(a)?.ms_median;
    const y = byName.get(b)?.ms_median;
    if (x && y && Number.isFinite(x / y)) values[key] = x / y;
  }
  const allThreads = rows.filter((r) => /^ort\.node\.wasm\.\d+t$/.test(r.name) && r.name !== 'ort.node.wasm.1t').at(-1);
  const oneThread = byName.get('ort.node.wasm.1t');
  if (allThreads && oneThread) values[`ort_${allThreads.name.split('.').at(-1)}_over_1t`] = allThreads.ms_median / oneThread.ms_median;
  for (const [key, name] of MS_VALUES) {
    const ms = byName.get(name)?.ms_median;
    if (ms) values[key] = ms;
  }
  for (const [key, name, field] of FIELD_RATIOS) {
    const v = byName.get(name)?.[field];
    if (typeof v === 'number') values[key] = v;
  }
  // Keys the parts report themselves, as a row field named after the key (the last report wins).
  for (const r of rows) {
    for (const [field, v] of Object.entries(r)) {
      if (isSummaryKey(field) && typeof v === 'number' && Number.isFinite(v)) values[field] = v;
    }
  }
  for (const r of rows) {
    if (typeof r.macs === 'number' && r.ms_median > 0 && !r.name.includes('.layer.')) values[`gflops.${r.name}`] = (2 * r.macs) / (r.ms_median * 1e6);
  }
  const ordered = [...SUMMARY_KEYS.filter((k) => k in values), ...Object.keys(values).filter((k) => !isSummaryKey(k))];
  const text = ordered
    .map((k) => [k, values[k]] as const)
    .map(([k, v]) => `${k}=${v.toFixed(3)}`)
    .join(' ');
  return { text: text || '(no ratios: run more parts together)', values };
}

function isSummaryKey(key: string): key is (typeof SUMMARY_KEYS)[number] {
  return (SUMMARY_KEYS as readonly string[]).includes(key);
}
