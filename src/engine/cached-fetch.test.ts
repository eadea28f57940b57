import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheKey, cachedBytes, cachedResponse, replacedKeys, RUNTIME_CACHE } from './cached-fetch.js';

describe('cacheKey', () => {
  it('versions a file by its sha256, keeping the URL otherwise', () => {
    expect(cacheKey('https://a.test/cnn-lens/models/m/model.onnx', 'ab12')).toBe('https://a.test/cnn-lens/models/m/model.onnx?sha256=ab12');
    expect(cacheKey('https://a.test/x.wasm')).toBe('https://a.test/x.wasm');
  });
});

describe('replacedKeys', () => {
  const keys = [
    'https://a.test/models/squeezenet/model.onnx?sha256=old',
    'https://a.test/models/mobilenetv2/model.onnx?sha256=m',
    'https://a.test/assets/ort-wasm-simd-threaded.jsep-AAAA.wasm',
    'https://a.test/assets/ort-wasm-simd-threaded-BBBB.wasm',
  ];
  it('drops older versions of the same model, and keeps other models', () => {
    expect(replacedKeys('https://a.test/models/squeezenet/model.onnx?sha256=new', keys)).toEqual([keys[0]]);
  });
  it('keeps one runtime wasm: the one just stored', () => {
    expect(replacedKeys(keys[3], keys)).toEqual([keys[2]]);
  });
});

/** A Cache Storage with one cache, in memory, with the calls cachedBytes makes. */
function memoryCaches() {
  const entries = new Map<string, Response>();
  const cache = {
    match: async (key: string) => entries.get(key)?.clone(),
    put: async (key: string, response: Response) => void entries.set(key, response),
    keys: async () => [...entries.keys()].map((k) => new Request(k)),
    delete: async (key: string) => entries.delete(key),
  };
  const opened: string[] = [];
  return { entries, opened, storage: { open: async (name: string) => (opened.push(name), cache) } };
}

describe('cachedBytes', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('downloads once: the second read comes from the runtime cache, and a new runtime replaces the old one', async () => {
    const { entries, opened, storage } = memoryCaches();
    vi.stubGlobal('caches', storage);
    const served: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      served.push(url);
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'Content-Type': 'application/wasm' } });
    });
    const old = 'https://a.test/assets/ort-wasm-simd-threaded.jsep-AAAA.wasm';
    await cachedBytes(old);
    await vi.waitFor(() => expect([...entries.keys()]).toEqual([old]));
    const url = 'https://a.test/assets/ort-wasm-simd-threaded-BBBB.wasm';
    const progress: number[] = [];
    expect([...(await cachedBytes(url, { onProgress: (loaded) => progress.push(loaded) }))]).toEqual([1, 2, 3]);
    await vi.waitFor(() => expect([...entries.keys()]).toEqual([url]));
    expect([...(await cachedBytes(url))]).toEqual([1, 2, 3]);
    expect(served).toEqual([old, url]);
    expect(progress.at(-1)).toBe(3);
    expect(new Set(opened)).toEqual(new Set([RUNTIME_CACHE]));
    expect(entries.get(url)?.headers.get('Content-Type')).toBe('application/wasm');
  });

  it('a failed download says which file and keeps nothing', async () => {
    const { entries, storage } = memoryCaches();
    vi.stubGlobal('caches', storage);
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    await expect(cachedBytes('https://a.test/models/m/model.onnx', { what: 'the model', version: 'ab' })).rejects.toThrow('could not download the model https://a.test/models/m/model.onnx: HTTP 404');
    expect(entries.size).toBe(0);
  });
});

describe('cachedResponse', () => {
  afterEach(() => vi.unstubAllGlobals());
  const bytes = async (r: Response) => [...new Uint8Array(await r.arrayBuffer())];

  it('answers from the runtime cache entry (what carries the code cache), storing it on the first read', async () => {
    const { entries, opened, storage } = memoryCaches();
    vi.stubGlobal('caches', storage);
    const served: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      served.push(url);
      return new Response(new Uint8Array([0, 97, 115, 109]), { headers: { 'Content-Type': 'application/wasm' } });
    });
    const old = 'https://a.test/assets/ort-wasm-simd-threaded.jsep-AAAA.wasm';
    entries.set(old, new Response('old'));
    const url = 'https://a.test/assets/ort-wasm-simd-threaded-BBBB.wasm';
    const first = await cachedResponse(url, { what: 'onnxruntime' });
    expect(first.headers.get('Content-Type')).toBe('application/wasm');
    expect(await bytes(first)).toEqual([0, 97, 115, 109]);
    await vi.waitFor(() => expect([...entries.keys()]).toEqual([url]));
    const second = await cachedResponse(url, { what: 'onnxruntime' });
    expect(await bytes(second)).toEqual([0, 97, 115, 109]);
    expect(served).toEqual([url]);
    expect(new Set(opened)).toEqual(new Set([RUNTIME_CACHE]));
  });

  it('without Cache Storage, or when storing fails, answers with the network response', async () => {
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array([7, 8]), { headers: { 'Content-Type': 'application/wasm' } }));
    vi.stubGlobal('caches', undefined);
    expect(await bytes(await cachedResponse('https://a.test/x.wasm'))).toEqual([7, 8]);
    const { storage } = memoryCaches();
    const full = { open: async (name: string) => ({ ...(await storage.open(name)), put: async () => Promise.reject(new DOMException('quota', 'QuotaExceededError')) }) };
    vi.stubGlobal('caches', full);
    expect(await bytes(await cachedResponse('https://a.test/x.wasm'))).toEqual([7, 8]);
  });

  it('a failed download says which file and stores nothing', async () => {
    const { entries, storage } = memoryCaches();
    vi.stubGlobal('caches', storage);
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    await expect(cachedResponse('https://a.test/assets/ort.wasm', { what: 'onnxruntime' })).rejects.toThrow('could not download onnxruntime https://a.test/assets/ort.wasm: HTTP 404');
    expect(entries.size).toBe(0);
  });
});
