// What the reference worker does with each request, apart from the messaging itself, so that
// it runs (and is tested) the same in Node and in a browser worker.
import { BufferPool } from './buffer-pool.js';
import { ReferenceEngine } from './engine.js';
import { ModelError } from '../model/model-error.js';
import { canShareMemory, WorkerPool, type HelperPort } from './parallel.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/**
 * Default number of workers per engine. 1, from measurements on the project's 2-core machines:
 * with 2 workers Node (worker_threads) ran SqueezeNet 1.6-1.8x faster, but headless Chromium ran
 * it 0.7-0.9x (slower: the renderer and the ORT worker compete for the same two cores), and in the
 * app onnxruntime-web classifies the camera on one core while the inspector uses the reference.
 * Ask for more with the load option `workers` where cores are free (bench part reference-browser).
 */
export const DEFAULT_WORKERS = 1;

export interface WorkerHandlerOptions {
  /** Starts one helper worker; without it every load runs on one worker. */
  spawnHelper?: () => HelperPort;
}

export class WorkerHandler {
  private engine: ReferenceEngine | null = null;
  private pool: WorkerPool | null = null;
  /** Buffers the page handed back with its requests, for the next runs' tensor copies. */
  private readonly buffers = new BufferPool();

  constructor(private readonly handlerOptions: WorkerHandlerOptions = {}) {}

  /**
   * Like handle(), but a load with workers > 1 starts the helper workers first (asynchronous).
   * Worker entries should call this one; handle() stays for synchronous callers.
   */
  async handleAsync(req: WorkerRequest): Promise<{ response: WorkerResponse; transfer: ArrayBuffer[] }> {
    if (req.type !== 'load') return this.handle(req);
    await this.stopPool();
    const workers = Math.max(1, Math.floor(req.workers ?? DEFAULT_WORKERS));
    if (workers === 1 || !this.handlerOptions.spawnHelper || !canShareMemory()) return this.handle(req);
    try {
      const model = new Uint8Array(req.model);
      const engine = ReferenceEngine.load(req.model, req.options, { memory: 'shared' });
      this.pool = await WorkerPool.start(engine, model, req.options, workers, this.handlerOptions.spawnHelper);
      this.engine = engine;
      return { response: this.loadedResponse(req.id, engine, workers), transfer: [] };
    } catch (err) {
      return this.errorResponse(req.id, err);
    }
  }

  private async stopPool(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.stop();
  }

  private loadedResponse(id: number, engine: ReferenceEngine, workers: number): WorkerResponse {
    return {
      id,
      type: 'loaded',
      inputNames: [...engine.inputNames],
      outputNames: [...engine.outputNames],
      inputShape: engine.shapeOf(engine.inputNames[0])!,
      layers: engine.layers.map((l) => ({ name: l.node.name, opType: l.node.opType, outputShape: l.outputShapes[0] })),
      workers,
    };
  }

  private errorResponse(id: number, err: unknown): { response: WorkerResponse; transfer: ArrayBuffer[] } {
    const message = err instanceof Error ? err.message : String(err);
    return { response: { id, type: 'error', message, kind: err instanceof ModelError ? err.kind : undefined }, transfer: [] };
  }

  /** The response and the buffers to transfer with it (tensor copies are handed over, not cloned). */
  handle(req: WorkerRequest): { response: WorkerResponse; transfer: ArrayBuffer[] } {
    try {
      switch (req.type) {
        case 'load': {
          if (this.pool) void this.stopPool();
          const engine = ReferenceEngine.load(req.model, req.options);
          this.engine = engine;
          return { response: this.loadedResponse(req.id, engine, 1), transfer: [] };
        }
        case 'run': {
          this.buffers.give(req.recycle ?? []);
          const r = this.loaded().run(req.input, { stopAfter: req.stopAfter, want: req.want, allocate: (n) => this.buffers.take(n) });
          const transfer = Object.values(r.tensors).map((t) => t.data.buffer as ArrayBuffer);
          return { response: { id: req.id, type: 'ran', tensors: r.tensors, timings: r.timings, totalMs: r.totalMs }, transfer };
        }
        case 'whatIf': {
          const w = this.loaded().whatIfPool(req.node);
          return { response: { id: req.id, type: 'whatIf', poolType: w.type, tensor: w.tensor }, transfer: [w.tensor.data.buffer as ArrayBuffer] };
        }
      }
    } catch (err) {
      return this.errorResponse(req.id, err);
    }
  }

  /** Stops the helper workers, if any. */
  async dispose(): Promise<void> {
    await this.stopPool();
  }

  private loaded(): ReferenceEngine {
    if (!this.engine) throw new Error('no model loaded: send a load message first');
    return this.engine;
  }
}
