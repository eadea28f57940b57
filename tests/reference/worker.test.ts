// The worker protocol end to end: ReferenceClient talking to the worker's handler through a
// structured-clone message channel (as a browser Worker would, minus the thread).
import { describe, expect, it } from 'vitest';
import { ALL_OPS_INPUT_SHAPE, allOpsOnnx } from '../builders/all-ops.js';
import { ReferenceClient } from '../../src/reference/client.js';
import { WorkerHandler } from '../../src/reference/worker-handler.js';
import { ModelError } from '../../src/model/model-error.js';
import { inProcessWorker } from '../helpers/in-process-worker.js';

describe('reference worker protocol', () => {
  it('loads, runs with stopAfter and want, and answers a pooling what-if', async () => {
    const client = new ReferenceClient(inProcessWorker());
    const loaded = await client.load(allOpsOnnx());
    expect(loaded.inputShape).toEqual(ALL_OPS_INPUT_SHAPE);
    expect(loaded.layers.find((l) => l.name === 'pool1')?.outputShape).toEqual([1, 8, 9, 9]);
    const input = new Float32Array(3 * 16 * 16).fill(0.5);
    const r = await client.run(input, ['conv1', 'pool1'], 'pool1');
    expect(Object.keys(r.tensors).sort()).toEqual(['conv1', 'pool1']);
    expect(r.timings.at(-1)?.node).toBe('pool1');
    const w = await client.whatIf('pool1');
    expect(w.poolType).toBe('average');
    expect(w.tensor.dims).toEqual([1, 8, 9, 9]);
  });

  it('copies a run\'s tensors into buffers handed back with the request, with the same values', async () => {
    const handler = new WorkerHandler();
    handler.handle({ id: 1, type: 'load', model: allOpsOnnx() });
    const input = Float32Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.sin(i));
    const fresh = handler.handle({ id: 2, type: 'run', input, want: ['pool1'], stopAfter: 'pool1' }).response;
    if (fresh.type !== 'ran') throw new Error(fresh.type);
    const returned = new Float32Array(fresh.tensors.pool1.data.length).fill(NaN).buffer;
    const reused = handler.handle({ id: 3, type: 'run', input, want: ['pool1'], stopAfter: 'pool1', recycle: [returned] });
    if (reused.response.type !== 'ran') throw new Error(reused.response.type);
    expect(reused.response.tensors.pool1.data.buffer).toBe(returned);
    expect(reused.transfer).toContain(returned);
    expect(Array.from(reused.response.tensors.pool1.data)).toEqual(Array.from(fresh.tensors.pool1.data));

    // Through the client, the handed-back buffer is transferred: detached on this side.
    const client = new ReferenceClient(inProcessWorker());
    await client.load(allOpsOnnx());
    const first = await client.run(input, ['pool1'], 'pool1');
    const handBack = first.tensors.pool1.data.buffer as ArrayBuffer;
    const second = await client.run(input, ['pool1'], 'pool1', [handBack]);
    expect(handBack.byteLength).toBe(0);
    expect(Array.from(second.tensors.pool1.data)).toEqual(Array.from(fresh.tensors.pool1.data));
  });

  it('reports model errors with their kind', async () => {
    const client = new ReferenceClient(inProcessWorker());
    await expect(client.load(new TextEncoder().encode('not a model'))).rejects.toBeInstanceOf(ModelError);
    await expect(client.run(new Float32Array(3), [])).rejects.toThrow(/no model loaded/);
  });
});
