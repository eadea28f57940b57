// Which onnxruntime-web build runs: the WASM-only one (14 MB wasm) wherever WebGPU is not used, the
// WebGPU-capable one (JSEP, 28 MB wasm, also runs the WASM backend) only where it is. In a browser
// the wasm comes through the runtime cache (cached-fetch.ts), so it is downloaded once and kept
// offline, and is compiled from that cache entry so the browser's code cache serves the next start
// (wasm-handover.ts); in Node, the package's own Node build.
import type * as Ort from 'onnxruntime-web';
import { cachedResponse } from './cached-fetch.js';
import { compileResponse, handOver } from './wasm-handover.js';

export type OrtModule = typeof Ort;

/** onnxruntime's wasm could not be downloaded or compiled: no model can run, whatever it is. */
export class RuntimeUnavailableError extends Error {
  override name = 'RuntimeUnavailableError';
}

/** 'wasm': WASM backend only; 'webgpu': WebGPU and WASM backends. */
export type RuntimeVariant = 'wasm' | 'webgpu';

const loading = new Map<RuntimeVariant, Promise<OrtModule>>();
/** Each variant's wasm compile (browser): onnxruntime may start before it ends (see load). */
const compiling = new Map<RuntimeVariant, Promise<WebAssembly.Module>>();
let lastLoaded: OrtModule | null = null;
let firstVariant: RuntimeVariant | null = null;

const inNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

async function load(variant: RuntimeVariant): Promise<OrtModule> {
  if (inNode) {
    // A variable specifier: the browser build must not bundle the Node build (nor its wasm).
    const nodeBuild = 'onnxruntime-web';
    return (await import(/* @vite-ignore */ nodeBuild)) as OrtModule;
  }
  // The wasm is fetched and compiled while the glue chunk is imported: neither waits on the other.
  const compiled = import('./ort-wasm-urls.js')
    .then(({ ORT_WASM_URLS }) => cachedResponse(ORT_WASM_URLS[variant], { what: 'onnxruntime' }))
    .then(compileResponse)
    .catch((err: unknown) => {
      throw new RuntimeUnavailableError(err instanceof Error ? err.message : String(err));
    });
  compiling.set(variant, compiled);
  void compiled.then(
    () => performance.mark(`cnn-lens:runtime-${variant}`),
    () => forget(variant), // a later load tries again; a WebGPU -> WASM fallback takes the WASM build
  );
  const ort = await (variant === 'webgpu' ? import('onnxruntime-web') : import('onnxruntime-web/wasm'));
  // Handing the module over (instead of letting onnxruntime fetch the URL) is what puts the file in
  // the runtime cache and lets the code cache work; the glue code is bundled, so no other file is
  // fetched. The module is handed over while it still compiles: the first session starts
  // onnxruntime (its wasm threads load their script meanwhile) and waits for it only to instantiate.
  ort.env.wasm.wasmBinary = handOver(compiled);
  performance.mark(`cnn-lens:glue-${variant}`);
  return ort;
}

function forget(variant: RuntimeVariant): void {
  loading.delete(variant);
  if (firstVariant === variant) firstVariant = null;
}

/**
 * Settles when this variant's wasm is compiled, rejecting with the compile's own error (a failed
 * download says which file and why) where onnxruntime would only report its start-up's abort.
 */
export async function runtimeCompiled(variant: RuntimeVariant): Promise<void> {
  await compiling.get(variant);
}

/** The onnxruntime module of this variant, loaded once per worker. */
export async function loadOrt(variant: RuntimeVariant): Promise<OrtModule> {
  let pending = loading.get(variant);
  if (!pending) {
    pending = load(variant);
    loading.set(variant, pending);
    pending.catch(() => loading.delete(variant));
  }
  const ort = await pending;
  lastLoaded = ort;
  firstVariant ??= variant;
  return ort;
}

/**
 * The runtime for a backend: WebGPU needs the WebGPU build; WASM runs on whichever build this worker
 * already loaded (the WebGPU build runs WASM too), so a fallback downloads nothing more.
 */
export function runtimeFor(backend: 'wasm' | 'webgpu'): RuntimeVariant {
  return backend === 'webgpu' ? 'webgpu' : (firstVariant ?? 'wasm');
}

/** The module loaded last (what a session created now runs on), null before any. */
export function currentOrt(): OrtModule | null {
  return lastLoaded;
}
