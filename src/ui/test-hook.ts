// window.__cnnLens: a tiny read-only view of the app for end-to-end tests, `npm run eval` and the
// app bench. Every property is a getter over the stores; nothing here changes app state except
// benchBare, which only times the loaded session.
//
//   frames        live-loop results so far (stops counting while the tab is hidden or frozen)
//   stills        upload / freeze results so far
//   ready         the model loaded and its warm-up run succeeded
//   backend       'wasm' | 'webgpu' | '' : the backend that actually ran
//   preprocessOn  'page' | 'worker': where live frames are preprocessed; ortThreads: wasm threads in use
//   modelId       the loaded model's manifest id ('' before one is loaded)
//   fps           the FPS shown
//   lastTimings   { capture, preprocess, inference, postprocess } ms of the newest result, and preprocessedOn
//   recentTimings stage timings of up to the last 600 live frames, oldest first (copies)
//   lastTop       newest raw (unsmoothed) top-5: [{ index, probability, label }]
//   lastSource    'camera' | 'image' | 'frozen' | null
//   lastCrop      crop rectangle of the newest result in its frame's pixels (+ frameWidth/Height)
//   cameraState   'off' | 'starting' | 'live' | 'paused' | 'frozen' | 'still'
//   benchBare(runs, warmup?)  -> Promise<number[]>: bare session.run times (ms) in the worker
import type { StageTimings } from '../engine/protocol';
import { camera } from './stores/camera.svelte';
import { engine } from './stores/engine.svelte';
import { labelOf } from './stores/pipeline';
import { results } from './stores/results.svelte';

export function installTestHook(): void {
  const hook: CnnLensHook = {
    get frames() {
      return results.frames;
    },
    get stills() {
      return results.stills;
    },
    get ready() {
      return engine.ready;
    },
    get backend() {
      return engine.backend;
    },
    get preprocessOn() {
      return engine.preprocessOn;
    },
    get ortThreads() {
      return engine.ortThreads;
    },
    get modelId() {
      return engine.manifest?.id ?? '';
    },
    get fps() {
      return results.fps;
    },
    get lastTimings() {
      return results.timings ? { ...results.timings } : null;
    },
    get recentTimings() {
      return results.history.map((t) => ({ ...t }));
    },
    get lastTop() {
      return (results.latest?.top ?? []).map((p) => ({ index: p.index, probability: p.probability, label: labelOf(p.index) }));
    },
    get lastSource() {
      return results.source;
    },
    get lastCrop() {
      return results.latest ? { ...results.latest.crop } : null;
    },
    get cameraState() {
      return camera.state;
    },
    async benchBare(runs: number, warmup = 3): Promise<number[]> {
      return (await engine.client.benchBare(runs, warmup)).times;
    },
  };
  Object.defineProperty(window, '__cnnLens', { value: Object.freeze(hook), configurable: false, writable: false });
}

export type { StageTimings };

export interface CnnLensHook {
  readonly frames: number;
  readonly stills: number;
  readonly ready: boolean;
  readonly backend: string;
  /** Where live frames are preprocessed: 'page' (beside inference) or 'worker' (before it). */
  readonly preprocessOn: 'page' | 'worker';
  /** WASM threads onnxruntime runs with (0 before a model loads). */
  readonly ortThreads: number;
  /** The loaded model's manifest id ('' before one is loaded). */
  readonly modelId: string;
  readonly fps: number;
  readonly lastTimings: StageTimings | null;
  readonly recentTimings: StageTimings[];
  readonly lastTop: { index: number; probability: number; label: string }[];
  readonly lastSource: string | null;
  readonly lastCrop: { x: number; y: number; width: number; height: number; frameWidth: number; frameHeight: number } | null;
  readonly cameraState: string;
  benchBare(runs: number, warmup?: number): Promise<number[]>;
}

// The one declaration of the hook's global: e2e specs and scripts read `window.__cnnLens` inside
// page.evaluate with this type (the whole repository is one TypeScript program).
declare global {
  interface Window {
    __cnnLens?: CnnLensHook;
  }
}
