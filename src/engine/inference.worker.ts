/// <reference lib="webworker" />
// The inference worker: receives messages and answers them, one job per module: the model's bytes
// (model-fetch), frame -> tensor (frame-tensor; live camera frames arrive already preprocessed by
// the page), the backend and its fallback (backend-policy, serving-engine), sessions (ort-engine).
import { prepareRuntime, type WarmInput } from './backend-policy.js';
import { JobSlot } from './frame-slot.js';
import type { PreprocessSpec } from '../model/manifest.js';
import { FrameTensor, preparedTensor, type FrameCrop } from './frame-tensor.js';
import { fetchModel } from './model-fetch.js';
import { WARM_FRAME_ID, type ClassifyRequest, type FromWorker, type LoadRequest, type ToWorker, type WarmFrameReply } from './protocol.js';
import { OrtEngine } from './ort-engine.js';
import { RuntimeUnavailableError } from './ort-runtime.js';
import { ServingEngine } from './serving-engine.js';

declare const self: DedicatedWorkerGlobalScope;

let serving: ServingEngine | null = null;
const frames = new FrameTensor();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function loaded(): ServingEngine {
  if (!serving) throw new Error('no model is loaded yet');
  return serving;
}

async function load(req: LoadRequest): Promise<void> {
  // Marks for profiling start-up (DevTools, Playwright tracing, the startup bench).
  performance.mark('cnn-lens:load');
  prepareRuntime(req.backend);
  // While the runtime downloads and compiles: the first frame's one-off preprocessing costs, in a
  // task of their own behind the start of the model's fetch. A failure here is the first frame's
  // to report.
  setTimeout(() => {
    try {
      frames.warm(req.manifest.preprocess);
    } catch {
      // (reported by the frame that needs the canvas)
    }
    performance.mark('cnn-lens:preprocess-warm');
  }, 0);
  let bytes: Uint8Array;
  try {
    bytes = req.modelBytes ? new Uint8Array(req.modelBytes) : await fetchModel(req.modelUrl ?? '', (loaded, total) => post({ type: 'progress', loaded, total }), undefined, req.manifest.sha256);
  } catch (err) {
    post({ type: 'error', stage: 'load', message: (err as Error).message, during: 'download' });
    return;
  }
  performance.mark('cnn-lens:model-bytes');
  const warm = req.warmFrame ? warmFrameInput(req) : null;
  const started = await ServingEngine.start(bytes, req.manifest, req.backend, req.threads, req.embeddingOutput, warm?.input);
  const previous = serving;
  serving = started.serving;
  if (previous) await previous.release();
  performance.mark('cnn-lens:ready');
  const frame = started.warmScores ? warm?.frame() : null;
  post({
    type: 'ready',
    backend: serving.backend,
    threads: OrtEngine.wasmThreadsInUse,
    warmupMs: started.warmupMs,
    notice: started.notice,
    reason: started.reason,
    warmedOnFrame: !!frame,
  });
  if (frame && started.warmScores) {
    const { probabilities, top, inferenceMs } = started.warmScores;
    post(
      {
        type: 'result',
        id: WARM_FRAME_ID,
        backend: serving.backend,
        top,
        probabilities,
        input: frame.wantInput ? frame.input.slice() : undefined,
        timings: { capture: frame.captureMs, preprocess: frame.preprocessMs, inference: inferenceMs, postprocess: 0, preprocessedOn: 'worker' },
        crop: frame.crop,
      },
      [probabilities.buffer],
    );
    performance.mark('cnn-lens:first-result');
  }
}

/** Resolves the page's answer to wantFrame (one load asks at a time: a worker serves one load). */
let frameReply: ((reply: WarmFrameReply) => void) | null = null;

interface WarmFrame {
  input: Float32Array;
  crop: FrameCrop;
  captureMs: number;
  preprocessMs: number;
  wantInput: boolean;
}

/**
 * The warm-up's input for this load: asks the page for a camera frame once (a warm-up may run
 * twice when "auto" compares backends; both run on the same tensor) and preprocesses it.
 */
function warmFrameInput(req: LoadRequest): { input: WarmInput; frame(): WarmFrame | null } {
  let asked: Promise<WarmFrame | null> | null = null;
  let got: WarmFrame | null = null;
  const ask = async (): Promise<WarmFrame | null> => {
    const reply = await new Promise<WarmFrameReply>((resolve) => {
      frameReply = resolve;
      post({ type: 'wantFrame' });
    });
    frameReply = null;
    if (!reply.frame) return null;
    if (framesSeen++ === 0) performance.mark('cnn-lens:first-frame');
    const t0 = performance.now();
    const { input, crop } = frames.read(reply.frame, req.manifest.preprocess);
    // A copy: the frame buffer is reused by the next frame, and this tensor may be run twice.
    got = { input: input.slice(), crop, captureMs: reply.captureMs, preprocessMs: performance.now() - t0, wantInput: reply.wantInput };
    return got;
  };
  return {
    input: async () => {
      asked ??= ask();
      return (await asked)?.input ?? null;
    },
    frame: () => got,
  };
}

/** The first frame of this worker is marked (start-up profiling), later ones are not. */
let framesSeen = 0;

async function classify(req: ClassifyRequest): Promise<void> {
  const engine = loaded();
  const first = framesSeen++ === 0;
  if (first) performance.mark('cnn-lens:first-frame');
  const t0 = performance.now();
  const { input, crop, preprocessMs, prepared } = inputOf(req.frame, engine.manifest.preprocess);
  const t1 = performance.now();
  const { scores, notice } = await engine.classify(input);
  const t2 = performance.now();
  const probabilities = scores.probabilities;
  const embedding = scores.extra;
  // A prepared input is this request's own buffer: it goes back as it is; the worker's is reused.
  const sent = req.wantInput ? (prepared ? input : input.slice()) : undefined;
  const t3 = performance.now();
  post(
    {
      type: 'result',
      id: req.id,
      backend: engine.backend,
      top: scores.top,
      probabilities,
      embedding,
      input: sent,
      timings: { capture: req.captureMs, preprocess: preprocessMs ?? t1 - t0, inference: scores.inferenceMs, postprocess: t2 - t1 - scores.inferenceMs + (t3 - t2), preprocessedOn: prepared ? 'page' : 'worker' },
      crop,
      notice,
    },
    [probabilities.buffer, ...(embedding ? [embedding.buffer] : []), ...(sent ? [sent.buffer] : [])],
  );
  if (first) performance.mark('cnn-lens:first-result');
}

/**
 * The model's input for a request: a bitmap is preprocessed here (into the reused buffer); an input
 * the page prepared is checked against the model's input size and used as it is.
 */
function inputOf(frame: ClassifyRequest['frame'], spec: PreprocessSpec): { input: Float32Array; crop: FrameCrop; preprocessMs?: number; prepared: boolean } {
  if (isBitmap(frame)) return { ...frames.read(frame, spec), prepared: false };
  return { input: preparedTensor(frame, spec), crop: frame.crop, preprocessMs: frame.preprocessMs, prepared: true };
}

const isBitmap = (frame: ClassifyRequest['frame']): frame is ImageBitmap => !('input' in frame);

/** Frees what a request holds that nobody else will (a bitmap; a prepared buffer is garbage-collected). */
function release(frame: ClassifyRequest['frame']): void {
  if (isBitmap(frame)) frame.close();
}

function failClassify(msg: ClassifyRequest, err: unknown): void {
  release(msg.frame);
  post({ type: 'error', stage: 'classify', message: (err as Error).message, id: msg.id });
}

/** One onnxruntime job at a time; a live frame waits here while the previous one runs. */
const slot = new JobSlot<ClassifyRequest>(
  (msg) => classify(msg).catch((err: unknown) => failClassify(msg, err)),
  (msg) => {
    release(msg.frame);
    post({ type: 'error', stage: 'classify', message: 'replaced by a newer frame', id: msg.id, dropped: true });
  },
);

// onnxruntime's wasm threads start this same script (named em-pthread...) and install their own
// handler during import; taking it over would hang session creation.
const isOrtThread = self.name.startsWith('em-pthread');

if (!isOrtThread) self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'warmFrame') {
    if (frameReply) frameReply(msg);
    else msg.frame?.close();
  } else if (msg.type === 'load') {
    load(msg).catch((err: unknown) =>
      post({ type: 'error', stage: 'load', message: err instanceof Error ? err.message : String(err), during: err instanceof RuntimeUnavailableError ? 'runtime' : 'session' }),
    );
  } else if (msg.type === 'classify') {
    if (msg.live) slot.pushFrame(msg);
    else slot.exclusive(() => classify(msg)).catch((err: unknown) => failClassify(msg, err));
  } else if (msg.type === 'tensors') {
    slot
      .exclusive(() => loaded().tensors(msg.input, msg.names))
      .then((tensors) => post({ type: 'tensors', id: msg.id, tensors }, Object.values(tensors).map((t) => t.data.buffer)))
      .catch((err: unknown) => post({ type: 'error', stage: 'tensors', message: (err as Error).message, id: msg.id }));
  } else if (msg.type === 'benchBare') {
    slot
      .exclusive(() => loaded().benchBare(msg.warmup, msg.runs))
      .then((times) => post({ type: 'benchBare', id: msg.id, backend: loaded().backend, times }))
      .catch((err: unknown) => post({ type: 'error', stage: 'bench', message: (err as Error).message, id: msg.id }));
  }
};
