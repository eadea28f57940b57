// Teaching on the device: training the head (src/teach/train-head.ts) on 10 classes of 50
// seeded synthetic 1280-long embeddings (MobileNetV2's size), the held-out check, the
// nearest-mean fallback and one prediction. Pure TypeScript on one thread, as in the worker.
import { heldOutCheck } from '../../src/teach/held-out.js';
import { predictHead, trainHead } from '../../src/teach/train-head.js';
import { clusters } from '../lib/synthetic-embeddings.js';
import { timeIt, type BenchPart, type BenchRow } from './types.js';

export const teachPart: BenchPart = {
  name: 'teach',
  description: 'head training for taught classes: 10 classes x 50 examples x 1280 features (synthetic), held-out check, prediction',
  async run({ quick }) {
    const data = clusters({ classes: 10, perClass: 50, dim: 1280, spread: 3, seed: 1 });
    const few = data.map((c) => ({ ...c, embeddings: c.embeddings.slice(0, 2) }));
    const head = trainHead(data);
    const rows: BenchRow[] = [];
    // CPU time beside wall time: on a shared machine the wall time also counts other processes' turns.
    const cpu0 = process.cpuUsage();
    const runs = quick ? 2 : 5;
    const train = await timeIt('teach.train.10x50x1280', () => trainHead(data), { warmup: 1, runs });
    const cpu = process.cpuUsage(cpu0);
    rows.push({ ...train, cpu_ms_mean: (cpu.user + cpu.system) / 1000 / (runs + 1), method: head.method, iterations: head.iterations });
    rows.push(await timeIt('teach.heldout.10x50x1280', () => heldOutCheck(data, { seed: 1 }), { warmup: 0, runs: quick ? 1 : 3 }));
    rows.push({ ...(await timeIt('teach.train.nearest-mean.10x2x1280', () => trainHead(few), { warmup: 2, runs: 10 })), method: trainHead(few).method });
    rows.push(await timeIt('teach.predict.1280', () => predictHead(head, data[3].embeddings[7]), { warmup: 20, runs: 200 }));
    return rows;
  },
};
