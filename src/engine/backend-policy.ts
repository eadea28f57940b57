// Which backend runs a model: WebGPU when asked (or on auto) and an adapter exists and a warm-up
// run succeeds, else WASM with a notice saying why. Every engine is proven by a warm-up run first.
import type { ModelManifest } from '../model/manifest.js';
import { OrtEngine, type Backend } from './ort-engine.js';
import type { BackendChoice } from './protocol.js';

export interface StartedEngine {
  engine: OrtEngine;
  warmupMs: number;
  /** Why the engine runs on another backend than the one asked for. */
  notice?: string;
}

/** Null when WebGPU can be tried, else the reason it cannot. */
export async function webgpuUnavailable(): Promise<string | null> {
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
export async function startEngine(bytes: Uint8Array, manifest: ModelManifest, backend: Backend, threads: number): Promise<StartedEngine> {
  const engine = await OrtEngine.create(bytes, manifest, { backend, threads });
  try {
    const [, , h, w] = manifest.inputShape;
    const t0 = performance.now();
    await engine.classify(new Float32Array(3 * h * w));
    return { engine, warmupMs: performance.now() - t0 };
  } catch (err) {
    await engine.release().catch(() => undefined);
    throw err;
  }
}

/** The engine for this choice of backend, falling back from WebGPU to WASM with a notice. */
export async function startForChoice(bytes: Uint8Array, manifest: ModelManifest, choice: BackendChoice, threads: number): Promise<StartedEngine> {
  let notice: string | undefined;
  if (choice !== 'wasm') {
    const missing = await webgpuUnavailable();
    if (missing) {
      notice = `WebGPU unavailable (${missing}); running on WASM`;
    } else {
      try {
        return await startEngine(bytes, manifest, 'webgpu', threads);
      } catch (err) {
        notice = `WebGPU failed (${(err as Error).message}); running on WASM`;
      }
    }
  }
  return { ...(await startEngine(bytes, manifest, 'wasm', threads)), notice };
}
