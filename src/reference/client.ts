// Promise-based client for the reference worker: one request in flight per call, matched by id.
import type { ReadOptions } from '../model/onnx-read.js';
import { ModelError } from '../model/model-error.js';
import type { LayerInfo, WorkerLike, WorkerRequest, WorkerResponse } from './protocol.js';
import type { PoolType } from './ops/pool.js';
import type { NodeTiming, Tensor } from './tensor.js';

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface LoadedModel {
  inputNames: string[];
  outputNames: string[];
  inputShape: number[];
  layers: LayerInfo[];
  /** Workers computing split layers (1 unless more were asked for and shared memory is available). */
  workers: number;
}

export interface LoadOptions extends ReadOptions {
  /** Workers for heavy layers (1 = the reference worker alone; default 1, see worker-handler.ts). */
  workers?: number;
}

export class ReferenceClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `worker` is e.g. new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' }). */
  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event) => {
      const p = this.pending.get(event.data.id);
      if (!p) return;
      this.pending.delete(event.data.id);
      const r = event.data;
      if (r.type === 'error') p.reject(r.kind ? new ModelError(r.kind, r.message) : new Error(r.message));
      else p.resolve(r);
    });
  }

  /** Loads ONNX bytes; the bytes are transferred (the caller's copy becomes empty). */
  async load(model: Uint8Array, options?: LoadOptions): Promise<LoadedModel> {
    const { workers, ...read } = options ?? {};
    const body = { type: 'load' as const, model, options: options ? read : undefined, ...(workers !== undefined ? { workers } : {}) };
    const r = await this.request(body, [model.buffer as ArrayBuffer]);
    if (r.type !== 'loaded') throw new Error(`unexpected reply ${r.type}`);
    return { inputNames: r.inputNames, outputNames: r.outputNames, inputShape: r.inputShape, layers: r.layers, workers: r.workers ?? 1 };
  }

  /**
   * Runs one frame (the input is copied, not transferred) and returns the wanted tensors and timings.
   * `recycle`: buffers of tensors from earlier runs that nothing reads any more; they are
   * transferred (detached here) and the worker copies this run's tensors into them.
   */
  async run(
    input: Float32Array,
    want: string[],
    stopAfter?: string,
    recycle: ArrayBuffer[] = [],
  ): Promise<{ tensors: Record<string, Tensor>; timings: NodeTiming[]; totalMs: number }> {
    const r = await this.request({ type: 'run', input, want, stopAfter, recycle }, recycle);
    if (r.type !== 'ran') throw new Error(`unexpected reply ${r.type}`);
    return { tensors: r.tensors, timings: r.timings, totalMs: r.totalMs };
  }

  /** The given pooling node re-run with the other pooling type on the last frame's input. */
  async whatIf(node: string): Promise<{ poolType: PoolType; tensor: Tensor }> {
    const r = await this.request({ type: 'whatIf', node }, []);
    if (r.type !== 'whatIf') throw new Error(`unexpected reply ${r.type}`);
    return { poolType: r.poolType, tensor: r.tensor };
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('reference worker terminated'));
    this.pending.clear();
  }

  private request(body: RequestBody, transfer: Transferable[]): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest, transfer);
    });
  }
}
