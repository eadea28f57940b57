// Splitting layers across workers: every part kernel, run part by part, gives exactly the whole
// kernel's output; a pool of worker_threads sharing memory gives exactly the single-worker result;
// the worker protocol's `workers` option.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/model/seeded-rng.js';
import { ALL_OPS_INPUT_SHAPE, allOpsOnnx } from '../builders/all-ops.js';
import { ReferenceClient } from '../../src/reference/client.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { nodeHelperSpawner } from '../../src/reference/node-workers.js';
import { WorkerPool } from '../../src/reference/parallel.js';
import { WorkerHandler } from '../../src/reference/worker-handler.js';
import { inProcessWorker } from '../helpers/in-process-worker.js';
import { DEFAULT_MODEL } from '../../scripts/parity.js';
import { opModel, type OpTest } from '../builders/op-model.js';
import { builderModel, INPUT_SHAPE } from '../builders/classifiers.js';
import { join } from 'node:path';

function allOpsInput(): Float32Array {
  const rng = createRng(5);
  return Float32Array.from({ length: ALL_OPS_INPUT_SHAPE.reduce((a, b) => a * b) }, () => 4 * rng() - 2);
}

/** Runs every splittable layer again in `parts` parts, one after another, and compares bit for bit. */
function expectPartsExact(engine: ReferenceEngine, input: Float32Array, parts: number): number {
  // 'all': every layer writes its own output (no Conv + Relu fusion), the reference for the parts.
  engine.run(input, { want: 'all' });
  let checked = 0;
  engine.layers.forEach((layer, i) => {
    if (!layer.partKernel) return;
    const whole = layer.outputs[0].slice();
    layer.outputs[0].fill(NaN);
    for (let p = 0; p < parts; p++) engine.runPart(i, p, parts);
    expect(Array.from(layer.outputs[0]), `${layer.node.name} in ${parts} parts`).toEqual(Array.from(whole));
    checked++;
  });
  return checked;
}

describe('part kernels', () => {
  it('every conv of the all-ops model (groups, dilation, pads, pointwise) splits exactly', () => {
    const engine = ReferenceEngine.load(allOpsOnnx());
    for (const parts of [2, 3, 7]) expect(expectPartsExact(engine, allOpsInput(), parts)).toBeGreaterThanOrEqual(4);
  });

  it('Winograd convs (split by output tiles, strided ones over phase images too) and sparse convs split exactly', () => {
    const conv = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'ops', 'conv.json'), 'utf8')) as OpTest[])[0];
    const cases = conv.cases.filter((c) => /^(winograd|polyphase|sparse)-/.test(c.name));
    expect(cases.length).toBeGreaterThanOrEqual(7);
    for (const c of cases) {
      const m = opModel('Conv', c);
      const engine = ReferenceEngine.load(m.bytes);
      for (const parts of [2, 3, 5]) expect(expectPartsExact(engine, m.feeds[0].data, parts), c.name).toBe(1);
    }
  });

  it('strided, padded convs with ragged column counts split exactly', () => {
    // 3x3 stride 2 pad 1 on 13x11 -> 7x6 = 42 columns (not a multiple of the panel width).
    const m = opModel('Conv', {
      name: 'strided',
      attributes: { strides: [2, 2], pads: [1, 1, 1, 1] },
      inputs: [{ dims: [2, 5, 13, 11], random: true }, { dims: [7, 5, 3, 3], random: true, initializer: true }, { dims: [7], random: true, initializer: true }],
    });
    const engine = ReferenceEngine.load(m.bytes);
    for (const parts of [2, 4, 11]) expect(expectPartsExact(engine, m.feeds[0].data, parts)).toBe(1);
  });

  it.runIf(existsSync(DEFAULT_MODEL))('every conv of SqueezeNet splits exactly in 2 parts', () => {
    const engine = ReferenceEngine.load(new Uint8Array(readFileSync(DEFAULT_MODEL)));
    const input = Float32Array.from({ length: 3 * 227 * 227 }, (_, i) => ((i * 7919) % 255) / 64 - 2);
    expect(expectPartsExact(engine, input, 2)).toBe(26);
  });
});

describe('worker pool (worker_threads, shared memory)', () => {
  it('gives exactly the single-worker outputs with 3 workers', async () => {
    const bytes = allOpsOnnx();
    const single = ReferenceEngine.load(bytes);
    const shared = ReferenceEngine.load(bytes, undefined, { memory: 'shared' });
    const pool = await WorkerPool.start(shared, bytes, undefined, 3, nodeHelperSpawner(), { minSplitMacs: 0 });
    try {
      expect(pool.parts).toBe(3);
      expect(pool.splitLayerIndices.length).toBeGreaterThanOrEqual(4);
      for (let frame = 0; frame < 2; frame++) {
        const input = allOpsInput().map((v) => v + frame);
        const a = single.run(input, { want: 'all' });
        const b = shared.run(input, { want: 'all' });
        for (const name of Object.keys(a.tensors)) expect(Array.from(b.tensors[name].data), name).toEqual(Array.from(a.tensors[name].data));
      }
    } finally {
      await pool.stop();
    }
    // After stop the engine runs alone.
    const input = allOpsInput();
    expect(Array.from(Object.values(shared.run(input).outputs)[0].data)).toEqual(Array.from(Object.values(single.run(input).outputs)[0].data));
  }, 60_000);
});

describe('worker pool with Conv + Relu fusion', () => {
  it('splits fused layers exactly: the same bits as one worker, fused and unfused', async () => {
    const { bytes } = builderModel('conv1x1');
    const single = ReferenceEngine.load(bytes);
    const shared = ReferenceEngine.load(bytes, undefined, { memory: 'shared' });
    const pool = await WorkerPool.start(shared, bytes, undefined, 2, nodeHelperSpawner(), { minSplitMacs: 0 });
    try {
      const fusedSplit = shared.layers.filter((l, i) => l.fused && pool.splitLayerIndices.includes(i));
      expect(fusedSplit.length).toBe(3);
      const input = Float32Array.from({ length: INPUT_SHAPE.reduce((a, b) => a * b) }, (_, i) => Math.sin(i));
      const want = ['relu1', 'relu2', 'relu10'];
      const a = single.run(input, { want });
      const b = shared.run(input, { want });
      expect(b.timings.filter((t) => t.fusedInto)).toHaveLength(3);
      for (const name of want) expect(Array.from(b.tensors[name].data), name).toEqual(Array.from(a.tensors[name].data));
      const c = shared.run(input, { want: 'all' });
      for (const name of want) expect(Array.from(c.tensors[name].data), `${name} unfused`).toEqual(Array.from(a.tensors[name].data));
    } finally {
      await pool.stop();
    }
  }, 60_000);
});

describe('workers option of the worker protocol', () => {
  it('loads with 2 workers where helpers can be spawned, and runs the same numbers', async () => {
    const handler = new WorkerHandler({ spawnHelper: nodeHelperSpawner() });
    const client = new ReferenceClient(inProcessWorker(handler));
    const loaded = await client.load(allOpsOnnx(), { workers: 2 });
    expect(loaded.workers).toBe(2);
    const input = allOpsInput();
    const r = await client.run(input, ['conv1']);
    const alone = ReferenceEngine.load(allOpsOnnx()).run(input, { want: ['conv1'] });
    expect(Array.from(r.tensors.conv1.data)).toEqual(Array.from(alone.tensors.conv1.data));
    // A second load replaces the pool; 1 worker by default.
    expect((await client.load(allOpsOnnx())).workers).toBe(1);
    await handler.dispose();
  }, 60_000);

  it('falls back to 1 worker without a helper spawner', async () => {
    const client = new ReferenceClient(inProcessWorker(new WorkerHandler()));
    expect((await client.load(allOpsOnnx(), { workers: 4 })).workers).toBe(1);
  });
});
