// onnxruntime-web (wasm) in Node on the default model: one thread and all threads.
// onnxruntime-web fixes its thread count when its wasm module first loads, so each thread count
// runs in a child process of its own (this same file, with --child THREADS).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { OrtEngine } from '../../src/engine/ort-engine.js';
import { defaultModelMacs, loadDefaultModel } from '../lib/default-model.js';
import { TSX_CLI } from '../lib/paths.js';
import { timeIt, type BenchPart, type BenchRow } from './types.js';

const SELF = fileURLToPath(import.meta.url);

async function child(threads: number, runs: number): Promise<BenchRow> {
  const model = loadDefaultModel();
  const [, , h, w] = model.manifest.inputShape;
  const input = new Float32Array(3 * h * w).map((_, i) => ((i * 7919) % 255) - 117);
  const engine = await OrtEngine.create(model.bytes, model.manifest, { backend: 'wasm', threads });
  const row = await timeIt(`ort.node.wasm.${threads}t`, () => engine.classify(input), { warmup: 3, runs });
  await engine.release();
  return { ...row, threads };
}

export const ortNode: BenchPart = {
  name: 'ort-node',
  description: 'onnxruntime-web wasm in Node, 1 thread and all threads (default model)',
  async run({ quick }) {
    const rows: BenchRow[] = [];
    const macs = await defaultModelMacs();
    for (const threads of [...new Set([1, availableParallelism()])]) {
      const out = execFileSync(
        process.execPath,
        [TSX_CLI, SELF, '--child', String(threads), String(quick ? 5 : 20)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      rows.push({ ...(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as BenchRow), macs });
    }
    return rows;
  },
};

if (process.argv[2] === '--child') {
  child(Number(process.argv[3]), Number(process.argv[4])).then((row) => {
    console.log(JSON.stringify(row));
    process.exit(0);
  });
}
