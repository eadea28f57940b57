// Which backend runs a model. Forced choices are honoured (WebGPU falls back to WASM with a notice
// if it cannot run). "auto" never takes a software WebGPU adapter (SwiftShader & co are tens of
// times slower than WASM) and, where a real GPU and WASM can both run, keeps the one with the faster
// measured warm runs and releases the other. Every engine is proven by a warm-up run first, and the
// result says why it was chosen (the header and the device check show it).
import type { ModelManifest } from '../model/manifest.js';
import { OrtEngine, type Backend, type Scores } from './ort-engine.js';
import { loadOrt } from './ort-runtime.js';
import type { BackendChoice } from './protocol.js';

export interface StartedEngine {
  engine: OrtEngine;
  warmupMs: number;
  /** The warm-up run's scores when it ran on a real input (the first camera frame), not on zeros. */
  warmScores?: Scores;
  /** Why the engine runs on another backend than the one asked for. */
  notice?: string;
  /** Why this backend runs, e.g. "WebGPU: 12 ms vs WASM 40 ms". */
  reason?: string;
}

/** What the browser says about its WebGPU adapter (GPUAdapter.isFallbackAdapter and .info). */
export interface AdapterFacts {
  isFallbackAdapter: boolean;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** Software rasterisers that expose a WebGPU adapter without a GPU. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|warp/i;

/** Null when the adapter is real hardware, else why "auto" must not use it. Pure. */
export function softwareAdapterReason(a: AdapterFacts): string | null {
  if (a.isFallbackAdapter) return 'WebGPU adapter is a software fallback';
  const named = [a.architecture, a.vendor, a.device, a.description].find((s) => SOFTWARE_ADAPTER.test(s));
  return named ? `WebGPU adapter is software (${named})` : null;
}

/** WebGPU's state on this device: usable, or the reason it is not (for "auto"). */
export type GpuProbe = { usable: true; adapter: string } | { usable: false; reason: string; forcible: boolean };

/** Turns the adapter request's outcome into a probe. Pure. */
export function probeFromAdapter(adapter: AdapterFacts | null, error?: string): GpuProbe {
  if (error !== undefined) return { usable: false, reason: `WebGPU adapter request failed: ${error}`, forcible: false };
  if (!adapter) return { usable: false, reason: 'no WebGPU adapter is available', forcible: false };
  const software = softwareAdapterReason(adapter);
  if (software) return { usable: false, reason: software, forcible: true };
  return { usable: true, adapter: [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'GPU' };
}

/** The adapter's facts; `isFallbackAdapter` sits on the adapter in older browsers, on its info now. */
export function adapterFacts(adapter: GPUAdapter): AdapterFacts {
  const info = adapter.info;
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    isFallbackAdapter: info.isFallbackAdapter === true || legacy === true,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
}

/** Asks the browser for its WebGPU adapter and describes it. */
export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) return { usable: false, reason: 'this browser has no WebGPU', forcible: false };
  try {
    const adapter = await gpu.requestAdapter();
    return probeFromAdapter(adapter ? adapterFacts(adapter) : null);
  } catch (err) {
    return probeFromAdapter(null, (err as Error).message);
  }
}

let probed: Promise<GpuProbe> | null = null;

/** The adapter probe, once per worker (the adapter does not change while the page lives). */
function probeOnce(): Promise<GpuProbe> {
  probed ??= probeWebGpu();
  return probed;
}

/**
 * Starts the adapter probe and the download and compile of the runtime this choice will use, so
 * they overlap the model's download. Errors are left for startForChoice to report.
 */
export function prepareRuntime(choice: BackendChoice): void {
  // The same rule startForChoice follows: the WebGPU build only where WebGPU will be tried.
  const runtime = choice === 'wasm' ? Promise.resolve(choice) : probeOnce().then((p) => (p.usable || (choice === 'webgpu' && p.forcible) ? 'webgpu' : 'wasm'));
  void runtime.then((variant) => loadOrt(variant)).catch(() => undefined);
}

/** The faster of two measured backends (median ms of warm runs) and the line that says so. Pure. */
export function pickFaster(webgpuMs: number, wasmMs: number): { backend: Backend; reason: string } {
  const backend: Backend = webgpuMs < wasmMs ? 'webgpu' : 'wasm';
  const fmt = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return backend === 'webgpu'
    ? { backend, reason: `WebGPU: ${fmt(webgpuMs)} vs WASM ${fmt(wasmMs)}` }
    : { backend, reason: `WASM: ${fmt(wasmMs)} vs WebGPU ${fmt(webgpuMs)}` };
}

/** Warm runs timed per backend when "auto" compares them (after the warm-up run). */
export const COMPARE_RUNS = 3;

/**
 * The warm-up's input, asked for once the session exists: a real frame's tensor (its result is the
 * first prediction, so the warm-up is not a run thrown away) or null for a zero tensor.
 */
export type WarmInput = () => Promise<Float32Array | null>;

/** Creates a session and proves it with one warm-up run, on the warm input if there is one, else on zeros. */
export async function startEngine(bytes: Uint8Array, manifest: ModelManifest, backend: Backend, threads: number, warmInput?: WarmInput): Promise<StartedEngine> {
  const engine = await OrtEngine.create(bytes, manifest, { backend, threads });
  performance.mark(`cnn-lens:session-${backend}`);
  try {
    const [, , h, w] = manifest.inputShape;
    const input = (await warmInput?.().catch(() => null)) ?? null;
    const t0 = performance.now();
    const scores = await engine.classify(input ?? new Float32Array(3 * h * w));
    return { engine, warmupMs: performance.now() - t0, ...(input ? { warmScores: scores } : {}) };
  } catch (err) {
    await engine.release().catch(() => undefined);
    throw err;
  }
}

/** Median ms of `runs` bare runs on a fixed tensor. */
async function medianRunMs(engine: OrtEngine, runs: number): Promise<number> {
  const [, , h, w] = engine.manifest.inputShape;
  const input = new Float32Array(3 * h * w).fill(0.5);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await engine.timeRun(input));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs both backends, keeps the faster, releases the other. */
async function startFaster(bytes: Uint8Array, manifest: ModelManifest, threads: number, adapter: string, warmInput?: WarmInput): Promise<StartedEngine> {
  let gpu: StartedEngine;
  try {
    gpu = await startEngine(bytes, manifest, 'webgpu', threads, warmInput);
  } catch (err) {
    return { ...(await startEngine(bytes, manifest, 'wasm', threads, warmInput)), notice: `WebGPU failed (${(err as Error).message}); running on WASM`, reason: 'WASM: WebGPU failed' };
  }
  const cpu = await startEngine(bytes, manifest, 'wasm', threads, warmInput).catch(async (err: unknown) => {
    await gpu.engine.release().catch(() => undefined);
    throw err;
  });
  const gpuMs = await medianRunMs(gpu.engine, COMPARE_RUNS);
  const cpuMs = await medianRunMs(cpu.engine, COMPARE_RUNS);
  const { backend, reason } = pickFaster(gpuMs, cpuMs);
  const [kept, loser] = backend === 'webgpu' ? [gpu, cpu] : [cpu, gpu];
  await loser.engine.release().catch(() => undefined);
  return { ...kept, reason: `${reason} (${adapter})` };
}

/** The engine for this choice of backend, falling back from WebGPU to WASM with a notice. */
export async function startForChoice(bytes: Uint8Array, manifest: ModelManifest, choice: BackendChoice, threads: number, warmInput?: WarmInput): Promise<StartedEngine> {
  if (choice === 'wasm') return { ...(await startEngine(bytes, manifest, 'wasm', threads, warmInput)), reason: 'WASM: chosen in settings' };
  const probe = await probeOnce();
  if (choice === 'auto') {
    if (probe.usable) return startFaster(bytes, manifest, threads, probe.adapter, warmInput);
    return { ...(await startEngine(bytes, manifest, 'wasm', threads, warmInput)), reason: `WASM: ${probe.reason}` };
  }
  // Forced WebGPU: a software adapter is slow but runs, so it is honoured.
  let notice: string;
  if (probe.usable || probe.forcible) {
    try {
      return { ...(await startEngine(bytes, manifest, 'webgpu', threads, warmInput)), reason: probe.usable ? 'WebGPU: chosen in settings' : `WebGPU: chosen in settings (${probe.reason})` };
    } catch (err) {
      notice = `WebGPU failed (${(err as Error).message}); running on WASM`;
    }
  } else {
    notice = `WebGPU unavailable (${probe.reason}); running on WASM`;
  }
  return { ...(await startEngine(bytes, manifest, 'wasm', threads, warmInput)), notice, reason: `WASM: ${notice}` };
}
