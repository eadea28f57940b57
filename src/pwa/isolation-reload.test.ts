import { afterEach, describe, expect, it, vi } from 'vitest';
import { ISOLATION_RELOAD_KEY, reloadOnceForIsolation } from './isolation-reload';

function storage(): Pick<Storage, 'getItem' | 'setItem'> {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

afterEach(() => vi.unstubAllGlobals());

describe('reloadOnceForIsolation', () => {
  it('reloads once when a service worker controls the page but it is not isolated, never twice in a session', () => {
    vi.stubGlobal('crossOriginIsolated', false);
    vi.stubGlobal('navigator', { serviceWorker: { controller: {} } });
    const s = storage();
    const reload = vi.fn();
    expect(reloadOnceForIsolation(s, reload)).toBe(true);
    expect(s.getItem(ISOLATION_RELOAD_KEY)).not.toBeNull();
    // After that reload the page is still not isolated (a browser that cannot be): no loop.
    expect(reloadOnceForIsolation(s, reload)).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does nothing when already isolated, or when no service worker controls the page yet', () => {
    const reload = vi.fn();
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { serviceWorker: { controller: {} } });
    expect(reloadOnceForIsolation(storage(), reload)).toBe(false);
    vi.stubGlobal('crossOriginIsolated', false);
    vi.stubGlobal('navigator', { serviceWorker: { controller: null } });
    expect(reloadOnceForIsolation(storage(), reload)).toBe(false);
    vi.stubGlobal('navigator', {});
    expect(reloadOnceForIsolation(storage(), reload)).toBe(false);
    expect(reload).not.toHaveBeenCalled();
  });
});
