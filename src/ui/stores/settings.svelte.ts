// User settings: backend, smoothing, camera (facing and device) and how the inspector draws maps.
// They survive reloads (saved-settings.ts: localStorage, validated on load); a URL parameter
// (`?backend=wasm|webgpu`) overrides the saved backend for that visit without replacing it.
import type { PreprocessPlacementChoice } from '../../engine/preprocess-placement';
import { readUrlParams } from '../settings/url-params';
import type { BackendChoice } from '../../engine/protocol';
import type { ColormapName } from '../../inspector/colormap';
import type { ScaleMode } from '../../inspector/feature-grid';
import { readSettings, writeSettings, type Facing, type KeyValue, type SavedSettings } from './saved-settings';

const url = readUrlParams();

// Reading localStorage itself throws in some private modes: inside the try of read/writeSettings.
const storage = (): KeyValue => globalThis.localStorage;
const saved = typeof window === 'undefined' ? null : readSettings(storage);

class SettingsStore {
  /** Requested backend; `?backend=wasm|webgpu` sets it at start. What actually runs is in the engine store. */
  backend = $state<BackendChoice>(url.backend ?? saved?.settings.backend ?? 'auto');
  /** Exponential moving average over live frames. */
  smoothing = $state(saved?.settings.smoothing ?? true);
  /** Which way the camera faces (front 'user' is previewed mirrored). */
  facing = $state<Facing>(saved?.settings.facing ?? 'environment');
  /** The camera picked in the list ('' lets facing decide). */
  cameraId = $state(saved?.settings.cameraId ?? '');
  colormap = $state<ColormapName>(saved?.settings.colormap ?? 'viridis');
  scaleMode = $state<ScaleMode>(saved?.settings.scaleMode ?? 'channel');
  sortByMean = $state(saved?.settings.sortByMean ?? false);
  /** Why settings could not be read or saved; '' when all is well. */
  storageError = $state(saved?.problem ?? '');
  /** Weight of the newest frame in the moving average. */
  smoothingAlpha = 0.35;
  /**
   * Live frames are captured already resized to the model's resize size (the browser resamples,
   * natively); the worker then only crops and normalises. Uploads and frozen frames always take the
   * exact path (full frame, the shared preprocessing). `?resize=js` turns this off.
   */
  readonly nativeResize = !url.jsResize;
  /**
   * Where live frames are preprocessed: `?preprocess=page|worker` forces it (to compare); otherwise
   * the engine decides from the cores and the backend (src/engine/preprocess-placement.ts).
   */
  readonly preprocessPlacement: PreprocessPlacementChoice = url.preprocess;
  /** Start the camera when the page opens (`?camera=off` keeps it off, for image-only use). */
  readonly autoStartCamera = !url.cameraOff;
  /** URL parameters given with a value the app does not take, each with what is used instead. */
  readonly urlProblems: readonly string[] = url.problems;

  /** A URL-forced backend is for this visit: the saved choice stays what the user picked. */
  private readonly savedBackend = saved?.settings.backend ?? 'auto';
  private readonly urlBackend = url.backend;

  private snapshot(): SavedSettings {
    return {
      backend: this.urlBackend !== null && this.backend === this.urlBackend ? this.savedBackend : this.backend,
      smoothing: this.smoothing,
      facing: this.facing,
      cameraId: this.cameraId,
      colormap: this.colormap,
      scaleMode: this.scaleMode,
      sortByMean: this.sortByMean,
    };
  }

  /** Saves on every change from now on; returns the cleanup. Called once by the app. */
  persist(): () => void {
    return $effect.root(() => {
      $effect(() => {
        const problem = writeSettings(storage, this.snapshot());
        // Keep a read problem visible until a save succeeds or fails on its own.
        if (problem || this.storageError.startsWith('Settings could not be saved')) this.storageError = problem;
      });
    });
  }
}

export const settings = new SettingsStore();
