// Bench part 'reference': the TypeScript reference engine on the default model (SqueezeNet v1.0,
// 227x227) per layer and in total, and onnxruntime-web wasm with one thread in the same run, with
// the ratio reference / onnxruntime. Runnable alone: npx tsx scripts/bench/reference.ts [--quick]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { summarize, timeIt, type BenchOptions, type BenchPart, type BenchRow } from './types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODEL = join(root, 'public', 'models', 'squeezenet1_0', 'model.onnx');

export const referencePart: BenchPart = {
  name: 'reference',
  description: 'TypeScript reference engine vs onnxruntime-web wasm 1 thread, SqueezeNet 227x227, Node',
  async run({ quick }: BenchOptions): Promise<BenchRow[]> {
    const runs = quick ? 3 : 10;
    const bytes = new Uint8Array(readFileSync(MODEL));
    const engine = ReferenceEngine.load(bytes);
    const inputName = engine.inputNames[0];
    const dims = engine.shapeOf(inputName)!;
    const input = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < input.length; i++) input[i] = ((i * 7919) % 255) - 120;

    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const feed = { [inputName]: new ort.Tensor('float32', input, dims) };
    const ortRow = await timeIt('reference.ort.node.wasm.1t', async () => {
      const out = await session.run(feed);
      for (const t of Object.values(out)) t.dispose();
    }, { warmup: 3, runs });

    for (let i = 0; i < 3; i++) engine.run(input);
    const totals: number[] = [];
    const perNode = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      const r = engine.run(input);
      totals.push(r.totalMs);
      for (const t of r.timings) {
        if (!perNode.has(t.node)) perNode.set(t.node, []);
        perNode.get(t.node)!.push(t.ms);
      }
    }
    await session.release();
    const total = summarize('reference.node.total', totals);
    const ratio = total.ms_median / ortRow.ms_median;
    const rows: BenchRow[] = engine.layers.map((l) => {
      const row = summarize(`reference.node.layer.${l.node.name}`, perNode.get(l.node.name)!);
      row.op = l.node.opType;
      row.share = +(row.ms_median / total.ms_median).toFixed(3);
      const gmacs = l.op.macs / 1e9;
      if (gmacs > 0) row.gmacs_per_s = +(gmacs / (row.ms_median / 1e3)).toFixed(2);
      return row;
    });
    total.ratio_to_ort_1t = +ratio.toFixed(2);
    total.ort_ms_median = +ortRow.ms_median.toFixed(2);
    total.gmacs_per_s = +(engine.layers.reduce((t, l) => t + l.op.macs, 0) / 1e9 / (total.ms_median / 1e3)).toFixed(2);
    return [...rows, total, ortRow];
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
    .then(printTable)
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
