// Service worker registration (workbox-window), the update prompt, and the persistent-storage
// request. The state is readable by people and tests: data-* attributes on <html> and
// window.__cnnLensPwa.
import { Workbox } from 'workbox-window';
import { reloadOnceForIsolation } from './isolation-reload.js';
import { UpdatePrompt } from './update-prompt.js';

export type StoragePersistence = 'unknown' | 'granted' | 'denied' | 'unsupported';
export type ServiceWorkerState = 'unsupported' | 'disabled-in-dev' | 'waiting-for-model' | 'registering' | 'registered' | 'error';

export interface PwaStatus {
  serviceWorker: ServiceWorkerState;
  storagePersisted: StoragePersistence;
}

export interface PwaHandle {
  status: PwaStatus;
  /** Null where there is no service worker (dev server, old browsers). */
  updates: UpdatePrompt | null;
}

declare global {
  interface Window {
    __cnnLensPwa?: PwaHandle;
  }
}

/** How long the first visit waits for the model before registering anyway. */
const MODEL_WAIT_MS = 120_000;
/** Check for a new deployment this often while the app stays open. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

function publish(handle: PwaHandle): void {
  const root = document.documentElement.dataset;
  root.serviceWorker = handle.status.serviceWorker;
  root.storagePersisted = handle.status.storagePersisted;
}

/**
 * Resolves true once the app reports the model ready, false on an error or after `timeoutMs`.
 * Watches the model-status element (the app's public status, also what the e2e tests read), so this
 * needs no hook into the app.
 */
export function modelSettled(timeoutMs = MODEL_WAIT_MS): Promise<boolean> {
  const read = (): boolean | null => {
    const text = document.querySelector('[data-testid="model-status"]')?.textContent?.trim() ?? '';
    if (text.startsWith('ready')) return true;
    if (text.startsWith('error')) return false;
    return null;
  };
  const now = read();
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (value: boolean) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(value);
    };
    const observer = new MutationObserver(() => {
      const state = read();
      if (state !== null) finish(state);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

/** Asks once that the browser not evict our caches (the runtime wasm and the models) under storage pressure. */
export async function requestPersistentStorage(): Promise<StoragePersistence> {
  if (!navigator.storage?.persist) return 'unsupported';
  try {
    if (await navigator.storage.persisted()) return 'granted';
    return (await navigator.storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'unsupported';
  }
}

/**
 * Registers the service worker and wires the update prompt. On a first visit (no controller yet)
 * registration waits until the model has loaded: on a host without COOP/COEP the worker's first
 * control reloads the page (isolation-reload.ts), which must not cut the wasm and model downloads
 * short, and its small precache install should not compete with them.
 */
export function startPwa(): PwaHandle {
  const handle: PwaHandle = { status: { serviceWorker: 'registering', storagePersisted: 'unknown' }, updates: null };
  window.__cnnLensPwa = handle;
  const update = (status: Partial<PwaStatus>) => {
    Object.assign(handle.status, status);
    publish(handle);
  };
  const settled = modelSettled();

  if (!('serviceWorker' in navigator)) update({ serviceWorker: 'unsupported' });
  else if (!import.meta.env.PROD) update({ serviceWorker: 'disabled-in-dev' });
  else {
    const base = import.meta.env.BASE_URL;
    if (reloadOnceForIsolation()) return handle;
    // First visit: the worker claims this page once installed; that is when isolation becomes possible.
    navigator.serviceWorker.addEventListener('controllerchange', () => void reloadOnceForIsolation());
    const wb = new Workbox(`${base}sw.js`, { scope: base, type: 'classic' });
    handle.updates = new UpdatePrompt(wb);
    const firstVisit = !navigator.serviceWorker.controller;
    update({ serviceWorker: firstVisit ? 'waiting-for-model' : 'registering' });
    (firstVisit ? settled : Promise.resolve())
      .then(() => {
        update({ serviceWorker: 'registering' });
        return wb.register({ immediate: true });
      })
      .then(() => {
        update({ serviceWorker: 'registered' });
        setInterval(() => void wb.update(), UPDATE_CHECK_MS);
      })
      .catch((err: unknown) => {
        console.warn('service worker registration failed; the app works online only', err);
        update({ serviceWorker: 'error' });
      });
  }
  // "After the first successful load": ask only once the model works, so the prompt (where a
  // browser shows one) comes with an app that has proved useful.
  void settled.then(async (ok) => {
    if (ok) update({ storagePersisted: await requestPersistentStorage() });
  });
  return handle;
}
