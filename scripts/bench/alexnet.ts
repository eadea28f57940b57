// Bench part 'alexnet': AlexNet (torchvision variant, 224x224, seeded weights) with the
// TypeScript reference engine vs onnxruntime-web wasm 1 thread, both in Node, alternating runs.
// Rows carry `macs` (from the model summary) so the summary computes GFLOP/s.
// Runnable alone: npx tsx scripts/bench/alexnet.ts [--quick]
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alexnetOnnx } from '../../src/model/alexnet.js';
import { referenceVsOrt } from './reference.js';
import type { BenchOptions, BenchPart, BenchRow } from './types.js';

export const alexnetPart: BenchPart = {
  name: 'alexnet',
  description: 'AlexNet (torchvision, seeded weights): reference engine vs onnxruntime-web wasm 1 thread, Node',
  async run({ quick }: BenchOptions): Promise<BenchRow[]> {
    const rows = await referenceVsOrt({ prefix: 'alexnet', bytes: alexnetOnnx('torchvision', 1), runs: quick ? 3 : 8 });
    // Per-layer rows only for the layers that do arithmetic worth showing.
    return rows.filter((r) => !r.name.startsWith('alexnet.node.layer.') || r.op === 'Conv' || r.op === 'Gemm' || r.op === 'MatMul');
  },
};

export default alexnetPart;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  alexnetPart.run({ quick: process.argv.includes('--quick') }).then(
    (rows) => {
      for (const r of rows) console.log(JSON.stringify(r));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
