// Downloads that land in Cache Storage as they are read, so a first visit fetches the runtime wasm
// and the model once: the page (or its worker) reads them here and the next start (online or
// offline) finds them in the same cache. The service worker precaches only the small app shell;
// these big files are never fetched a second time by its install.

/** The cache the app's big files live in (the service worker leaves it alone on updates). */
export const RUNTIME_CACHE = 'cnn-lens-runtime-v1';

export type Progress = (loaded: number, total: number) => void;

/**
 * The key a file is stored under: the URL, plus the model's sha256 where known, so a redeployed
 * model (same URL, new bytes) is downloaded again instead of being served stale from the cache.
 */
export function cacheKey(url: string, version?: string): string {
  if (!version) return url;
  const u = new URL(url, globalThis.location?.href);
  u.searchParams.set('sha256', version);
  return u.href;
}

/**
 * Keys that the newly stored `key` replaces: other versions of the same file, and for a runtime
 * wasm every other wasm (the cache keeps only the runtime this device uses).
 */
export function replacedKeys(key: string, existing: readonly string[]): string[] {
  const k = new URL(key);
  const isWasm = k.pathname.endsWith('.wasm');
  return existing.filter((other) => {
    if (other === key) return false;
    const o = new URL(other);
    return o.pathname === k.pathname || (isWasm && o.pathname.endsWith('.wasm'));
  });
}

async function openCache(): Promise<Cache | null> {
  try {
    return globalThis.caches ? await globalThis.caches.open(RUNTIME_CACHE) : null;
  } catch {
    // Not a secure context, or storage blocked (private mode): plain network then.
    return null;
  }
}

async function readAll(response: Response, onProgress?: Progress): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

export interface CachedBytesOptions {
  /** Stored under cacheKey(url, version). */
  version?: string;
  onProgress?: Progress;
  signal?: AbortSignal;
  /** What the error message calls the file ("the model"). */
  what?: string;
}

/** The file's bytes from the runtime cache, else from the network (then stored for next time). */
export async function cachedBytes(url: string, options: CachedBytesOptions = {}): Promise<Uint8Array> {
  const cache = await openCache();
  const key = cache ? cacheKey(url, options.version) : url;
  const hit = await cache?.match(key).catch(() => undefined);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    options.onProgress?.(bytes.byteLength, bytes.byteLength);
    return bytes;
  }
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok) throw new Error(`could not download ${options.what ?? 'the file'} ${url}: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const bytes = await readAll(response, options.onProgress);
  if (cache) {
    // Not awaited: storing must not delay the first prediction; a failed write only costs a
    // download next time.
    void cache
      .put(key, new Response(bytes, { headers: { 'Content-Type': type, 'Content-Length': String(bytes.byteLength) } }))
      .then(() => dropReplaced(cache, key))
      .catch(() => undefined);
  }
  return bytes;
}

async function dropReplaced(cache: Cache, key: string): Promise<void> {
  const stale = replacedKeys(key, (await cache.keys()).map((r) => r.url));
  await Promise.all(stale.map((k) => cache.delete(k)));
}

/**
 * The file as a Response read from the runtime cache, downloading and storing it first when it is
 * not there yet (the network's response where there is no cache or storing fails). For a wasm
 * compiled with WebAssembly.compileStreaming: only a Cache Storage entry carries the browser's
 * code cache from one start to the next (see wasm-handover.ts).
 */
export async function cachedResponse(url: string, options: Omit<CachedBytesOptions, 'onProgress'> = {}): Promise<Response> {
  const cache = await openCache();
  const key = cache ? cacheKey(url, options.version) : url;
  const hit = await cache?.match(key).catch(() => undefined);
  if (hit) return hit;
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok) throw new Error(`could not download ${options.what ?? 'the file'} ${url}: HTTP ${response.status}`);
  if (!cache) return response;
  try {
    // The clone is stored; the original stays readable in case the write fails (storage full).
    await cache.put(key, response.clone());
    const stored = await cache.match(key);
    if (stored) {
      void dropReplaced(cache, key).catch(() => undefined);
      return stored;
    }
  } catch {
    // A failed write only costs a download next time.
  }
  return response;
}
