// Finds a pinned input file: an explicit path, ../shared (SHARED_DIR), the per-user cache, or a
// download from the pinned URL; whichever it is, its sha256 must match the pin.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cacheDir, MODEL_SOURCES_FILE, SHARED_DIR } from './lib/paths.js';

export interface PinnedFile {
  file: string;
  /** Its path inside SHARED_DIR (../shared). */
  shared: string;
  url: string;
  sha256: string;
  bytes?: number;
  /** The download has this extra first line that the pinned file does not. */
  dropFirstLine?: string;
}

export class PinnedFileError extends Error {}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export { cacheDir };

function check(pin: PinnedFile, data: Uint8Array, from: string, whatToDo: string): Uint8Array {
  if (pin.bytes !== undefined && data.byteLength !== pin.bytes) {
    throw new PinnedFileError(
      `${from}: ${data.byteLength} bytes, expected ${pin.bytes} (truncated or a different file). ${whatToDo}`,
    );
  }
  const got = sha256(data);
  if (got !== pin.sha256) {
    throw new PinnedFileError(`${from}: sha256 ${got} does not match the pinned ${pin.sha256}. ${whatToDo}`);
  }
  return data;
}

/** Where a pin would be cached (downloads land here). */
export function cachedPath(pin: PinnedFile): string {
  return join(cacheDir(), pin.sha256.slice(0, 16), pin.file);
}

/** The pinned file's local copy, ../shared first, then the cache, without checking or downloading; null when neither has it. */
export function localPinned(pin: PinnedFile, sharedDir = SHARED_DIR): string | null {
  for (const path of [join(sharedDir, pin.shared), cachedPath(pin)]) if (existsSync(path)) return path;
  return null;
}

/** The default model's pins (models/sources.json). */
export function defaultModelPins(): { weights: PinnedFile; labels: PinnedFile } {
  return (JSON.parse(readFileSync(MODEL_SOURCES_FILE, 'utf8')) as Record<string, { weights: PinnedFile; labels: PinnedFile }>).squeezenet1_0;
}

/** CNN_LENS_OFFLINE=1: never download (what a machine without network sees, made certain). */
export function refuseWhenOffline(): void {
  if (process.env.CNN_LENS_OFFLINE) throw new Error('CNN_LENS_OFFLINE is set');
}

/** A failed download in words: Node's fetch says only "fetch failed" and keeps the reason in `cause`. */
export function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message}: ${cause}` : e.message;
}

export interface Resolved {
  data: Uint8Array;
  from: string;
}

/**
 * @param explicit a path from a flag or environment variable; when given it is the only source tried.
 * @param env that variable's name, for the messages.
 * @param sharedDir the team's shared folder (tests point it elsewhere).
 */
export async function resolvePinned(pin: PinnedFile, explicit: string | undefined, env: string, sharedDir = SHARED_DIR): Promise<Resolved> {
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new PinnedFileError(`${path} (given by flag or ${env}) does not exist.`);
    return { data: check(pin, readFileSync(path), path, `Point ${env} at the original ${pin.file}, or unset it to use ../shared or a download.`), from: path };
  }
  const shared = join(sharedDir, pin.shared);
  if (existsSync(shared)) {
    return { data: check(pin, readFileSync(shared), shared, 'The shared copy is damaged: restore it from its source.'), from: shared };
  }
  const cached = cachedPath(pin);
  if (existsSync(cached)) {
    return { data: check(pin, readFileSync(cached), cached, `Delete ${cached} and run again to download it afresh.`), from: cached };
  }
  let data: Uint8Array;
  try {
    refuseWhenOffline();
    const response = await fetch(pin.url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    data = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    throw new PinnedFileError(
      `${pin.file} is not in ${dirname(shared)} nor in ${dirname(cached)}, and downloading ${pin.url} failed (${describeFetchError(err)}). ` +
        `Download it by hand and pass its path with ${env}=/path/to/${pin.file}.`,
    );
  }
  if (pin.dropFirstLine) {
    const text = new TextDecoder().decode(data);
    const newline = text.indexOf('\n');
    if (text.slice(0, newline).trim() !== pin.dropFirstLine) {
      throw new PinnedFileError(`${pin.url}: expected the first line "${pin.dropFirstLine}", got "${text.slice(0, newline)}"`);
    }
    data = new TextEncoder().encode(text.slice(newline + 1));
  }
  check(pin, data, pin.url, 'The pinned upstream file changed or the download was cut short; try again later or pass a local copy.');
  mkdirSync(dirname(cached), { recursive: true });
  writeFileSync(`${cached}.part`, data);
  renameSync(`${cached}.part`, cached);
  return { data, from: `${pin.url} (cached in ${cached})` };
}
