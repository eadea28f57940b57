// Splitting heavy layers across workers that share memory. The leader (the engine's own worker)
// and N-1 helpers each hold a ReferenceEngine over the same SharedArrayBuffers (activations); the
// weights are per worker. For a split layer the leader publishes the layer index through a shared
// control word, every worker runs its part (a disjoint range of output columns), and the leader
// waits until all helpers are done: one Atomics.notify / Atomics.wait round trip per layer.
// Environment-neutral: the browser (Web Workers) and Node (worker_threads) supply the spawning.
import type { ReadOptions } from '../model/onnx-read.js';
import { ReferenceEngine, type LayerPool } from './engine.js';

/** Control words (Int32Array over a SharedArrayBuffer). */
const GEN = 0; // bumped by the leader for each split layer
const LAYER = 1; // layer index to run; -1 tells helpers to exit
const DONE = 2; // helpers that finished the current layer
const FAILED = 3; // set to 1 by a helper whose part threw
const FUSED = 4; // 1: run the layer's Conv + activation fused kernel (engine.ts)
const CONTROL_WORDS = 5;

/** Layers with fewer multiply-adds than this run on the leader alone (the round trip costs more). */
export const MIN_SPLIT_MACS = 4_000_000;

export interface HelperInit {
  type: 'helper-init';
  model: Uint8Array;
  options?: ReadOptions;
  buffers: Record<string, SharedArrayBuffer>;
  control: SharedArrayBuffer;
  part: number;
  parts: number;
}

export type HelperReply = { type: 'helper-ready' } | { type: 'helper-error'; message: string };

/** The few things the pool needs from a helper worker (browser Worker or worker_threads Worker). */
export interface HelperPort {
  postMessage(message: HelperInit, transfer: Transferable[]): void;
  onMessage(listener: (reply: HelperReply) => void): void;
  onError(listener: (message: string) => void): void;
  terminate(): void | Promise<unknown>;
}

/** Whether this environment can share memory between workers (needs cross-origin isolation in browsers). */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated !== false;
}

export class WorkerPool implements LayerPool {
  private stopped = false;

  private constructor(
    private readonly engine: ReferenceEngine,
    private readonly control: Int32Array,
    private readonly helpers: HelperPort[],
    private readonly splitLayers: ReadonlySet<number>,
  ) {}

  get parts(): number {
    return this.helpers.length + 1;
  }

  /**
   * Starts workers - 1 helpers for `engine` (built with memory 'shared' from `model`) and attaches
   * the pool to the engine. `model` is copied to each helper.
   */
  static async start(
    engine: ReferenceEngine,
    model: Uint8Array,
    options: ReadOptions | undefined,
    workers: number,
    spawn: () => HelperPort,
    { minSplitMacs = MIN_SPLIT_MACS }: { minSplitMacs?: number } = {},
  ): Promise<WorkerPool> {
    const buffers = engine.sharedBuffers();
    if (Object.keys(buffers).length === 0) throw new Error('the engine must be built with memory: "shared" to run on several workers');
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
    const ports: HelperPort[] = [];
    const ready: Promise<void>[] = [];
    for (let part = 1; part < workers; part++) {
      const port = spawn();
      ports.push(port);
      ready.push(
        new Promise<void>((resolve, reject) => {
          port.onMessage((r) => (r.type === 'helper-ready' ? resolve() : reject(new Error(`reference helper ${part}: ${r.message}`))));
          port.onError((m) => reject(new Error(`reference helper ${part}: ${m}`)));
        }),
      );
      const copy = new Uint8Array(model); // a real copy (Buffer.slice would be a view)
      port.postMessage({ type: 'helper-init', model: copy, options, buffers, control: control.buffer as SharedArrayBuffer, part, parts: workers }, [copy.buffer]);
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      for (const p of ports) void p.terminate();
      throw err;
    }
    const split = new Set<number>();
    engine.layers.forEach((l, i) => {
      if (l.partKernel && l.op.macs >= minSplitMacs) split.add(i);
    });
    const pool = new WorkerPool(engine, control, ports, split);
    engine.setPool(pool);
    return pool;
  }

  /** Indices of the layers this pool splits. */
  get splitLayerIndices(): number[] {
    return [...this.splitLayers];
  }

  splits(layerIndex: number): boolean {
    return !this.stopped && this.splitLayers.has(layerIndex);
  }

  runLayer(layerIndex: number, fused = false): void {
    const c = this.control;
    const helpers = this.helpers.length;
    Atomics.store(c, LAYER, layerIndex);
    Atomics.store(c, FUSED, fused ? 1 : 0);
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    let error: unknown = null;
    try {
      this.engine.runPart(layerIndex, 0, this.parts, fused);
    } catch (err) {
      error = err;
    }
    for (let d = Atomics.load(c, DONE); d < helpers; d = Atomics.load(c, DONE)) Atomics.wait(c, DONE, d);
    if (error) throw error;
    if (Atomics.load(c, FAILED)) throw new Error(`a reference helper failed on layer ${this.engine.layers[layerIndex].node.name}`);
  }

  /** Tells the helpers to exit and terminates them; the engine runs alone afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.engine.setPool(null);
    Atomics.store(this.control, LAYER, -1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    await Promise.all(this.helpers.map((h) => h.terminate()));
  }
}

/**
 * A helper's whole life: builds its engine over the shared buffers, reports ready, then blocks in
 * Atomics.wait running parts until told to exit. Call it from the helper worker's first message.
 */
export function runHelper(init: HelperInit, reply: (r: HelperReply) => void): void {
  let engine: ReferenceEngine;
  const c = new Int32Array(init.control);
  let gen = Atomics.load(c, GEN);
  try {
    engine = ReferenceEngine.load(init.model, init.options, { memory: init.buffers });
  } catch (err) {
    reply({ type: 'helper-error', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  reply({ type: 'helper-ready' });
  for (;;) {
    Atomics.wait(c, GEN, gen);
    const now = Atomics.load(c, GEN);
    if (now === gen) continue;
    gen = now;
    const layer = Atomics.load(c, LAYER);
    if (layer < 0) return;
    try {
      engine.runPart(layer, init.part, init.parts, Atomics.load(c, FUSED) === 1);
    } catch {
      Atomics.store(c, FAILED, 1);
    }
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
}
