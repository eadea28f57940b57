// Bench part 'reference': the TypeScript reference engine on the default model (SqueezeNet v1.0,
// 227x227) per layer and in total (1 worker, and 2 workers over worker_threads), and
// onnxruntime-web wasm with one thread in the same run, alternating, with the ratio
// reference / onnxruntime (wall time and CPU time); then the same on MobileNetV2 (224x224, rows
// 'reference_mnv2.*', with its 17 depthwise layers summed in one row). Runnable alone:
// npx tsx scripts/bench/reference.ts [--quick]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { ReferenceEngine, type RunResult } from '../../src/reference/engine.js';
import { nodeHelperSpawner } from '../../src/reference/node-workers.js';
import { convPlanOf } from '../../src/reference/ops/conv.js';
import { WorkerPool } from '../../src/reference/parallel.js';
import { summarizeModel } from '../../src/summary/summary.js';
import { loadBuiltModel } from '../lib/default-model.js';
import { DEFAULT_MODEL_FILE } from '../lib/paths.js';
import { summarize, type BenchOptions, type BenchPart, type BenchRow } from './types.js';

const MODEL = DEFAULT_MODEL_FILE;

/** CPU time of this process (all threads) in ms: unlike wall time, it ignores waiting for a busy core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface ReferenceVsOrt {
  prefix: string;
  bytes: Uint8Array;
  runs: number;
  /** Also time the reference with this many workers (worker_threads sharing memory). */
  workers?: number[];
}

/**
 * Times onnxruntime-web wasm 1 thread and the reference engine on the same input, alternating one
 * run of each so that a change in machine load hits both alike. Rows: per layer (1 worker), total
 * per worker count, ORT; each total carries macs, ratio_to_ort_1t (wall) and cpu_ratio_to_ort_1t.
 */
export async function referenceVsOrt({ prefix, bytes, runs, workers = [] }: ReferenceVsOrt): Promise<BenchRow[]> {
  const engine = ReferenceEngine.load(bytes);
  const macs = summarizeModel(engine.graph).totals.macs;
  const inputName = engine.inputNames[0];
  const dims = engine.shapeOf(inputName)!;
  const input = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < input.length; i++) input[i] = ((i * 7919) % 255) - 120;

  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feed = { [inputName]: new ort.Tensor('float32', input, dims) };
  const ortOnce = async (): Promise<[number, number]> => {
    const c = cpuMs();
    const t = performance.now();
    const out = await session.run(feed);
    const ms = performance.now() - t;
    for (const o of Object.values(out)) o.dispose();
    return [ms, cpuMs() - c];
  };

  const multi: { workers: number; engine: ReferenceEngine; pool: WorkerPool }[] = [];
  for (const w of workers.filter((w) => w > 1)) {
    const e = ReferenceEngine.load(bytes, undefined, { memory: 'shared' });
    multi.push({ workers: w, engine: e, pool: await WorkerPool.start(e, bytes, undefined, w, nodeHelperSpawner()) });
  }
  const refOnce = (e: ReferenceEngine): [number, number, RunResult] => {
    const c = cpuMs();
    const r = e.run(input);
    return [r.totalMs, cpuMs() - c, r];
  };

  for (let i = 0; i < 3; i++) {
    await ortOnce();
    refOnce(engine);
    for (const m of multi) refOnce(m.engine);
  }
  const ortWall: number[] = [];
  const ortCpu: number[] = [];
  const refWall: number[] = [];
  const refCpu: number[] = [];
  const multiWall = multi.map(() => [] as number[]);
  const perNode = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const [ow, oc] = await ortOnce();
    ortWall.push(ow);
    ortCpu.push(oc);
    const [rw, rc, r] = refOnce(engine);
    refWall.push(rw);
    refCpu.push(rc);
    for (const t of r.timings) {
      if (!perNode.has(t.node)) perNode.set(t.node, []);
      perNode.get(t.node)!.push(t.ms);
    }
    multi.forEach((m, j) => multiWall[j].push(refOnce(m.engine)[0]));
  }
  await session.release();
  for (const m of multi) await m.pool.stop();

  const med = (xs: number[]): number => summarize('', xs).ms_median;
  const ortRow = { ...summarize(`${prefix}.ort.node.wasm.1t`, ortWall), macs, cpu_ms_median: +med(ortCpu).toFixed(2) };
  const total = summarize(`${prefix}.node.total`, refWall);
  const rows: BenchRow[] = engine.layers.map((l) => {
    const row = summarize(`${prefix}.node.layer.${l.node.name}`, perNode.get(l.node.name)!);
    row.op = l.node.opType;
    if (l.node.opType === 'Conv') {
      // The kernel the layer runs on (Winograd, sparse or dense GEMM; kernels/conv-plan.ts).
      const constants = l.node.inputs.map((n) => engine.graph.initializers.get(n));
      row.kernel = convPlanOf({ node: l.node, inputShapes: l.inputShapes, constants, opset: engine.graph.opset }).label;
    }
    row.share = +(row.ms_median / total.ms_median).toFixed(3);
    const gmacs = l.op.macs / 1e9;
    if (gmacs > 0) row.gmacs_per_s = +(gmacs / (row.ms_median / 1e3)).toFixed(2);
    return row;
  });
  total.macs = macs;
  total.workers = 1;
  total.ratio_to_ort_1t = +(total.ms_median / ortRow.ms_median).toFixed(2);
  total.cpu_ratio_to_ort_1t = +(med(refCpu) / med(ortCpu)).toFixed(2);
  total.ort_ms_median = +ortRow.ms_median.toFixed(2);
  total.gmacs_per_s = +(macs / 1e9 / (total.ms_median / 1e3)).toFixed(2);
  const multiRows = multi.map((m, j) => {
    const row = summarize(`${prefix}.node.total.${m.workers}w`, multiWall[j]);
    row.macs = macs;
    row.workers = m.workers;
    row.ratio_to_ort_1t = +(row.ms_median / ortRow.ms_median).toFixed(2);
    row.speedup_vs_1w = +(total.ms_median / row.ms_median).toFixed(2);
    return row;
  });
  return [...rows, total, ...multiRows, ortRow];
}

/** One row for all layers whose name ends with `suffix` (e.g. '/depthwise'): summed medians and multiply-adds. */
export function layerGroupRow(rows: BenchRow[], prefix: string, suffix: string, engine: ReferenceEngine): BenchRow | null {
  const layers = engine.layers.filter((l) => l.node.name.endsWith(suffix));
  if (layers.length === 0) return null;
  const picked = layers.map((l) => rows.find((r) => r.name === `${prefix}.node.layer.${l.node.name}`)!);
  const sum = (f: (r: BenchRow) => number) => picked.reduce((t, r) => t + f(r), 0);
  const total = rows.find((r) => r.name === `${prefix}.node.total`)!;
  const macs = layers.reduce((t, l) => t + l.op.macs, 0);
  const ms = sum((r) => r.ms_median);
  return {
    name: `${prefix}.node.${suffix.replace(/^\//, '')}`,
    ms_median: ms,
    ms_min: sum((r) => r.ms_min),
    ms_max: sum((r) => r.ms_max),
    runs: picked[0].runs,
    layers: layers.length,
    macs,
    share: +(ms / total.ms_median).toFixed(3),
    gmacs_per_s: +(macs / 1e9 / (ms / 1e3)).toFixed(2),
  };
}

export const referencePart: BenchPart = {
  name: 'reference',
  description: 'TypeScript reference engine (1 and 2 workers) vs onnxruntime-web wasm 1 thread, SqueezeNet 227x227 and MobileNetV2 224x224, Node',
  async run({ quick }: BenchOptions): Promise<BenchRow[]> {
    const runs = quick ? 3 : 10;
    const squeezenet = await referenceVsOrt({ prefix: 'reference', bytes: new Uint8Array(readFileSync(MODEL)), runs, workers: [2] });
    const mnv2Bytes = loadBuiltModel('mobilenet_v2').bytes;
    const mnv2 = await referenceVsOrt({ prefix: 'reference_mnv2', bytes: mnv2Bytes, runs, workers: [2] });
    const depthwise = layerGroupRow(mnv2, 'reference_mnv2', '/depthwise', ReferenceEngine.load(mnv2Bytes));
    return [...squeezenet, ...mnv2, ...(depthwise ? [depthwise] : [])];
  },
};

export default referencePart;

function printTable(rows: BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const extra = Object.entries(r)
      .filter(([k]) => !['name', 'ms_median', 'ms_min', 'ms_max', 'runs'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    console.log(`${r.name.padEnd(w)}  ${r.ms_median.toFixed(2).padStart(8)} ms  (min ${r.ms_min.toFixed(2)}, max ${r.ms_max.toFixed(2)}, n=${r.runs})  ${extra}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  referencePart
    .run({ quick: process.argv.includes('--quick') })
    .then((rows) => {
      printTable(rows);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
