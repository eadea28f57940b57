// Downloads a model's bytes with progress, abortable (a newer model load cancels this one), through
// the runtime cache: the first use downloads it once, later starts (offline too) read it from there.
import { cachedBytes, type Progress } from './cached-fetch.js';

export type { Progress };

/** `sha256` (from the model's manifest) versions the cached copy. */
export function fetchModel(url: string, onProgress: Progress, signal?: AbortSignal, sha256?: string): Promise<Uint8Array> {
  return cachedBytes(url, { version: sha256, onProgress, signal, what: 'the model' });
}
