// The model store against fake-indexeddb (an in-memory IndexedDB), a fresh database per test.
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../../model/manifest';
import { createModelStore, ModelStoreError } from './model-store';

const manifest: ModelManifest = {
  id: 'custom-abc',
  name: 'tiny.onnx',
  file: 'tiny.onnx',
  inputName: 'x',
  outputName: 'y',
  inputShape: [1, 3, 8, 8],
  outputNeedsSoftmax: true,
  preprocess: { resizeShortSide: 8, cropWidth: 8, cropHeight: 8, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] },
  labels: ['a', 'b', 'c', 'd'],
} as ModelManifest;

let n = 0;
const fresh = () => {
  const db = `test-${++n}`;
  return { db, store: createModelStore(db, 'models') };
};

afterEach(() => vi.restoreAllMocks());

describe('model store', () => {
  it('saves, loads and forgets a model with its manifest', async () => {
    const { store } = fresh();
    expect(await store.load()).toBeNull();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    await store.save({ fileName: 'tiny.onnx', bytes, manifest, labelsFile: 'labels.txt' });
    const back = await store.load();
    expect(back?.fileName).toBe('tiny.onnx');
    expect(back?.labelsFile).toBe('labels.txt');
    expect(back?.manifest).toEqual(manifest);
    expect(Array.from(back!.bytes)).toEqual(Array.from(bytes));
    expect(back!.savedAt).toBeGreaterThan(0);
    await store.forget();
    expect(await store.load()).toBeNull();
  });

  it('keeps one model: saving replaces the previous one', async () => {
    const { store } = fresh();
    await store.save({ fileName: 'one.onnx', bytes: new Uint8Array([1, 2, 3]), manifest, labelsFile: null });
    await store.save({ fileName: 'two.onnx', bytes: new Uint8Array([4, 5]), manifest: { ...manifest, labels: ['w', 'x', 'y', 'z'] }, labelsFile: null });
    const back = await store.load();
    expect(back?.fileName).toBe('two.onnx');
    expect(Array.from(back!.bytes)).toEqual([4, 5]);
    expect(back?.manifest.labels).toEqual(['w', 'x', 'y', 'z']);
  });

  it('stores only the bytes of a view, not its whole buffer', async () => {
    const { store } = fresh();
    const big = new Uint8Array(4096).fill(7);
    await store.save({ fileName: 'v.onnx', bytes: big.subarray(100, 110), manifest, labelsFile: null });
    const back = await store.load();
    expect(back!.bytes.byteLength).toBe(10);
    expect(back!.bytes.buffer.byteLength).toBe(10);
  });

  it('reports and removes a damaged record', async () => {
    const { db, store } = fresh();
    await set('last-model', { fileName: 'x.onnx', bytes: new Uint8Array([1]), manifest: { ...manifest, preprocess: { ...manifest.preprocess, std: [0, 1, 1] } }, labelsFile: null, savedAt: 1 }, createStore(db, 'models'));
    const err = await store.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelStoreError);
    expect((err as ModelStoreError).problem).toBe('damaged');
    expect((err as Error).message).toMatch(/remembered model is damaged \(model manifest: "preprocess.std" must not contain 0\)/);
    expect(await store.load()).toBeNull();
  });

  it('turns a full disk into a quota message with the size', async () => {
    const { store } = fresh();
    await store.load(); // the database exists before put is made to fail
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const err = await store.save({ fileName: 'big.onnx', bytes: new Uint8Array(2_500_000), manifest, labelsFile: null }).catch((e: unknown) => e);
    expect((err as ModelStoreError).problem).toBe('quota');
    expect((err as Error).message).toMatch(/^Not enough storage space on this device to keep the model \(2\.5 MB\)/);
  });

  it('turns private mode (IndexedDB refused or missing) into an "unavailable" message', async () => {
    const { store } = fresh();
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    });
    const err = await store.save({ fileName: 'a.onnx', bytes: new Uint8Array([1]), manifest, labelsFile: null }).catch((e: unknown) => e);
    expect((err as ModelStoreError).problem).toBe('unavailable');
    expect((err as Error).message).toMatch(/private browsing.*cannot be remembered/);
    vi.restoreAllMocks();

    const saved = globalThis.indexedDB;
    // @ts-expect-error: a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const { store: none } = fresh();
      const e2 = await none.load().catch((e: unknown) => e);
      expect((e2 as ModelStoreError).problem).toBe('unavailable');
      expect((e2 as Error).message).toMatch(/cannot be read back/);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
