// The device self-check: what this browser and device give the app (secure context, cross-origin
// isolation, the threads and backend onnxruntime really runs with, WebGPU adapter, WASM SIMD,
// cameras, storage), as rows for the Settings panel and as a plain-text report for bug reports.
// Browser facts are read here; the engine's (threads, backend, why) come from the inference worker.
import { deviceCores } from '../../engine/device-cores';

export interface GpuFacts {
  vendor: string;
  architecture: string;
  fallback: boolean;
  shaderF16: boolean;
}

export interface DeviceFacts {
  secureContext: boolean;
  isolated: boolean;
  serviceWorkerControlled: boolean;
  cores: number;
  /** WASM threads asked for, and what onnxruntime runs with (0: no model loaded yet). */
  threadsAsked: number;
  threadsRun: number;
  /** The backend that ran, and the fallback notice explaining why it is not the one asked for. */
  backend: string;
  backendNotice: string;
  /** Why the backend was chosen ("WebGPU: 12 ms vs WASM 40 ms"). */
  backendReason: string;
  /** null: no WebGPU in this browser; a string: why there is no adapter. */
  gpu: GpuFacts | string | null;
  wasmSimd: boolean;
  /** null: the browser cannot list cameras (no secure context). */
  cameras: number | null;
  storagePersisted: boolean | null;
  storageQuotaBytes: number | null;
  storageUsageBytes: number | null;
  model: string;
  appVersion: string;
  userAgent: string;
}

export interface CheckRow {
  /** data-testid of the row. */
  id: string;
  label: string;
  value: string;
  /** false: the app runs, but loses something (threads, camera...); null: information only. */
  ok: boolean | null;
}

/** The smallest module using a v128 instruction: validates only where WASM SIMD exists. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function wasmSimdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

async function gpuFacts(): Promise<GpuFacts | string | null> {
  if (!navigator.gpu) return null;
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return 'no adapter';
    const info = adapter.info;
    return { vendor: info.vendor || 'unknown', architecture: info.architecture || 'unknown', fallback: Boolean(info.isFallbackAdapter), shaderF16: adapter.features.has('shader-f16') };
  } catch (err) {
    return `adapter request failed: ${(err as Error).message}`;
  }
}

async function cameraCount(): Promise<number | null> {
  if (!navigator.mediaDevices?.enumerateDevices) return null;
  try {
    return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').length;
  } catch {
    return null;
  }
}

/** Browser facts; `engine` is the inference worker's view (see stores/engine.svelte.ts). */
export async function collectFacts(engine: Pick<DeviceFacts, 'threadsAsked' | 'threadsRun' | 'backend' | 'backendNotice' | 'backendReason' | 'model' | 'appVersion'>): Promise<DeviceFacts> {
  const [gpu, cameras, persisted, estimate] = await Promise.all([
    gpuFacts(),
    cameraCount(),
    navigator.storage?.persisted?.().catch(() => null) ?? Promise.resolve(null),
    navigator.storage?.estimate?.().catch(() => null) ?? Promise.resolve(null),
  ]);
  return {
    ...engine,
    secureContext: window.isSecureContext,
    isolated: window.crossOriginIsolated,
    serviceWorkerControlled: Boolean(navigator.serviceWorker?.controller),
    cores: deviceCores(),
    gpu,
    wasmSimd: wasmSimdSupported(),
    cameras,
    storagePersisted: persisted,
    storageQuotaBytes: estimate?.quota ?? null,
    storageUsageBytes: estimate?.usage ?? null,
    userAgent: navigator.userAgent,
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

export function checkRows(f: DeviceFacts): CheckRow[] {
  const gpu =
    f.gpu === null
      ? { value: 'not in this browser', ok: null }
      : typeof f.gpu === 'string'
        ? { value: f.gpu, ok: null }
        : { value: `${f.gpu.vendor}, ${f.gpu.architecture}${f.gpu.fallback ? ', fallback (software) adapter' : ''}; shader-f16 ${f.gpu.shaderF16 ? 'yes' : 'no'}`, ok: !f.gpu.fallback };
  return [
    {
      id: 'check-secure-context',
      label: 'Secure context',
      value: f.secureContext ? 'yes' : 'no: no camera, no service worker (open it over https or localhost)',
      ok: f.secureContext,
    },
    {
      id: 'check-isolated',
      label: 'Cross-origin isolated',
      value: f.isolated
        ? `yes${f.serviceWorkerControlled ? ' (page served through the service worker)' : ''}`
        : 'no: onnxruntime runs on one thread (the host sends no COOP/COEP and the service worker does not control this page yet)',
      ok: f.isolated,
    },
    {
      id: 'check-threads',
      label: 'WASM threads',
      value: f.threadsRun === 0 ? `no model loaded yet (asked for ${f.threadsAsked})` : `${f.threadsRun} running (asked for ${f.threadsAsked}; ${f.cores} cores)`,
      ok: f.threadsRun === 0 ? null : f.threadsRun >= Math.min(f.threadsAsked, 2),
    },
    {
      id: 'check-backend',
      label: 'Backend',
      value: f.backend ? `${f.backend}${f.backendReason ? ` (${f.backendReason})` : f.backendNotice ? ` (${f.backendNotice})` : ''}` : 'no model loaded yet',
      ok: f.backend ? !f.backendNotice : null,
    },
    { id: 'check-webgpu', label: 'WebGPU adapter', ...gpu },
    { id: 'check-simd', label: 'WASM SIMD', value: f.wasmSimd ? 'yes' : 'no (onnxruntime needs it)', ok: f.wasmSimd },
    { id: 'check-cameras', label: 'Cameras', value: f.cameras === null ? 'cannot be listed here' : String(f.cameras), ok: f.cameras === null ? false : null },
    {
      id: 'check-storage',
      label: 'Storage',
      value: `${f.storagePersisted === null ? 'persistence unknown' : f.storagePersisted ? 'persisted' : 'not persisted (may be evicted)'}${
        f.storageQuotaBytes === null ? '' : `; ${mb(f.storageUsageBytes ?? 0)} used of ${mb(f.storageQuotaBytes)}`
      }`,
      ok: null,
    },
    { id: 'check-model', label: 'Model', value: f.model || 'none loaded', ok: null },
    { id: 'check-version', label: 'App version', value: f.appVersion, ok: null },
  ];
}

/** The text "Copy report" puts on the clipboard. */
export function formatReport(rows: CheckRow[], f: DeviceFacts): string {
  return ['CNN Lens device check', ...rows.map((r) => `${r.label}: ${r.value}`), `User agent: ${f.userAgent}`].join('\n');
}
