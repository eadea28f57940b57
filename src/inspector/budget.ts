// How much of the device the live inspector's reference engine may take while the app classifies:
// how many reference workers split the heavy layers, and what share of a core it may use when no
// core is free. Pure, so the policy is tested without a browser.
//
// The production engine comes first. On WASM it runs `engineThreads` threads and the page has its
// own thread; what is left of `cores` is free for the reference. On WebGPU the model runs on the GPU
// and the CPU cores are free (the page keeps one). With no free core the reference shares a core
// with the engine under a duty cycle: after a run of t ms it rests t * (1 - share) / share ms.
// The share is sized so that a small early layer (conv1) refreshes about 2 times a second on a
// 2-core machine at about a fifth of the frames (`npm run bench -- app`), while the whole-network
// parity checks (hundreds of ms) are spread far apart. Lower shares (0.22, 0.25) gave fewer
// refreshes at no clearly better frame rate: each refresh costs the loop about the same. Taking
// turns instead (pausing the live loop for each reference run split over every core) cost the loop
// the same ~150 ms of engine time per refresh, so the simpler duty cycle stays.

export interface DeviceLoad {
  /** navigator.hardwareConcurrency (logical cores). */
  cores: number;
  /** The backend the production engine classifies with. */
  backend: 'webgpu' | 'wasm' | '';
  /** WASM threads onnxruntime runs with (ignored on WebGPU). */
  engineThreads: number;
}

export interface InspectorBudget {
  /** Reference workers (the reference worker plus helpers; 1 = no split). */
  workers: number;
  /** Share of one core the layer refreshes may use (1 = unthrottled). */
  layerShare: number;
  /** Share of one core the whole-network parity checks may use (1 = unthrottled). */
  parityShare: number;
  /** Why, in words, for the inspector's status line. */
  reason: string;
}

/** Helpers cost memory (a weight copy each) and sync per layer; past 4 they gain little. */
export const MAX_REFERENCE_WORKERS = 4;
/** With no free core: the layer refreshes' share of one core. */
export const THROTTLED_LAYER_SHARE = 0.3;
/** With no free core: the parity checks' share (a 0.6 s full run -> one every ~12 s). */
export const THROTTLED_PARITY_SHARE = 0.05;

export function inspectorBudget({ cores, backend, engineThreads }: DeviceLoad): InspectorBudget {
  const total = Math.max(1, Math.floor(cores) || 1);
  const engineCores = backend === 'webgpu' ? 0 : Math.max(1, engineThreads);
  const spare = total - engineCores - 1;
  if (spare >= 1) {
    const workers = Math.min(spare, MAX_REFERENCE_WORKERS);
    const where = backend === 'webgpu' ? 'the model runs on the GPU' : `onnxruntime uses ${engineCores} thread${engineCores === 1 ? '' : 's'}`;
    return { workers, layerShare: 1, parityShare: 1, reason: `${spare} free core${spare === 1 ? '' : 's'} (${where}): ${workers} reference worker${workers === 1 ? '' : 's'}, unthrottled` };
  }
  return {
    workers: 1,
    layerShare: THROTTLED_LAYER_SHARE,
    parityShare: THROTTLED_PARITY_SHARE,
    reason: `no free core (${total} cores, onnxruntime uses ${engineCores}): the reference takes ${Math.round(THROTTLED_LAYER_SHARE * 100)} % of a core`,
  };
}

/** Rest after a run of `elapsedMs` so that runs take `share` of the time (0 when unthrottled). */
export function restAfter(elapsedMs: number, share: number): number {
  if (share >= 1 || elapsedMs <= 0) return 0;
  return (elapsedMs * (1 - share)) / Math.max(share, 1e-3);
}
