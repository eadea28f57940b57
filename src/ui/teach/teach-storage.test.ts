import { describe, expect, it } from 'vitest';
import { StorageFullError, TeachStorage } from './teach-storage';

function memoryStorage(quota = Infinity) {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
  };
}

const classes = [
  { name: 'keys', embeddings: [Float32Array.of(0.5, -1, 2), Float32Array.of(0.25, 0, 1)] },
  { name: 'cup', embeddings: [Float32Array.of(3, 4, -0.125)] },
];

describe('TeachStorage', () => {
  it('round-trips classes and embeddings (float16)', () => {
    const store = new TeachStorage(memoryStorage());
    store.save({ baseModelId: 'squeezenet1_0', baseModelName: 'SqueezeNet', classes });
    const back = store.load()!;
    expect(back.baseModelId).toBe('squeezenet1_0');
    expect(back.classes.map((c) => c.name)).toEqual(['keys', 'cup']);
    expect(back.classes[0].embeddings.map((e) => Array.from(e))).toEqual([[0.5, -1, 2], [0.25, 0, 1]]);
    expect(Array.from(back.classes[1].embeddings[0])).toEqual([3, 4, -0.125]);
  });

  it('refuses a set over the cap with a storage-full message and keeps the saved copy', () => {
    const kv = memoryStorage();
    const store = new TeachStorage(kv, 400);
    store.save({ baseModelId: 'm', baseModelName: 'M', classes });
    const before = kv.map.get('cnn-lens:teach');
    const big = [...classes, { name: 'big', embeddings: [new Float32Array(200)] }];
    expect(() => store.save({ baseModelId: 'm', baseModelName: 'M', classes: big })).toThrow(StorageFullError);
    expect(() => store.save({ baseModelId: 'm', baseModelName: 'M', classes: big })).toThrow(/storage full/);
    expect(kv.map.get('cnn-lens:teach')).toBe(before);
  });

  it('turns the browser quota error into a storage-full message', () => {
    const store = new TeachStorage(memoryStorage(50));
    expect(() => store.save({ baseModelId: 'm', baseModelName: 'M', classes })).toThrow(/storage full: the browser refused to store more \(QuotaExceededError\)/);
  });
});
