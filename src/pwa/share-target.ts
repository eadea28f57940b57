// The Web Share Target contract between the web manifest (vite.config.ts), the service worker
// (src/pwa/sw.ts) and the app that picks the shared file up: the service worker answers the
// share's POST by storing the first file in Cache Storage under SHARE_KEY (resolved against the
// app's base URL, with its Content-Type) and redirecting (303) to `./?shared=1`.
export const SHARE_TARGET_PATH = '/share-target';
export const SHARE_CACHE = 'cnn-lens-share';
export const SHARE_KEY = 'shared-image';
