// The app's service worker (built by vite-plugin-pwa, injectManifest): precaches the small app shell
// (HTML, JS, CSS, icons, the default model's manifest); the big files (the onnxruntime wasm this
// device uses, the models) are stored by the app itself as it downloads them
// (src/engine/cached-fetch.ts), so a first visit downloads each once. Adds the production security headers (COOP/COEP, so
// onnxruntime gets its threads, and the CSP) to every response it serves, so the app is
// cross-origin isolated even on a static host that sends no headers; and receives images shared
// to the installed app (Web Share Target).
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { securityHeaders } from './security-headers';
import { SHARE_CACHE, SHARE_KEY, SHARE_TARGET_PATH } from './share-target';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** The response with the production security headers set; opaque (cross-origin) ones cannot be touched. */
function withSecurityHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(securityHeaders)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const securityHeadersPlugin = {
  handlerWillRespond: async ({ response }: { response: Response }) => withSecurityHeaders(response),
};

// A new version waits for the user's "Reload" (src/pwa/update-prompt.ts sends SKIP_WAITING); the
// first install takes control of the open page at once.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();

addPlugins([securityHeadersPlugin]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

/** Web Share Target: store the first shared file, then send the app to `./?shared=1` to pick it up. */
registerRoute(
  ({ url, request }) => request.method === 'POST' && url.origin === self.location.origin && url.pathname.endsWith(SHARE_TARGET_PATH),
  async ({ request }) => {
    const form = await request.formData();
    const file = form.getAll('image').find((v): v is File => typeof v !== 'string');
    const scope = self.registration.scope;
    if (!file) return Response.redirect(new URL('./', scope).href, 303);
    const cache = await caches.open(SHARE_CACHE);
    await cache.put(new URL(SHARE_KEY, scope).href, new Response(file, { headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name) } }));
    return Response.redirect(new URL('./?shared=1', scope).href, 303);
  },
  'POST',
);

// Model manifests (JSON, a few kB) other than the precached default: network first, so a redeployed
// model is seen, with the last copy for offline starts. Their model files are in the app's runtime cache.
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.endsWith('/manifest.json') && url.pathname.includes('/models/'),
  new NetworkFirst({ cacheName: 'cnn-lens-model-manifests', plugins: [securityHeadersPlugin] }),
);

// Everything else from our origin (not precached: other models, icons) goes to the network, with
// the same headers added.
setDefaultHandler(new NetworkOnly({ plugins: [securityHeadersPlugin] }));
