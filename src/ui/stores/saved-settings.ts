// The app settings kept across reloads: one JSON object in localStorage, checked field by field on
// the way in (a stale or hand-edited value is dropped, never trusted), and any storage failure
// turned into one message (private mode, quota, storage disabled) while the app keeps running.
import type { BackendChoice } from '../../engine/protocol';
import type { ColormapName } from '../../inspector/colormap';
import type { ScaleMode } from '../../inspector/feature-grid';

export type { Facing } from '../../camera/camera';
import type { Facing } from '../../camera/camera';

export interface SavedSettings {
  backend: BackendChoice;
  smoothing: boolean;
  facing: Facing;
  /** The camera picked in the list; '' lets facing decide. */
  cameraId: string;
  colormap: ColormapName;
  scaleMode: ScaleMode;
  sortByMean: boolean;
}

export const DEFAULT_SETTINGS: SavedSettings = {
  backend: 'auto',
  smoothing: true,
  facing: 'environment',
  cameraId: '',
  colormap: 'viridis',
  scaleMode: 'channel',
  sortByMean: false,
};

export const SETTINGS_KEY = 'cnn-lens.settings.v1';

const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as string[]).includes(v);

const checks: { [K in keyof SavedSettings]: (v: unknown) => v is SavedSettings[K] } = {
  backend: oneOf<BackendChoice>('auto', 'wasm', 'webgpu'),
  smoothing: (v): v is boolean => typeof v === 'boolean',
  facing: oneOf<Facing>('environment', 'user'),
  cameraId: (v): v is string => typeof v === 'string' && v.length < 512,
  colormap: oneOf<ColormapName>('viridis', 'greys', 'diverging'),
  scaleMode: oneOf<ScaleMode>('channel', 'layer'),
  sortByMean: (v): v is boolean => typeof v === 'boolean',
};

export interface ParsedSettings {
  settings: SavedSettings;
  /** Names of stored fields that were present but invalid (and so replaced by defaults). */
  dropped: string[];
}

/** Stored text -> settings: defaults for anything missing or invalid. */
export function parseSettings(text: string | null): ParsedSettings {
  const settings = { ...DEFAULT_SETTINGS };
  if (text === null) return { settings, dropped: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { settings, dropped: ['(all: not JSON)'] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { settings, dropped: ['(all: not an object)'] };
  const dropped: string[] = [];
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(checks) as (keyof SavedSettings)[]) {
    if (!(key in record)) continue;
    const value = record[key];
    if (checks[key](value)) (settings as Record<string, unknown>)[key] = value;
    else dropped.push(key);
  }
  return { settings, dropped };
}

/** Why storage failed, in words a user can act on. */
export function storageProblem(err: unknown, action: 'read' | 'save'): string {
  const name = (err as { name?: string } | null)?.name ?? '';
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') {
    return `Settings could not be ${action === 'save' ? 'saved' : 'read'}: this site's storage is full. They apply until the page is closed.`;
  }
  if (name === 'SecurityError') {
    return 'Settings cannot be remembered: the browser blocks storage for this site (private mode or storage disabled). They apply until the page is closed.';
  }
  return `Settings could not be ${action === 'save' ? 'saved' : 'read'} (${name || 'error'}: ${(err as Error | null)?.message ?? String(err)}). They apply until the page is closed.`;
}

/** Where settings live; a parameter so tests and private-mode browsers can pass their own. */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readSettings(storage: () => KeyValue): { settings: SavedSettings; problem: string } {
  try {
    const { settings, dropped } = parseSettings(storage().getItem(SETTINGS_KEY));
    const problem = dropped.length ? `Some saved settings were not valid and were reset: ${dropped.join(', ')}.` : '';
    return { settings, problem };
  } catch (err) {
    return { settings: { ...DEFAULT_SETTINGS }, problem: storageProblem(err, 'read') };
  }
}

/** Saves; returns '' or the problem in words. */
export function writeSettings(storage: () => KeyValue, settings: SavedSettings): string {
  try {
    storage().setItem(SETTINGS_KEY, JSON.stringify(settings));
    return '';
  } catch (err) {
    return storageProblem(err, 'save');
  }
}
