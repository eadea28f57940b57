/// <reference lib="webworker" />
// The inference worker: owns the onnxruntime-web session, preprocesses frames with OffscreenCanvas
// and the shared preprocessing module, and answers one frame at a time.
import * as ort from 'onnxruntime-web';
import type { ModelManifest } from '../model/manifest.js';
import { cropGeometry, preprocess } from '../preprocess/preprocess.js';
import { OrtEngine } from './ort-engine.js';
import { withAllOutputs } from '../model/all-outputs.js';
import type { Backend, BenchBareRequest, ClassifyRequest, FromWorker, LoadRequest, TensorsRequest, ToWorker } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

let engine: OrtEngine | null = null;
let modelBytes: Uint8Array | null = null;
let loadRequest: LoadRequest | null = null;
let canvas: OffscreenCanvas | null = null;
let input: Float32Array | null = null;
/** The all-outputs variant of the loaded model, made on the inspector's first request. */
let allOutputs: { bytes: Uint8Array; session: ort.InferenceSession } | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function fetchModel(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download the model ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    post({ type: 'progress', loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

async function webgpuAvailable(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'this browser has no WebGPU';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'no WebGPU adapter is available';
  } catch (err) {
    return `WebGPU adapter request failed: ${(err as Error).message}`;
  }
}

/** Creates a session and proves it with one warm-up run on a zero tensor. */
async function startEngine(bytes: Uint8Array, manifest: ModelManifest, backend: Backend, threads: number): Promise<{ engine: OrtEngine; warmupMs: number }> {
  const e = await OrtEngine.create(bytes, manifest, { backend, threads });
  try {
    const [, , h, w] = manifest.inputShape;
    const t0 = performance.now();
    await e.classify(new Float32Array(3 * h * w));
    return { engine: e, warmupMs: performance.now() - t0 };
  } catch (err) {
    await e.release().catch(() => undefined);
    throw err;
  }
}

async function load(req: LoadRequest): Promise<void> {
  const bytes = req.modelBytes ? new Uint8Array(req.modelBytes) : await fetchModel(req.modelUrl ?? '');
  let notice: string | undefined;
  let started: { engine: OrtEngine; warmupMs: number } | null = null;
  if (req.backend !== 'wasm') {
    const missing = await webgpuAvailable();
    if (missing) {
      notice = `WebGPU unavailable (${missing}); running on WASM`;
    } else {
      try {
        started = await startEngine(bytes, req.manifest, 'webgpu', req.threads);
      } catch (err) {
        notice = `WebGPU failed (${(err as Error).message}); running on WASM`;
      }
    }
  }
  started ??= await startEngine(bytes, req.manifest, 'wasm', req.threads);
  const previous = engine;
  engine = started.engine;
  modelBytes = bytes;
  loadRequest = req;
  input = null;
  if (previous) await previous.release().catch(() => undefined);
  // The threads onnxruntime settled on once its wasm started (1 where the page is not cross-origin
  // isolated, whatever was asked for): what the device check shows.
  post({ type: 'ready', backend: engine.backend, threads: ort.env.wasm.numThreads ?? req.threads, warmupMs: started.warmupMs, notice });
}

function pixels(frame: ImageBitmap): ImageData {
  const { width, height } = frame;
  if (!canvas || canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2D context unavailable');
  ctx.drawImage(frame, 0, 0);
  return ctx.getImageData(0, 0, width, height);
}

async function classify(req: ClassifyRequest): Promise<void> {
  if (!engine) throw new Error('no model is loaded yet');
  const manifest = engine.manifest;
  const t0 = performance.now();
  const image = pixels(req.frame);
  const frameWidth = req.frame.width;
  const frameHeight = req.frame.height;
  req.frame.close();
  const [, , h, w] = manifest.inputShape;
  if (!input || input.length !== 3 * h * w) input = new Float32Array(3 * h * w);
  preprocess(image, manifest.preprocess, input);
  const crop = cropGeometry(frameWidth, frameHeight, manifest.preprocess).source;
  const t1 = performance.now();
  let scores;
  let notice: string | undefined;
  try {
    scores = await engine.classify(input);
  } catch (err) {
    if (engine.backend !== 'webgpu' || !modelBytes || !loadRequest) throw err;
    // The GPU device was lost or a kernel failed: continue on WASM with the same model.
    const failed = engine;
    engine = (await startEngine(modelBytes, manifest, 'wasm', loadRequest.threads)).engine;
    await failed.release().catch(() => undefined);
    notice = `WebGPU failed during inference (${(err as Error).message}); switched to WASM`;
    scores = await engine.classify(input);
  }
  const t2 = performance.now();
  const probabilities = scores.probabilities;
  const sent = req.wantInput ? input.slice() : undefined;
  const t3 = performance.now();
  post(
    {
      type: 'result',
      id: req.id,
      backend: engine.backend,
      top: scores.top,
      probabilities,
      input: sent,
      timings: { capture: req.captureMs, preprocess: t1 - t0, inference: scores.inferenceMs, postprocess: t2 - t1 - scores.inferenceMs + (t3 - t2) },
      crop: { ...crop, frameWidth, frameHeight },
      notice,
    },
    sent ? [probabilities.buffer, sent.buffer] : [probabilities.buffer],
  );
}

/** session.run alone, on a fixed tensor: no bitmap, no preprocessing, no softmax, no messages. */
async function benchBare(req: BenchBareRequest): Promise<void> {
  if (!engine) throw new Error('no model is loaded yet');
  const { session, manifest, backend } = engine;
  const [, , h, w] = manifest.inputShape;
  const data = new Float32Array(3 * h * w).fill(0.5);
  const times: number[] = [];
  for (let i = 0; i < req.warmup + req.runs; i++) {
    const tensor = new ort.Tensor('float32', data, [1, 3, h, w]);
    const t0 = performance.now();
    const outputs = await session.run({ [manifest.inputName]: tensor });
    const ms = performance.now() - t0;
    // Read the output as the app does, so a GPU backend cannot hide work behind a lazy download.
    await outputs[manifest.outputName].getData();
    for (const t of Object.values(outputs)) t.dispose();
    tensor.dispose();
    if (i >= req.warmup) times.push(ms);
  }
  post({ type: 'benchBare', id: req.id, backend, times });
}

/**
 * Runs the all-outputs variant on WASM (the reference is compared with onnxruntime's CPU kernels,
 * whatever backend classifies) and returns copies of the named tensors.
 */
async function tensors(req: TensorsRequest): Promise<void> {
  if (!engine || !modelBytes) throw new Error('no model is loaded yet');
  if (!allOutputs || allOutputs.bytes !== modelBytes) {
    await allOutputs?.session.release().catch(() => undefined);
    const session = await ort.InferenceSession.create(withAllOutputs(modelBytes).bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    allOutputs = { bytes: modelBytes, session };
  }
  const { manifest } = engine;
  const [, , h, w] = manifest.inputShape;
  const feed = new ort.Tensor('float32', req.input, [1, 3, h, w]);
  const known = new Set(allOutputs.session.outputNames);
  const missing = req.names.filter((n) => !known.has(n));
  if (missing.length) throw new Error(`onnxruntime has no tensor named ${missing.join(', ')}`);
  const outputs = await allOutputs.session.run({ [manifest.inputName]: feed }, req.names);
  feed.dispose();
  const result: Record<string, { dims: number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(outputs)) {
    result[name] = { dims: [...t.dims], data: new Float32Array(t.data as Float32Array) };
    t.dispose();
  }
  post({ type: 'tensors', id: req.id, tensors: result }, Object.values(result).map((t) => t.data.buffer));
}

// onnxruntime's wasm threads start this same script (named em-pthread...) and install their own
// handler during import; taking it over would hang session creation.
const isOrtThread = self.name.startsWith('em-pthread');

if (!isOrtThread) self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'load') {
    load(msg).catch((err: unknown) => post({ type: 'error', stage: 'load', message: (err as Error).message }));
  } else if (msg.type === 'classify') {
    classify(msg).catch((err: unknown) => {
      msg.frame.close();
      post({ type: 'error', stage: 'classify', message: (err as Error).message, id: msg.id });
    });
  } else if (msg.type === 'tensors') {
    tensors(msg).catch((err: unknown) => post({ type: 'error', stage: 'tensors', message: (err as Error).message, id: msg.id }));
  } else if (msg.type === 'benchBare') {
    benchBare(msg).catch((err: unknown) => post({ type: 'error', stage: 'bench', message: (err as Error).message, id: msg.id }));
  }
};
