import { describe, expect, it } from 'vitest';
import { LAST_MODEL_KEY, readLastModel, writeLastModel } from './last-model';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('the last model used', () => {
  it('round-trips a built-in model and the user model', () => {
    const s = memoryStorage();
    expect(readLastModel(s)).toBeNull();
    expect(writeLastModel({ kind: 'builtin', id: 'mobilenet_v2' }, s)).toBe(true);
    expect(readLastModel(s)).toEqual({ kind: 'builtin', id: 'mobilenet_v2' });
    writeLastModel({ kind: 'custom' }, s);
    expect(readLastModel(s)).toEqual({ kind: 'custom' });
    writeLastModel(null, s);
    expect(s.map.has(LAST_MODEL_KEY)).toBe(false);
  });

  it('reads an unknown id, another shape or text that is not JSON as no choice', () => {
    for (const raw of ['{"kind":"builtin","id":"resnet50"}', '{"kind":"builtin"}', '"mobilenet_v2"', 'null', '{oops', '{"kind":"file"}']) {
      expect(readLastModel(memoryStorage({ [LAST_MODEL_KEY]: raw })), raw).toBeNull();
    }
  });

  it('storage that throws (private mode, quota) reads as no choice and writes as false', () => {
    const broken = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readLastModel(broken)).toBeNull();
    expect(writeLastModel({ kind: 'custom' }, broken)).toBe(false);
    expect(readLastModel(null)).toBeNull();
    expect(writeLastModel(null, null)).toBe(false);
  });
});
