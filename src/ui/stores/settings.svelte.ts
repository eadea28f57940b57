// User settings: which backend to ask for, and whether live results are smoothed over frames.
import type { BackendChoice } from '../../engine/protocol';

function backendFromUrl(): BackendChoice {
  const b = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('backend') : null;
  return b === 'wasm' || b === 'webgpu' ? b : 'auto';
}

class SettingsStore {
  /** Requested backend; `?backend=wasm|webgpu` sets it at start. What actually runs is in the engine store. */
  backend = $state<BackendChoice>(backendFromUrl());
  /** Exponential moving average over live frames. */
  smoothing = $state(true);
  /** Weight of the newest frame in the moving average. */
  smoothingAlpha = 0.35;
  /**
   * Live frames are captured already resized to the model's resize size (the browser resamples,
   * natively); the worker then only crops and normalises. Uploads and frozen frames always take the
   * exact path (full frame, the shared preprocessing). `?resize=js` turns this off.
   */
  readonly nativeResize = typeof location === 'undefined' || new URLSearchParams(location.search).get('resize') !== 'js';
  /** Start the camera when the page opens (`?camera=off` keeps it off, for image-only use). */
  readonly autoStartCamera = typeof location === 'undefined' || new URLSearchParams(location.search).get('camera') !== 'off';
}

export const settings = new SettingsStore();
