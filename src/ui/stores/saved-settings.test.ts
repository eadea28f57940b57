import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, readSettings, SETTINGS_KEY, writeSettings, type KeyValue } from './saved-settings';

function memory(initial: Record<string, string> = {}): KeyValue & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('saved settings', () => {
  it('round-trips every field', () => {
    const store = memory();
    const chosen = { backend: 'wasm', smoothing: false, facing: 'user', cameraId: 'abc', colormap: 'diverging', scaleMode: 'layer', sortByMean: true } as const;
    expect(writeSettings(() => store, chosen)).toBe('');
    expect(readSettings(() => store)).toEqual({ settings: chosen, problem: '' });
  });

  it('keeps valid fields and resets invalid ones, naming them', () => {
    const text = JSON.stringify({ backend: 'cuda', smoothing: false, facing: 'sideways', colormap: 'greys', extra: 1 });
    const { settings, dropped } = parseSettings(text);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, smoothing: false, colormap: 'greys' });
    expect(dropped).toEqual(['backend', 'facing']);
    expect(readSettings(() => memory({ [SETTINGS_KEY]: text })).problem).toBe('Some saved settings were not valid and were reset: backend, facing.');
  });

  it('falls back to defaults for text that is not a JSON object', () => {
    expect(parseSettings('{oops')).toEqual({ settings: DEFAULT_SETTINGS, dropped: ['(all: not JSON)'] });
    expect(parseSettings('[1,2]').dropped).toEqual(['(all: not an object)']);
    expect(parseSettings(null)).toEqual({ settings: DEFAULT_SETTINGS, dropped: [] });
  });

  it('turns storage failures into messages instead of throwing', () => {
    const blocked = (): KeyValue => {
      throw new DOMException('denied', 'SecurityError');
    };
    const read = readSettings(blocked);
    expect(read.settings).toEqual(DEFAULT_SETTINGS);
    expect(read.problem).toMatch(/blocks storage for this site/);
    const full: KeyValue = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(writeSettings(() => full, DEFAULT_SETTINGS)).toMatch(/storage is full/);
  });
});
