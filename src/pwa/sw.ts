// The app's service worker (built by vite-plugin-pwa, injectManifest): precaches the app shell, the
// onnxruntime wasm and the default model; adds the production security headers (COOP/COEP, so
// onnxruntime gets its threads, and the CSP) to every response it serves, so the app is
// cross-origin isolated even on a static host that sends no headers; and receives images shared
// to the installed app (Web Share Target).
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
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

// The other built-in models (public/models/<id>/, e.g. MobileNetV2): downloaded on first use, then
// served from this cache, offline too. Only complete (200) responses are kept.
const MODELS_PATH = new URL('models/', self.registration.scope).pathname;
registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.startsWith(MODELS_PATH),
  new CacheFirst({ cacheName: 'cnn-lens-models', plugins: [securityHeadersPlugin] }),
);

// Everything else from our origin (not precached: other models, icons) goes to the network, with
// the same headers added.
setDefaultHandler(new NetworkOnly({ plugins: [securityHeadersPlugin] }));
