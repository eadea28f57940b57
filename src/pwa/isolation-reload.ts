// One automatic reload into cross-origin isolation once the service worker (which adds COOP/COEP
// to what it serves) controls the page: what makes onnxruntime's threads work on header-less hosts.

/** sessionStorage key: set before the one reload that brings cross-origin isolation. */
export const ISOLATION_RELOAD_KEY = 'cnn-lens:isolation-reload';

/**
 * On a host that sends no COOP/COEP, the page only becomes cross-origin isolated (onnxruntime's
 * threads) once the service worker, which adds those headers, serves it: reload once when the page
 * is controlled but not isolated. The sessionStorage mark makes it once per tab session, so a
 * browser that never isolates (or a worker that fails to add the headers) cannot loop.
 * @returns true when it reloads.
 */
export function reloadOnceForIsolation(storage: Pick<Storage, 'getItem' | 'setItem'> = sessionStorage, reload: () => void = () => location.reload()): boolean {
  if (globalThis.crossOriginIsolated || !navigator.serviceWorker?.controller) return false;
  if (storage.getItem(ISOLATION_RELOAD_KEY)) return false;
  storage.setItem(ISOLATION_RELOAD_KEY, String(Date.now()));
  reload();
  return true;
}
