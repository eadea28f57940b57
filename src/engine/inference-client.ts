// Page-side handle on the inference worker: one request in flight per kind, promises for answers.
import type { ModelManifest } from '../model/manifest.js';
import type { BackendChoice, FromWorker, ToWorker } from './protocol.js';

export type ReadyMessage = Extract<FromWorker, { type: 'ready' }>;
export type ResultMessage = Extract<FromWorker, { type: 'result' }>;

export class InferenceClient {
  private worker: Worker;
  private nextId = 1;
  private pendingLoad: { resolve(m: ReadyMessage): void; reject(e: Error): void } | null = null;
  private pending = new Map<number, { resolve(m: ResultMessage): void; reject(e: Error): void }>();
  onProgress: (loaded: number, total: number) => void = () => {};

  constructor() {
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const err = new Error(`inference worker crashed: ${event.message || 'unknown error'}`);
      this.pendingLoad?.reject(err);
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
      this.pendingLoad?.reject(new Error(msg.message));
      this.pendingLoad = null;
    } else if (msg.type === 'error' || msg.type === 'result') {
      const id = msg.id ?? -1;
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (msg.type === 'result') p?.resolve(msg);
      else p?.reject(new Error(msg.message));
    }
  }

  /** Loads (or replaces) the model; the previous model keeps serving if this fails. */
  load(
    source: { url: string } | { bytes: ArrayBuffer },
    manifest: ModelManifest,
    backend: BackendChoice,
    threads: number,
  ): Promise<ReadyMessage> {
    if (this.pendingLoad) this.pendingLoad.reject(new Error('superseded by a newer load'));
    return new Promise((resolve, reject) => {
      this.pendingLoad = { resolve, reject };
      if ('url' in source) this.send({ type: 'load', modelUrl: source.url, manifest, backend, threads });
      else this.send({ type: 'load', modelBytes: source.bytes, manifest, backend, threads }, [source.bytes]);
    });
  }

  /** Classifies one frame; the bitmap is transferred (and closed by the worker). */
  classify(frame: ImageBitmap, captureMs: number, wantInput = false): Promise<ResultMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'classify', id, frame, captureMs, wantInput }, [frame]);
    });
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
