/// <reference lib="webworker" />
// Benchmark worker: times bare onnxruntime-web session.run for one backend / thread count (a
// fresh worker per configuration, since ORT fixes its thread count when its wasm first loads),
// and the shared preprocessing on a camera-sized frame.
import * as ort from 'onnxruntime-web';
import { validateManifest } from '../model/manifest.js';
import { preprocess } from '../preprocess/preprocess.js';
import { ReferenceClient } from '../reference/client.js';

declare const self: DedicatedWorkerGlobalScope;

export type BenchRequest =
  | { type: 'session'; modelUrl: string; manifestUrl: string; backend: 'wasm' | 'webgpu'; threads: number; warmup: number; runs: number; inputShape?: number[]; inputName?: string }
  | { type: 'preprocess'; manifestUrl: string; width: number; height: number; warmup: number; runs: number }
  /** The TypeScript reference engine in its own worker (plus workers - 1 helpers): engine totalMs per run. */
  | { type: 'reference'; modelUrl: string; manifestUrl: string; workers: number; warmup: number; runs: number };

export type BenchReply = { ok: true; times: number[]; detail: Record<string, number | string> } | { ok: false; error: string };

async function timeSession(req: Extract<BenchRequest, { type: 'session' }>): Promise<BenchReply> {
  const manifest = validateManifest(await (await fetch(req.manifestUrl)).json());
  ort.env.wasm.numThreads = req.threads;
  const bytes = new Uint8Array(await (await fetch(req.modelUrl)).arrayBuffer());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [req.backend], graphOptimizationLevel: 'all' });
  const createMs = performance.now() - t0;
  const shape = req.inputShape ?? [1, 3, manifest.inputShape[2], manifest.inputShape[3]];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => ((i * 7919) % 255) - 117);
  const inputName = req.inputName ?? session.inputNames[0];
  const once = async (): Promise<number> => {
    const tensor = new ort.Tensor('float32', data, shape);
    const s = performance.now();
    const out = await session.run({ [inputName]: tensor });
    const ms = performance.now() - s;
    tensor.dispose();
    for (const t of Object.values(out)) t.dispose();
    return ms;
  };
  for (let i = 0; i < req.warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < req.runs; i++) times.push(await once());
  await session.release();
  return { ok: true, times, detail: { createMs, threads: ort.env.wasm.numThreads as number, crossOriginIsolated: String(self.crossOriginIsolated) } };
}

async function timeReference(req: Extract<BenchRequest, { type: 'reference' }>): Promise<BenchReply> {
  const manifest = validateManifest(await (await fetch(req.manifestUrl)).json());
  const bytes = new Uint8Array(await (await fetch(req.modelUrl)).arrayBuffer());
  const client = new ReferenceClient(new Worker(new URL('../reference/reference.worker.ts', import.meta.url), { type: 'module', name: 'reference' }));
  try {
    const t0 = performance.now();
    const loaded = await client.load(bytes, { workers: req.workers });
    const createMs = performance.now() - t0;
    const [, , h, w] = manifest.inputShape;
    const data = new Float32Array(3 * h * w).map((_, i) => ((i * 7919) % 255) - 117);
    for (let i = 0; i < req.warmup; i++) await client.run(data, []);
    const times: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < req.runs; i++) {
      const s = performance.now();
      const r = await client.run(data, []);
      roundTrip.push(performance.now() - s);
      times.push(r.totalMs);
    }
    roundTrip.sort((a, b) => a - b);
    return { ok: true, times, detail: { createMs, workers: loaded.workers, roundTripMedianMs: roundTrip[roundTrip.length >> 1], crossOriginIsolated: String(self.crossOriginIsolated) } };
  } finally {
    client.terminate();
  }
}

async function timePreprocess(req: Extract<BenchRequest, { type: 'preprocess' }>): Promise<BenchReply> {
  const manifest = validateManifest(await (await fetch(req.manifestUrl)).json());
  // A synthetic camera frame with structure (gradients), drawn into a bitmap like a video frame.
  const src = new OffscreenCanvas(req.width, req.height);
  const sctx = src.getContext('2d');
  if (!sctx) throw new Error('no 2D context');
  const grad = sctx.createLinearGradient(0, 0, req.width, req.height);
  grad.addColorStop(0, '#204080');
  grad.addColorStop(1, '#f0c040');
  sctx.fillStyle = grad;
  sctx.fillRect(0, 0, req.width, req.height);
  const canvas = new OffscreenCanvas(req.width, req.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context');
  const [, , h, w] = manifest.inputShape;
  const out = new Float32Array(3 * h * w);
  let readMs = 0;
  let resampleMs = 0;
  const once = async (): Promise<number> => {
    const bitmap = await createImageBitmap(src);
    const s = performance.now();
    ctx.drawImage(bitmap, 0, 0);
    const pixels = ctx.getImageData(0, 0, req.width, req.height);
    const m = performance.now();
    preprocess(pixels, manifest.preprocess, out);
    const e = performance.now();
    bitmap.close();
    readMs += m - s;
    resampleMs += e - m;
    return e - s;
  };
  for (let i = 0; i < req.warmup; i++) await once();
  readMs = 0;
  resampleMs = 0;
  const times: number[] = [];
  for (let i = 0; i < req.runs; i++) times.push(await once());
  return { ok: true, times, detail: { read_ms: readMs / req.runs, resample_ms: resampleMs / req.runs } };
}

const isOrtThread = self.name.startsWith('em-pthread');
if (!isOrtThread) {
  self.onmessage = (event: MessageEvent<BenchRequest>) => {
    const req = event.data;
    (req.type === 'session' ? timeSession(req) : req.type === 'reference' ? timeReference(req) : timePreprocess(req)).then(
      (reply) => self.postMessage(reply),
      (err: unknown) => self.postMessage({ ok: false, error: (err as Error).message } satisfies BenchReply),
    );
  };
}
