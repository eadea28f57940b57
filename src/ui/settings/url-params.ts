// The app's URL parameters (README, "URL parameters"), read in one place. Each takes a fixed set of
// values; any other value is refused with a message naming it and what is used instead, and the
// app goes on as if the parameter were absent. `?model=` is checked by the model loader (the
// bundled models are known there); `?shared=1` is the share target's own.
import type { PreprocessPlacementChoice } from '../../engine/preprocess-placement';
import type { BackendChoice } from '../../engine/protocol';

export interface UrlParams {
  /** `?backend=auto|wasm|webgpu` (null: absent or refused). */
  backend: BackendChoice | null;
  /** `?preprocess=page|worker` ('auto' when absent or refused). */
  preprocess: PreprocessPlacementChoice;
  /** `?resize=js`: live frames resampled by the shared preprocessing, not by the browser. */
  jsResize: boolean;
  /** `?camera=off`: the camera does not start with the page. */
  cameraOff: boolean;
  /** One message per refused value. */
  problems: string[];
}

/** A parameter of this URL query (null when absent). */
export function urlParam(name: string, search = typeof location !== 'undefined' ? location.search : ''): string | null {
  return new URLSearchParams(search).get(name);
}

/** The value if it is one of `allowed`; otherwise null, with a message when it was given at all. */
function oneOf<T extends string>(search: string, name: string, allowed: readonly T[], instead: string, problems: string[]): T | null {
  const v = urlParam(name, search);
  if (v === null) return null;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  problems.push(`Unknown ?${name}=${v} (use ${allowed.join(' or ')}): ${instead}.`);
  return null;
}

export function readUrlParams(search = typeof location !== 'undefined' ? location.search : ''): UrlParams {
  const problems: string[] = [];
  const backend = oneOf(search, 'backend', ['auto', 'wasm', 'webgpu'] as const, 'the saved backend is in use', problems);
  const preprocess = oneOf(search, 'preprocess', ['page', 'worker'] as const, 'the device decides where frames are preprocessed', problems) ?? 'auto';
  const resize = oneOf(search, 'resize', ['js'] as const, 'the browser resizes live frames', problems);
  const camera = oneOf(search, 'camera', ['off'] as const, 'the camera starts with the page', problems);
  return { backend, preprocess, jsResize: resize === 'js', cameraOff: camera === 'off', problems };
}
