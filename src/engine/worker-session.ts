// One model in one inference worker. Each load starts a fresh worker beside the one in use, so a
// superseded or failed load is undone by terminating its worker: its download stops, its messages
// stop, and all the memory onnxruntime took comes back (onnxruntime cannot shrink its wasm heap).
import type { ModelManifest } from '../model/manifest.js';
import { deviceCores } from './device-cores.js';
import { inputLength } from '../preprocess/preprocess.js';
import { FrameTensor } from './frame-tensor.js';
import { ModelLoadError } from './load-error.js';
import { preprocessPlacement, type PreprocessPlacement, type PreprocessPlacementChoice } from './preprocess-placement.js';
import { translateOrtError } from './ort-errors.js';
import { WARM_FRAME_ID, type BackendChoice, type FromWorker, type PreparedInput, type ToWorker } from './protocol.js';

export type ReadyMessage = Extract<FromWorker, { type: 'ready' }>;
export type WorkerResult = Extract<FromWorker, { type: 'result' }>;
export type BenchBareMessage = Extract<FromWorker, { type: 'benchBare' }>;
export type TensorsMessage = Extract<FromWorker, { type: 'tensors' }>;
type Answer = WorkerResult | BenchBareMessage | TensorsMessage | null;

/** A camera frame for the warm-up run (see LoadRequest.warmFrame); the bitmap is transferred. */
export interface WarmFrame {
  frame: ImageBitmap;
  captureMs: number;
  wantInput: boolean;
}

/** Where the model's bytes come from: a URL the worker downloads, or bytes (transferred). */
export type SessionSource = { url: string } | { bytes: ArrayBuffer };

export interface OpenOptions {
  source: SessionSource;
  manifest: ModelManifest;
  backend: BackendChoice;
  threads: number;
  /** An extra output to return with every result (see LoadRequest.embeddingOutput). */
  embeddingOutput?: string;
  /** Stamped on every result of this session. */
  generation: number;
  /** Where live frames are preprocessed (see preprocess-placement.ts); 'auto' when omitted. */
  preprocess?: PreprocessPlacementChoice;
  /** Aborting terminates the worker: the download and the session creation stop. */
  signal?: AbortSignal;
  onProgress?(loaded: number, total: number): void;
  /**
   * Called when the worker is ready to warm up: a frame to warm up on (its result is the session's
   * firstResult), or null for a warm-up on zeros.
   */
  warmFrame?(): Promise<WarmFrame | null>;
}

export class WorkerSession {
  private nextId = 1;
  private pending = new Map<number, { resolve(m: Answer): void; reject(e: Error): void }>();
  /** Requests run one after another: a session must not run twice at once. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Live frames sent past the queue (the worker orders them itself), not answered yet. */
  private live = new Set<Promise<unknown>>();
  private closed = false;
  /** Where live frames are preprocessed: decided once the worker says which backend and threads it runs. */
  readonly preprocessOn: PreprocessPlacement;
  /** Live frames preprocessed here, on the page, for this session's model. */
  private readonly frames = new FrameTensor();
  /** The warm-up frame's result (sent right after 'ready'), or null when the warm-up ran on zeros. */
  readonly firstResult: Promise<WorkerResult> | null;

  private constructor(
    private readonly worker: Worker,
    readonly generation: number,
    readonly manifest: ModelManifest,
    readonly ready: ReadyMessage,
    preprocess: PreprocessPlacementChoice,
  ) {
    this.preprocessOn = preprocessPlacement(preprocess, deviceCores(), ready.threads, ready.backend);
    this.firstResult = ready.warmedOnFrame
      ? new Promise<WorkerResult>((resolve, reject) => this.pending.set(WARM_FRAME_ID, { resolve: resolve as (m: Answer) => void, reject }))
      : null;
    // Settled by whoever reads it; a session ended first must not leave an unhandled rejection.
    this.firstResult?.catch(() => undefined);
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    worker.onerror = (event) => this.failAll(new Error(`inference worker crashed: ${event.message || 'unknown error'}`));
  }

  /** Starts a worker, loads the model in it and waits for its warm-up; terminates it on any failure. */
  static open(options: OpenOptions): Promise<WorkerSession> {
    const { source, manifest, backend, threads, embeddingOutput, generation, signal, onProgress, warmFrame, preprocess = 'auto' } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new ModelLoadError('superseded', 'superseded by a newer load'));
      const worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
      const [, , h, w] = manifest.inputShape;
      const fail = (err: ModelLoadError) => {
        worker.terminate();
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      const onAbort = () => fail(new ModelLoadError('superseded', 'superseded by a newer load'));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onerror = (event) => fail(new ModelLoadError('crashed', 'the inference worker stopped while loading the model', event.message || undefined));
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const msg = event.data;
        if (signal?.aborted) return;
        if (msg.type === 'progress') onProgress?.(msg.loaded, msg.total);
        else if (msg.type === 'wantFrame') {
          // The worker waits for this answer: it always gets one, null when there is no frame.
          void (warmFrame?.() ?? Promise.resolve(null))
            .catch(() => null)
            .then((warm) => {
              if (signal?.aborted) return warm?.frame.close();
              const reply: ToWorker = { type: 'warmFrame', frame: warm?.frame ?? null, captureMs: warm?.captureMs ?? 0, wantInput: warm?.wantInput ?? false };
              worker.postMessage(reply, warm ? [warm.frame] : []);
            });
        }
        else if (msg.type === 'error' && msg.stage === 'load') {
          fail(
            msg.during === 'download'
              ? new ModelLoadError('download', msg.message)
              : msg.during === 'runtime'
                ? new ModelLoadError('runtime', `onnxruntime (the inference runtime) could not be loaded: ${msg.message}`, msg.message)
                : translateOrtError(msg.message, `${w}×${h}`),
          );
        } else if (msg.type === 'ready') {
          signal?.removeEventListener('abort', onAbort);
          resolve(new WorkerSession(worker, generation, manifest, msg, preprocess));
        }
      };
      const load: ToWorker =
        'url' in source
          ? { type: 'load', modelUrl: source.url, manifest, backend, threads, embeddingOutput, warmFrame: !!warmFrame }
          : { type: 'load', modelBytes: source.bytes, manifest, backend, threads, embeddingOutput, warmFrame: !!warmFrame };
      worker.postMessage(load, 'bytes' in source ? [source.bytes] : []);
    });
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'error' || msg.type === 'result' || msg.type === 'benchBare' || msg.type === 'tensors') {
      const id = msg.id ?? -1;
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (msg.type === 'error' && msg.dropped) p?.resolve(null);
      else if (msg.type === 'error') p?.reject(new Error(msg.message));
      else p?.resolve(msg);
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private request<T extends Answer>(make: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<T> {
    const run = () =>
      new Promise<T>((resolve, reject) => {
        if (this.closed) return reject(new Error('the model was replaced'));
        const msg = make(this.nextId++);
        this.pending.set((msg as { id: number }).id, { resolve: resolve as (m: Answer) => void, reject });
        this.worker.postMessage(msg, transfer);
      });
    const answer = this.tail.then(run, run);
    this.tail = answer.catch(() => undefined);
    return answer;
  }

  /** Classifies one frame; the bitmap is transferred (and closed by the worker). */
  classify(frame: ImageBitmap, captureMs: number, wantInput: boolean): Promise<WorkerResult> {
    return this.request<WorkerResult>((id) => ({ type: 'classify', id, frame, captureMs, wantInput }), [frame]).catch((err: unknown) => {
      frame.close();
      throw err;
    });
  }

  /**
   * Classifies a live camera frame, sent at once even while another frame runs: the worker keeps at
   * most one waiting and a newer live frame replaces it (then this resolves null). See frame-slot.ts.
   * Where preprocessOn is 'page', the frame is preprocessed here for this session's model while the
   * worker runs the frame before, and the worker's time per frame is the model's alone. The bitmap
   * is transferred or closed.
   */
  classifyLive(frame: ImageBitmap, captureMs: number, wantInput: boolean): Promise<WorkerResult | null> {
    const answer = new Promise<WorkerResult | null>((resolve, reject) => {
      if (this.closed) return reject(new Error('the model was replaced'));
      const prepared = this.preprocessOn === 'page' ? this.prepare(frame) : null;
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (m: Answer) => void, reject });
      const msg: ToWorker = { type: 'classify', id, frame: prepared ?? frame, captureMs, wantInput, live: true };
      this.worker.postMessage(msg, [prepared ? prepared.input.buffer : frame]);
    }).catch((err: unknown) => {
      frame.close();
      throw err;
    });
    const settled = answer.catch(() => undefined);
    this.live.add(settled);
    void settled.then(() => this.live.delete(settled));
    return answer;
  }

  /** The model's input for a frame (a buffer of its own: it is transferred). Closes the frame. */
  private prepare(frame: ImageBitmap): PreparedInput {
    const t0 = performance.now();
    const spec = this.manifest.preprocess;
    const { input, crop } = this.frames.read(frame, spec, new Float32Array(inputLength(spec)));
    return { input, crop, preprocessMs: performance.now() - t0 };
  }

  benchBare(runs: number, warmup: number): Promise<BenchBareMessage> {
    return this.request<BenchBareMessage>((id) => ({ type: 'benchBare', id, runs, warmup }));
  }

  async tensors(input: Float32Array, names: string[]): Promise<TensorsMessage['tensors']> {
    return (await this.request<TensorsMessage>((id) => ({ type: 'tensors', id, input, names }))).tensors;
  }

  /** Ends the worker once the requests already queued have answered. */
  retire(): void {
    void Promise.all([this.tail, ...this.live]).then(() => this.terminate());
  }

  terminate(): void {
    this.closed = true;
    this.worker.terminate();
    this.failAll(new Error('the model was replaced'));
  }
}
