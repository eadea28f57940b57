// Bench part 'reference-browser': the TypeScript reference engine in a browser worker (headless
// Chromium, bench page, cross-origin isolated) with 1 and 2 workers, and onnxruntime-web wasm with
// 1 thread in the same run, with the ratios reference / onnxruntime, on both bundled models. Runnable alone:
// npx tsx scripts/bench/reference-browser.ts [--quick]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readOnnx } from '../../src/reference/load-graph.js';
import { summarizeModel } from '../../src/summary/summary.js';
import { loadBuiltModel } from '../lib/default-model.js';
import { modelDir, publicUrlPath } from '../lib/paths.js';
import { closeServer, previewUrl } from './browser-harness.js';
import { inBenchPage } from './browser-ort.js';
import { summarize, type BenchOptions, type BenchPart, type BenchRow } from './types.js';

/** The bundled models and their row prefixes (the same as the Node rows of the 'reference' part). */
const MODELS = [
  { id: 'squeezenet1_0', prefix: 'reference.browser' },
  { id: 'mobilenet_v2', prefix: 'reference_mnv2.browser' },
];

/**
 * One model: onnxruntime 1 thread, the reference with 1 and 2 workers, then onnxruntime again; the
 * onnxruntime figure is the mean of the two medians, so a load change during the part hits both
 * sides alike.
 */
async function measureModel(id: string, prefix: string, runs: number, base: string): Promise<BenchRow[]> {
  const model = loadBuiltModel(id);
  const macs = summarizeModel(readOnnx(new Uint8Array(model.bytes))).totals.macs;
  const dir = publicUrlPath(modelDir(id));
  const modelUrl = new URL(`${dir}/${model.manifest.file}`, base).href;
  const manifestUrl = `${dir}/manifest.json`;
  const ortName = `${prefix}.ort.wasm.1t`;
  const rows: BenchRow[] = [];
  const ortMedians: number[] = [];
  const ortOnce = async (): Promise<BenchRow | null> => {
    const reply = await inBenchPage({ type: 'session', modelUrl, manifestUrl, backend: 'wasm', threads: 1, warmup: 3, runs: runs * 2 });
    if (!reply.ok) {
      rows.push({ name: ortName, ms_median: NaN, ms_min: NaN, ms_max: NaN, runs: 0, error: reply.error });
      return null;
    }
    const row = summarize(ortName, reply.times);
    ortMedians.push(row.ms_median);
    return row;
  };
  const first = await ortOnce();
  const refRows: BenchRow[] = [];
  for (const workers of [1, 2]) {
    const name = `${prefix}.total.${workers}w`;
    const reply = await inBenchPage({ type: 'reference', modelUrl, manifestUrl, workers, warmup: 2, runs });
    if (!reply.ok) {
      refRows.push({ name, ms_median: NaN, ms_min: NaN, ms_max: NaN, runs: 0, error: reply.error });
      continue;
    }
    refRows.push({
      ...summarize(name, reply.times),
      workers: Number(reply.detail.workers),
      macs,
      round_trip_ms: +Number(reply.detail.roundTripMedianMs).toFixed(2),
      cross_origin_isolated: String(reply.detail.crossOriginIsolated),
    });
  }
  const second = await ortOnce();
  const ortMs = ortMedians.length ? ortMedians.reduce((a, b) => a + b, 0) / ortMedians.length : NaN;
  for (const r of refRows) {
    if (Number.isFinite(r.ms_median)) {
      r.ratio_to_ort_1t = +(r.ms_median / ortMs).toFixed(2);
      r.ort_ms = +ortMs.toFixed(2);
    }
  }
  const one = refRows.find((r) => r.name.endsWith('.1w'));
  const two = refRows.find((r) => r.name.endsWith('.2w'));
  if (one && two && Number.isFinite(one.ms_median) && Number.isFinite(two.ms_median)) two.speedup_vs_1w = +(one.ms_median / two.ms_median).toFixed(2);
  const ortRow = first && second ? { ...summarize(ortName, []), ms_median: ortMs, ms_min: Math.min(first.ms_min, second.ms_min), ms_max: Math.max(first.ms_max, second.ms_max), runs: first.runs + second.runs, macs } : (first ?? second);
  if (ortRow) rows.push(ortRow);
  return [...refRows, ...rows];
}

export const referenceBrowserPart: BenchPart = {
  name: 'reference-browser',
  description: 'TypeScript reference engine in a Chromium worker (1 and 2 workers) vs onnxruntime-web wasm 1 thread, SqueezeNet and MobileNetV2',
  async run({ quick }: BenchOptions): Promise<BenchRow[]> {
    const runs = quick ? 4 : 10;
    const base = await previewUrl();
    const rows: BenchRow[] = [];
    for (const { id, prefix } of MODELS) rows.push(...(await measureModel(id, prefix, runs, base)));
    return rows;
  },
};

export default referenceBrowserPart;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  referenceBrowserPart
    .run({ quick: process.argv.includes('--quick') })
    .then((rows) => {
      for (const r of rows) console.log(JSON.stringify(r));
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => closeServer().then(() => process.exit()));
}
