// Shared shape of benchmark results: every part of `npm run bench` returns rows like these.

export interface BenchRow {
  /** Unique, dotted: e.g. 'ort.node.wasm.1t', 'reference.node.layer.conv1'. */
  name: string;
  ms_median: number;
  ms_min: number;
  ms_max: number;
  runs: number;
  /** Anything else worth printing: fps, gflops, bytes, notes. */
  [extra: string]: string | number | boolean;
}

/**
 * The bench summary line's keys (issue 15's targets), in the order they are printed. A part reports
 * one by putting a numeric field of that name on any of its rows, e.g.
 * `{ name: 'app.fps.wasm', ..., fps_over_ideal: 0.93 }`; summary.ts collects them, so no part's
 * figure is written anywhere but in the part that measured it.
 */
export const SUMMARY_KEYS = [
  'first_visit_over_unique',
  'first_visit_gzip_mb',
  'fps_over_ideal',
  'app_inference_over_bare',
  'reference_over_ort_1t',
  'reference_mnv2_over_ort_1t',
  'inspector_hz_conv1',
  'fps_inspector_over_without',
  'startup_sw_ms',
  'startup_cold_ms',
] as const;

export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export interface BenchPart {
  /** Part name used on the command line: `npm run bench -- <name>`. */
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}

export interface BenchOptions {
  /** Scale repetitions down for a quick look (e.g. 0.2). */
  quick: boolean;
}

/** Runs fn `warmup` times, then `runs` times, and summarises the timings. */
export async function timeIt(
  name: string,
  fn: () => unknown | Promise<unknown>,
  { warmup = 3, runs = 10 }: { warmup?: number; runs?: number } = {},
): Promise<BenchRow> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return summarize(name, times);
}

export function summarize(name: string, times: number[]): BenchRow {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { name, ms_median: median, ms_min: sorted[0], ms_max: sorted[sorted.length - 1], runs: times.length };
}
