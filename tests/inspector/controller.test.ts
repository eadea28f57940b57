// The inspector controller on the real default model: the reference engine (through its worker
// message handler, in this thread) against onnxruntime-web's all-outputs variant.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { withAllOutputs } from '../../src/model/all-outputs.js';
import { plainTensors } from '../../src/engine/ort-tensor.js';
import { preprocess } from '../../src/preprocess/preprocess.js';
import type { Tensor } from '../../src/reference/tensor.js';
import { decodeImage } from '../../scripts/lib/decode-image.js';
import { loadDefaultModel } from '../../scripts/lib/default-model.js';
import { DEV_PHOTOS_DIR, HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL, NO_DEV_PHOTOS } from '../helpers/data.js';
import { inProcessWorker } from '../helpers/in-process-worker.js';
import type { WorkerLike, WorkerRequest } from '../../src/reference/protocol.js';
import { InspectorController, type LayerSnapshot, type Parity } from '../../src/inspector/controller.js';

describe('InspectorController', () => {
  it('shows conv1 for a frame, agrees with onnxruntime, and keeps only the latest waiting frame', async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    ort.env.wasm.numThreads = 1;
    const model = loadDefaultModel();
    const all = withAllOutputs(model.bytes);
    const session = await ort.InferenceSession.create(all.bytes, { executionProviders: ['wasm'] });
    const ortTensors = async (input: Float32Array, names: string[]): Promise<Record<string, Tensor>> => {
      const out = await session.run({ data: new ort.Tensor('float32', input, [1, 3, 227, 227]) }, names);
      return plainTensors(out);
    };
    const snapshots: LayerSnapshot[] = [];
    const parities: Parity[] = [];
    const errors: string[] = [];
    const controller = new InspectorController(
      { createWorker: () => inProcessWorker(), ortTensors, budget: () => ({ workers: 1, layerShare: 1, parityShare: 1, reason: 'test' }), parityIntervalMs: 600_000 },
      { onSnapshot: (s) => snapshots.push(s), onParity: (p) => parities.push(p), onError: (m) => errors.push(m) },
    );
    const summary = await controller.loadModel(model.bytes, true);
    expect(summary.totals.params).toBe(1_248_424);
    controller.select('conv1');

    const photo = (f: string): Float32Array =>
      preprocess(decodeImage(readFileSync(join(DEV_PHOTOS_DIR!, f))), model.manifest.preprocess);
    const church = photo('n03028079/ILSVRC2012_val_00004912.JPEG');
    controller.submit(1, church);
    // Frames 2 and 3 arrive while frame 1 runs: only 3 is kept.
    controller.submit(2, church);
    controller.submit(3, church);
    await expect.poll(() => parities.length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    await expect.poll(() => snapshots.at(-1)?.frameId, { timeout: 60_000, interval: 50 }).toBe(3);

    expect(errors).toEqual([]);
    expect(snapshots.map((s) => s.frameId)).toEqual([1, 3]);
    expect(controller.refreshes).toBe(2);
    expect(controller.refreshRate()).toBeGreaterThan(0);
    expect(snapshots[0].tensor.dims).toEqual([1, 96, 111, 111]);
    const p = parities[0];
    expect(p.agree).toBe(true);
    expect(p.referenceTop1).toBe(497);
    expect(p.finalDiff.maxAbsDiff).toBeLessThan(1e-3);
    expect(p.layerDiff?.maxRelDiff).toBeLessThan(1e-4);
    // The second frame stopped after conv1: only conv1 and earlier nodes were timed.
    expect(snapshots[1].timings.map((t) => t.node)).toEqual(['conv1']);

    // pool1's input is from the last full run: average pooling instead of max, same shape.
    const whatIf = await controller.whatIf('pool1');
    expect(whatIf.poolType).toBe('average');
    expect(whatIf.tensor.dims).toEqual([1, 96, 55, 55]);
    controller.dispose();
    await session.release();
  });

  it('hands a shown tensor\'s buffer back to the worker one refresh after the view releases it, never a parity run\'s', async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    ort.env.wasm.numThreads = 1;
    const model = loadDefaultModel();
    const session = await ort.InferenceSession.create(withAllOutputs(model.bytes).bytes, { executionProviders: ['wasm'] });
    const ortTensors = async (input: Float32Array, names: string[]): Promise<Record<string, Tensor>> =>
      plainTensors(await session.run({ data: new ort.Tensor('float32', input, [1, 3, 227, 227]) }, names));
    // The requests' handed-back buffers, as the worker receives them.
    const recycled: ArrayBuffer[][] = [];
    const worker = inProcessWorker();
    const spy: WorkerLike = {
      postMessage(message: WorkerRequest, transfer: Transferable[]) {
        if (message.type === 'run') recycled.push([...(message.recycle ?? [])]);
        worker.postMessage(message, transfer);
      },
      addEventListener: (type, listener) => worker.addEventListener(type, listener),
      terminate: () => worker.terminate(),
    };
    const snapshots: LayerSnapshot[] = [];
    const parities: Parity[] = [];
    const controller = new InspectorController(
      { createWorker: () => spy, ortTensors, budget: () => ({ workers: 1, layerShare: 1, parityShare: 1, reason: 'test' }), parityIntervalMs: 600_000 },
      { onSnapshot: (s) => snapshots.push(s), onParity: (p) => parities.push(p), onError: (m) => expect.fail(m) },
    );
    await controller.loadModel(model.bytes, true);
    controller.select('conv1');
    const input = Float32Array.from({ length: 3 * 227 * 227 }, (_, i) => ((i * 7919) % 255) - 120);
    const refresh = async (frameId: number): Promise<LayerSnapshot> => {
      controller.submit(frameId, input);
      await expect.poll(() => snapshots.at(-1)?.frameId, { timeout: 60_000, interval: 20 }).toBe(frameId);
      return snapshots.at(-1)!;
    };
    // Frame 1 is a whole-network parity run: releasing it hands nothing back.
    const s1 = await refresh(1);
    await expect.poll(() => parities.length, { timeout: 60_000, interval: 20 }).toBe(1);
    const s2 = await refresh(2);
    controller.release(s1.tensor);
    const s3 = await refresh(3);
    controller.release(s2.tensor);
    // Released before this request: kept back one more request.
    const s4 = await refresh(4);
    controller.release(s3.tensor);
    expect(s2.tensor.data).toHaveLength(96 * 111 * 111);
    const s5 = await refresh(5);
    expect(recycled.map((r) => r.length)).toEqual([0, 0, 0, 0, 1]);
    expect(s1.tensor.data).toHaveLength(96 * 111 * 111);
    expect(s2.tensor.data).toHaveLength(0); // transferred to the worker with frame 5's request
    expect(s3.tensor.data).toHaveLength(96 * 111 * 111);
    // Frame 5's copy went into that buffer and holds the same values as a fresh one.
    expect(Array.from(s5.tensor.data.subarray(0, 5000))).toEqual(Array.from(s4.tensor.data.subarray(0, 5000)));
    expect(s5.tensor.data[s5.tensor.data.length - 1]).toBe(s4.tensor.data[s4.tensor.data.length - 1]);
    controller.dispose();
    await session.release();
  });
});
