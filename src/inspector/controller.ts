// Drives the layer inspector: the reference engine runs in its own worker on the same input tensor
// the production engine classified, whenever it is free (latest frame wins), computing only up to
// the selected layer. Every few seconds (and on a frozen frame) it runs the whole network and
// compares the selected layer and the final output with onnxruntime's, for the same frame. How much
// of the device it takes (workers, throttle) comes from inspectorBudget (budget.ts).
import type { ShapedGraph } from '../model/onnx-read.js';
import { readOnnx } from '../reference/load-graph.js';
import { ReferenceClient } from '../reference/client.js';
import { compareTensors, type LayerDiff } from '../reference/compare.js';
import type { WorkerLike } from '../reference/protocol.js';
import type { NodeTiming, Tensor } from '../reference/tensor.js';
import { summarizeModel, type ModelSummary, type SummaryRow } from '../summary/summary.js';
import { softmax, topK } from '../model/topk.js';
import { restAfter, type InspectorBudget } from './budget.js';

export interface InspectorDeps {
  createWorker(): WorkerLike;
  /** onnxruntime's values of the named tensors for this input (the all-outputs model variant). */
  ortTensors(input: Float32Array, names: string[]): Promise<Record<string, Tensor>>;
  /** What the reference may take of this device now (read at each model load and each run). */
  budget(): InspectorBudget;
  /** Milliseconds between whole-network parity runs while live (default PARITY_INTERVAL_MS). */
  parityIntervalMs?: number;
}

export interface Parity {
  frameId: number;
  layer: string;
  layerDiff: LayerDiff | null;
  finalDiff: LayerDiff;
  /** Top-1 of the reference and of onnxruntime on the same frame (after softmax when the model needs one). */
  referenceTop1: number;
  ortTop1: number;
  agree: boolean;
}

export interface LayerSnapshot {
  frameId: number;
  layer: string;
  tensor: Tensor;
  timings: NodeTiming[];
  totalMs: number;
}

export interface InspectorEvents {
  onSnapshot(s: LayerSnapshot): void;
  onParity(p: Parity): void;
  onError(message: string): void;
}

/** Milliseconds between whole-network parity runs while live (2 s). */
export const PARITY_INTERVAL_MS = 2000;
/** Refreshes per second are counted over this window. */
export const RATE_WINDOW_MS = 10_000;

export class InspectorController {
  summary: ModelSummary | null = null;
  graph: ShapedGraph | null = null;
  private client: ReferenceClient | null = null;
  private layer: string | null = null;
  private pending: { frameId: number; input: Float32Array } | null = null;
  private lastInput: { frameId: number; input: Float32Array } | null = null;
  private busy = false;
  private lastParityAt = -Infinity;
  private frozen = false;
  private restUntil = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private outputName = '';
  private needsSoftmax = true;
  /** When the next whole-network parity check may run (its own throttle, apart from the layer's). */
  private parityDueAt = 0;
  /** A whole-network check waits for onnxruntime's tensors (at most one at a time). */
  private parityInFlight = false;
  /** Tensors of layer refreshes (not of whole-network checks, which parity still reads) that may be recycled. */
  private recyclable = new WeakSet<Float32Array>();
  /** Buffers released since the last request, and those released before it: only the latter are sent. */
  private released: ArrayBuffer[] = [];
  private spare: ArrayBuffer[] = [];
  /** End times of recent layer refreshes, for the refresh rate. */
  private refreshTimes: number[] = [];
  /** Layer refreshes shown since the controller was made. */
  refreshes = 0;
  /** Reference workers the loaded model runs with. */
  workers = 1;

  constructor(private readonly deps: InspectorDeps, private readonly events: InspectorEvents) {}

  /** Parses the model here (summary, weights for the filter view) and loads it into the worker. */
  async loadModel(bytes: Uint8Array, needsSoftmax: boolean): Promise<ModelSummary> {
    const graph = readOnnx(bytes);
    const summary = summarizeModel(graph);
    const client = this.client ?? new ReferenceClient(this.deps.createWorker());
    const loaded = await client.load(bytes.slice(), { workers: this.deps.budget().workers });
    this.workers = loaded.workers;
    this.generation++;
    this.client = client;
    this.graph = graph;
    this.summary = summary;
    this.outputName = graph.outputs[0].name;
    this.needsSoftmax = needsSoftmax;
    this.pending = null;
    this.lastInput = null;
    this.released = [];
    this.spare = [];
    this.lastParityAt = -Infinity;
    this.parityDueAt = 0;
    this.refreshTimes = [];
    if (this.layer && !summary.rows.some((r) => r.name === this.layer)) this.layer = null;
    return summary;
  }

  row(name: string): SummaryRow | undefined {
    return this.summary?.rows.find((r) => r.name === name);
  }

  /** The tensor a layer (node) produces: its first output. */
  tensorOf(layer: string): string | undefined {
    return this.graph?.nodes.find((n) => n.name === layer)?.outputs[0];
  }

  select(layer: string | null): void {
    this.layer = layer;
    this.lastParityAt = -Infinity;
    this.refreshTimes = [];
    // Show the new layer for the frame already seen, without waiting for the next one.
    if (layer && this.lastInput && !this.pending) this.pending = this.lastInput;
    this.pump();
  }

  setFrozen(frozen: boolean): void {
    this.frozen = frozen;
    if (frozen) this.lastParityAt = -Infinity;
  }

  /** A new frame's input tensor; replaces any frame still waiting. */
  submit(frameId: number, input: Float32Array): void {
    this.pending = { frameId, input };
    this.pump();
  }

  /**
   * The view no longer shows this snapshot's tensor (a newer one replaced it): its buffer goes back
   * to the worker for a later refresh's copy, instead of the worker taking fresh memory each time
   * (src/reference/buffer-pool.ts). It is sent one request later than it is released, so whatever
   * still drew from it has long moved on to the newer tensor when it is detached here.
   */
  release(tensor: Tensor): void {
    if (!this.recyclable.delete(tensor.data)) return;
    this.released.push(tensor.data.buffer as ArrayBuffer);
  }

  /** The selected pooling node re-run with the other pooling type on the last frame. */
  async whatIf(node: string): Promise<{ poolType: string; tensor: Tensor }> {
    if (!this.client) throw new Error('no model loaded in the inspector');
    return this.client.whatIf(node);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.client?.terminate();
    this.client = null;
  }

  private pump(): void {
    if (this.busy || !this.pending || !this.layer || !this.client) return;
    const wait = this.restUntil - performance.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    const frame = this.pending;
    this.pending = null;
    this.busy = true;
    void this.runFrame(frame).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private async runFrame(frame: { frameId: number; input: Float32Array }): Promise<void> {
    const client = this.client;
    const layer = this.layer;
    const tensorName = layer ? this.tensorOf(layer) : undefined;
    if (!client || !layer || !tensorName) return;
    const generation = this.generation;
    const now = performance.now();
    const due = now - this.lastParityAt >= (this.deps.parityIntervalMs ?? PARITY_INTERVAL_MS) && now >= this.parityDueAt;
    const full = !this.parityInFlight && (this.frozen || due);
    const want = full ? [...new Set([tensorName, this.outputName])] : [tensorName];
    const budget = this.deps.budget();
    try {
      const t0 = performance.now();
      const recycle = this.spare;
      this.spare = this.released;
      this.released = [];
      const ran = await client.run(frame.input, want, full ? undefined : layer, recycle);
      if (!full) for (const t of Object.values(ran.tensors)) this.recyclable.add(t.data);
      const elapsed = performance.now() - t0;
      if (generation !== this.generation) return;
      this.lastInput = frame;
      this.countRefresh(performance.now());
      this.events.onSnapshot({ frameId: frame.frameId, layer, tensor: ran.tensors[tensorName], timings: ran.timings, totalMs: ran.totalMs });
      if (full) {
        // onnxruntime's side runs in the inference worker: the layer refreshes go on meanwhile.
        this.parityInFlight = true;
        void this.deps
          .ortTensors(frame.input, want)
          .then((ort) => {
            if (generation === this.generation) this.events.onParity(this.parity(frame.frameId, layer, tensorName, ran.tensors, ort));
          })
          .catch((err: unknown) => {
            if (generation === this.generation) this.events.onError((err as Error).message);
          })
          .finally(() => {
            this.parityInFlight = false;
            // The interval counts from the end of a check, so slow machines are not checking all the
            // time; a throttled device spaces checks by the reference's cost of them, so the layer
            // refreshes keep their share.
            this.lastParityAt = performance.now();
            this.parityDueAt = this.lastParityAt + restAfter(elapsed, budget.parityShare);
          });
      } else {
        this.restUntil = performance.now() + restAfter(elapsed, budget.layerShare);
      }
    } catch (err) {
      this.events.onError((err as Error).message);
    }
  }

  /** Layer refreshes per second over the last RATE_WINDOW_MS (0 until two refreshes). */
  refreshRate(now = performance.now()): number {
    const recent = this.refreshTimes.filter((t) => now - t <= RATE_WINDOW_MS);
    if (recent.length < 2) return 0;
    // n refreshes span n - 1 intervals; a stall since the last one lowers the rate too.
    return ((recent.length - 1) * 1000) / Math.max(now - recent[0], 1);
  }

  private countRefresh(now: number): void {
    this.refreshes++;
    this.refreshTimes.push(now);
    while (this.refreshTimes.length && now - this.refreshTimes[0] > RATE_WINDOW_MS) this.refreshTimes.shift();
  }

  private parity(frameId: number, layer: string, tensorName: string, ref: Record<string, Tensor>, ort: Record<string, Tensor>): Parity {
    const finalDiff = compareTensors(this.outputName, ref[this.outputName], ort[this.outputName]);
    const layerDiff = tensorName === this.outputName ? finalDiff : ort[tensorName] ? compareTensors(tensorName, ref[tensorName], ort[tensorName]) : null;
    const top1 = (t: Tensor): number => topK(this.needsSoftmax ? softmax(t.data) : t.data, 1)[0]?.index ?? -1;
    const referenceTop1 = top1(ref[this.outputName]);
    const ortTop1 = top1(ort[this.outputName]);
    return { frameId, layer, layerDiff, finalDiff, referenceTop1, ortTop1, agree: referenceTop1 === ortTop1 };
  }
}
