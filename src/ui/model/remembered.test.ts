import { describe, expect, it } from 'vitest';
import { torchvisionPreprocess } from '../../validate/custom-model';
import { MAX_REMEMBERED_CHARS, RememberedModels } from './remembered';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('RememberedModels', () => {
  it('remembers settings per model id', () => {
    const store = new RememberedModels(memoryStorage());
    expect(store.load('abc')).toBeNull();
    expect(store.save('abc', { preprocess: torchvisionPreprocess(224), labels: ['a', 'b'] })).toBe('');
    expect(store.load('abc')?.labels).toEqual(['a', 'b']);
    expect(store.load('abc')?.preprocess.cropWidth).toBe(224);
    expect(store.load('def')).toBeNull();
  });

  it('keeps the preprocessing but not labels over the size cap, and says so', () => {
    const storage = memoryStorage();
    const store = new RememberedModels(storage);
    const labels = Array.from({ length: 1000 }, (_, i) => `${'x'.repeat(250)}${i}`);
    const note = store.save('big', { preprocess: torchvisionPreprocess(224), labels });
    expect(note).toMatch(/too large to remember/);
    expect(store.load('big')?.labels).toBeUndefined();
    expect(store.load('big')?.preprocess.cropHeight).toBe(224);
    for (const v of storage.map.values()) expect(v.length).toBeLessThanOrEqual(MAX_REMEMBERED_CHARS);
  });

  it('a full storage does not throw: the settings are simply not remembered', () => {
    const store = new RememberedModels({ getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); }, removeItem: () => undefined });
    expect(() => store.save('abc', { preprocess: torchvisionPreprocess(224) })).not.toThrow();
    expect(store.load('abc')).toBeNull();
  });
});
