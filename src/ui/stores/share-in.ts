// Files handed to the app by the system: "Share -> CNN Lens" from a gallery (the manifest's
// share_target: the service worker receives the POST, keeps the first file in Cache Storage and
// opens ./?shared=1) and "Open with CNN Lens" (the manifest's file_handlers, delivered through
// window.launchQueue). Images go through the same path as a picked photo; an .onnx file goes to
// the model loader. Nothing leaves the device.
import { firstImageFile } from '../../app/image-input';
import { SHARE_CACHE, SHARE_KEY } from '../../pwa/share-target';
import { image } from './image.svelte';
import { modelLoader } from './model-loader.svelte';

/** The parameter the service worker's redirect adds (`./?shared=1`). */
export const SHARED_PARAM = 'shared';

/**
 * True when this page load came from the share target. The parameter is removed from the address
 * at once (history.replaceState), so a reload or a bookmark does not ask for the photo again.
 */
export function takeSharedLaunch(): boolean {
  const url = new URL(location.href);
  if (url.searchParams.get(SHARED_PARAM) !== '1') return false;
  url.searchParams.delete(SHARED_PARAM);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return true;
}

/** The shared file, removed from the cache as it is read (a photo is received once). */
export async function takeSharedFile(): Promise<File> {
  if (typeof caches === 'undefined') {
    throw new Error('The shared photo cannot be received: this browser gives the app no Cache Storage here (it needs HTTPS or localhost). Open the photo with "Choose image…" instead.');
  }
  const cache = await caches.open(SHARE_CACHE);
  // The service worker keys it against the app's base URL, which is where this page is.
  const key = new URL(SHARE_KEY, document.baseURI).href;
  const response = await cache.match(key);
  if (!response) {
    throw new Error(
      'The shared photo did not arrive: nothing was waiting in the app\'s share storage (it may have been opened already). Share it again, or open it with "Choose image…".',
    );
  }
  await cache.delete(key);
  const blob = await response.blob();
  // The service worker sends the file name URI-encoded (a header carries ASCII only).
  const name = decodeURIComponent(response.headers.get('x-file-name') ?? '') || 'shared photo';
  return new File([blob], name, { type: blob.type || response.headers.get('content-type') || '' });
}

/** Receives the shared photo once the model is ready, and classifies it; problems go to image.error. */
export async function receiveShared(ready: Promise<unknown>): Promise<void> {
  try {
    const file = await takeSharedFile();
    await ready;
    await image.classify(file);
  } catch (err) {
    image.error = (err as Error).message;
  }
}

interface LaunchParams {
  files: readonly FileSystemFileHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/** Files opened with the installed app (file_handlers): an image is classified, an .onnx model loaded. */
export function consumeLaunchQueue(ready: Promise<unknown>): void {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer((params) => {
    void (async () => {
      try {
        const files = await Promise.all(params.files.map((h) => h.getFile()));
        await ready;
        const model = files.find((f) => /\.onnx$/i.test(f.name));
        if (model) await modelLoader.open(model);
        const photo = firstImageFile(files);
        if (photo) await image.classify(photo);
      } catch (err) {
        image.error = `The opened file could not be read: ${(err as Error).message}`;
      }
    })();
  });
}
