// Page-side handle on the inference worker: one request in flight per kind, promises for answers.
import type { ModelManifest } from '../model/manifest.js';
import { ModelLoadError } from './load-error.js';
import type { BackendChoice, FromWorker, ToWorker } from './protocol.js';

export type ReadyMessage = Extract<FromWorker, { type: 'ready' }>;
export type ResultMessage = Extract<FromWorker, { type: 'result' }>;
export type BenchBareMessage = Extract<FromWorker, { type: 'benchBare' }>;
export type TensorsMessage = Extract<FromWorker, { type: 'tensors' }>;
type Answer = ResultMessage | BenchBareMessage | TensorsMessage;

export class InferenceClient {
  private worker: Worker;
  private nextId = 1;
  private pendingLoad: { resolve(m: ReadyMessage): void; reject(e: Error): void } | null = null;
  private pending = new Map<number, { resolve(m: Answer): void; reject(e: Error): void }>();
  /** Requests run one after another: a session must not run twice at once. */
  private tail: Promise<unknown> = Promise.resolve();
  onProgress: (loaded: number, total: number) => void = () => {};

  constructor() {
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const err = new Error(`inference worker crashed: ${event.message || 'unknown error'}`);
      this.pendingLoad?.reject(new ModelLoadError('crashed', err.message));
      this.pendingLoad = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'progress') this.onProgress(msg.loaded, msg.total);
    else if (msg.type === 'ready') {
      this.pendingLoad?.resolve(msg);
      this.pendingLoad = null;
    } else if (msg.type === 'error' && msg.stage === 'load') {
      this.pendingLoad?.reject(new ModelLoadError('engine', msg.message));
      this.pendingLoad = null;
    } else if (msg.type === 'error' || msg.type === 'result' || msg.type === 'benchBare' || msg.type === 'tensors') {
      const id = msg.id ?? -1;
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (msg.type === 'error') p?.reject(new Error(msg.message));
      else p?.resolve(msg);
    }
  }

  /** Loads (or replaces) the model; the previous model keeps serving if this fails. */
  load(
    source: { url: string } | { bytes: ArrayBuffer },
    manifest: ModelManifest,
    backend: BackendChoice,
    threads: number,
  ): Promise<ReadyMessage> {
    if (this.pendingLoad) this.pendingLoad.reject(new ModelLoadError('superseded', 'superseded by a newer load'));
    return new Promise((resolve, reject) => {
      this.pendingLoad = { resolve, reject };
      if ('url' in source) this.send({ type: 'load', modelUrl: source.url, manifest, backend, threads });
      else this.send({ type: 'load', modelBytes: source.bytes, manifest, backend, threads }, [source.bytes]);
    });
  }

  private request<T extends Answer>(msg: ToWorker, transfer: Transferable[] = []): Promise<T> {
    const run = () =>
      new Promise<T>((resolve, reject) => {
        this.pending.set((msg as { id: number }).id, { resolve: resolve as (m: Answer) => void, reject });
        this.send(msg, transfer);
      });
    const answer = this.tail.then(run, run);
    this.tail = answer.catch(() => undefined);
    return answer;
  }

  /** Classifies one frame; the bitmap is transferred (and closed by the worker). */
  classify(frame: ImageBitmap, captureMs: number, wantInput = false): Promise<ResultMessage> {
    return this.request({ type: 'classify', id: this.nextId++, frame, captureMs, wantInput }, [frame]);
  }

  /** Times `runs` bare session.run calls on the loaded session (after `warmup` untimed ones). */
  benchBare(runs: number, warmup = 3): Promise<BenchBareMessage> {
    return this.request({ type: 'benchBare', id: this.nextId++, runs, warmup });
  }

  /** onnxruntime's values of the named tensors for this input (the input is copied, not transferred). */
  async tensors(input: Float32Array, names: string[]): Promise<TensorsMessage['tensors']> {
    return (await this.request<TensorsMessage>({ type: 'tensors', id: this.nextId++, input, names })).tensors;
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** WASM threads for this device: all cores but capped, since ORT gains little past 4 on phones. */
export function defaultThreads(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(cores, 4));
}
