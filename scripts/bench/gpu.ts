// WebGPU vs WASM on a real GPU, for every built model (bare session.run in a browser worker, as
// browser-ort does). Runs only where Chromium finds a hardware WebGPU adapter; elsewhere (this
// 2-core machine: none, or SwiftShader with --enable-unsafe-webgpu) it prints one skip line and
// returns no rows. The same adapter rule as the app's "auto" (src/engine/backend-policy.ts).
// GPU_CHROMIUM_ARGS adds Chromium flags a GPU machine may need (e.g. "--use-angle=vulkan").
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { softwareAdapterReason, type AdapterFacts } from '../../src/engine/backend-policy.js';
import { BUILT_MODELS_DIR, publicUrlPath } from '../lib/paths.js';
import { inBenchPage } from './browser-ort.js';
import { launch, previewUrl } from './browser-harness.js';
import { summarize, type BenchPart, type BenchRow } from './types.js';

const GPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--ignore-gpu-blocklist', ...(process.env.GPU_CHROMIUM_ARGS?.split(/\s+/).filter(Boolean) ?? [])];

/** The adapter headless Chromium offers with these flags, or null. */
async function adapterFacts(): Promise<AdapterFacts | null> {
  const base = await previewUrl();
  const browser = await launch(GPU_ARGS);
  try {
    const page = await browser.newPage();
    await page.goto(new URL('bench.html', base).href);
    // Plain fields only cross the protocol; the same reading as adapterFacts() in the app.
    return await page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
      if (!adapter) return null;
      const info = adapter.info;
      const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
      return { isFallbackAdapter: info.isFallbackAdapter === true || legacy === true, vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
    });
  } finally {
    await browser.close();
  }
}

/** Built models (folders of public/models with a model.onnx and its manifest). */
function builtModels(): string[] {
  if (!existsSync(BUILT_MODELS_DIR)) return [];
  return readdirSync(BUILT_MODELS_DIR).filter((id) => existsSync(join(BUILT_MODELS_DIR, id, 'model.onnx')) && existsSync(join(BUILT_MODELS_DIR, id, 'manifest.json')));
}

export const gpuPart: BenchPart = {
  name: 'gpu',
  description: 'WebGPU vs WASM (all threads) on each built model, only on a hardware GPU adapter (skips otherwise)',
  async run({ quick }) {
    const adapter = await adapterFacts();
    const software = adapter ? softwareAdapterReason(adapter) : 'no WebGPU adapter is available';
    if (software) {
      console.log(`gpu: skipped (${software}); run it on a machine with a GPU`);
      return [];
    }
    const name = [adapter!.vendor, adapter!.architecture, adapter!.description].filter(Boolean).join(' ');
    const cores = availableParallelism();
    const runs = quick ? 5 : 20;
    const rows: BenchRow[] = [];
    for (const id of builtModels()) {
      const dir = publicUrlPath(join(BUILT_MODELS_DIR, id));
      const times: Partial<Record<'webgpu' | 'wasm', number>> = {};
      for (const backend of ['webgpu', 'wasm'] as const) {
        const rowName = backend === 'webgpu' ? `gpu.${id}.webgpu` : `gpu.${id}.wasm.${cores}t`;
        const reply = await inBenchPage(
          { type: 'session', modelUrl: `${dir}/model.onnx`, manifestUrl: `${dir}/manifest.json`, backend, threads: cores, warmup: 10, runs },
          GPU_ARGS,
        );
        if (!reply.ok) {
          rows.push({ name: rowName, ms_median: NaN, ms_min: NaN, ms_max: NaN, runs: 0, error: reply.error });
          continue;
        }
        const row = { ...summarize(rowName, reply.times), adapter: name, create_ms: Number(reply.detail.createMs) };
        times[backend] = row.ms_median;
        rows.push(row);
      }
      if (times.webgpu && times.wasm) rows[rows.length - 2].webgpu_over_wasm = times.webgpu / times.wasm;
    }
    return rows;
  },
};
