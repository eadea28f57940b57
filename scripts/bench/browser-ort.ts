// onnxruntime-web in headless Chromium on the default model (bare session.run in a worker):
// wasm with 1 thread, wasm with all threads, and WebGPU (SwiftShader here: software, so it shows
// correctness and overhead, not GPU speed).
import { availableParallelism } from 'node:os';
import type { BenchReply, BenchRequest } from '../../src/bench/engine-bench.worker.js';
import { defaultModelMacs } from '../lib/default-model.js';
import { launch, previewUrl } from './browser-harness.js';
import { summarize, type BenchPart, type BenchRow } from './types.js';

export async function inBenchPage(req: BenchRequest, extraArgs: string[] = []): Promise<BenchReply> {
  const base = await previewUrl();
  const browser = await launch(extraArgs);
  try {
    const page = await browser.newPage();
    await page.goto(new URL('bench.html', base).href);
    await page.waitForFunction(() => window.cnnLensBench?.ready, undefined, { timeout: 30_000 });
    // The worker resolves relative URLs against its own script, so send absolute ones.
    const abs = (u: string): string => new URL(u, base).href;
    const absolute: BenchRequest = req.type === 'session' ? { ...req, modelUrl: abs(req.modelUrl), manifestUrl: abs(req.manifestUrl) } : { ...req, manifestUrl: abs(req.manifestUrl) };
    return await page.evaluate((r) => window.cnnLensBench.run(r), absolute);
  } finally {
    await browser.close();
  }
}

const MODEL = 'models/squeezenet1_0/model.onnx';
const MANIFEST = 'models/squeezenet1_0/manifest.json';

export const browserOrt: BenchPart = {
  name: 'browser-ort',
  description: 'onnxruntime-web in headless Chromium: wasm 1 thread, wasm all threads, webgpu (software)',
  async run({ quick }) {
    const runs = quick ? 5 : 20;
    const cores = availableParallelism();
    const configs = [
      { name: 'ort.browser.wasm.1t', backend: 'wasm' as const, threads: 1, args: [] as string[], label: '' },
      { name: `ort.browser.wasm.${cores}t`, backend: 'wasm' as const, threads: cores, args: [], label: '' },
      { name: 'ort.browser.webgpu', backend: 'webgpu' as const, threads: 1, args: ['--enable-unsafe-webgpu'], label: 'software (SwiftShader)' },
    ];
    const rows: BenchRow[] = [];
    const macs = await defaultModelMacs();
    for (const c of configs) {
      const reply = await inBenchPage(
        { type: 'session', modelUrl: MODEL, manifestUrl: MANIFEST, backend: c.backend, threads: c.threads, warmup: c.backend === 'webgpu' ? 3 : 10, runs: c.backend === 'webgpu' ? Math.min(runs, 8) : runs },
        c.args,
      );
      if (!reply.ok) {
        rows.push({ name: c.name, ms_median: NaN, ms_min: NaN, ms_max: NaN, runs: 0, error: reply.error });
        continue;
      }
      rows.push({ ...summarize(c.name, reply.times), threads: c.threads, ...(c.label ? { note: c.label } : {}), create_ms: Number(reply.detail.createMs), macs });
    }
    return rows;
  },
};

export const browserPreprocess: BenchPart = {
  name: 'preprocess',
  description: 'preprocessing of a 1280x720 frame in a browser worker (read pixels + resize/crop/normalise)',
  async run({ quick }) {
    const reply = await inBenchPage({ type: 'preprocess', manifestUrl: MANIFEST, width: 1280, height: 720, warmup: 5, runs: quick ? 10 : 40 });
    if (!reply.ok) throw new Error(`preprocess bench: ${reply.error}`);
    return [{ ...summarize('preprocess.browser.1280x720', reply.times), read_ms: Number(reply.detail.read_ms), resample_ms: Number(reply.detail.resample_ms) }];
  },
};
