import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { lanHostNames } from './scripts/lib/lan.js';
import { DEFAULT_MODEL_DIR, publicUrlPath, ROOT } from './scripts/lib/paths.js';
import { contentSecurityPolicy, isolationHeaders, netlifyHeaders, securityHeaders } from './src/pwa/security-headers.js';
import { SHARE_TARGET_PATH } from './src/pwa/share-target.js';

const SCREENSHOTS = [
  { src: 'screenshots/narrow.png', sizes: '412x915', type: 'image/png', form_factor: 'narrow' as const, label: 'Live top-5 on a phone' },
  { src: 'screenshots/wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide' as const, label: 'Camera, top-5 and a receptive field on a desktop' },
];

function hasScreenshots(): boolean {
  return SCREENSHOTS.every((s) => existsSync(join(ROOT, 'public', s.src)));
}

/** Puts the CSP into the built index.html too (not in dev: Vite's HMR client needs inline scripts). */
function cspMeta(): Plugin {
  return {
    name: 'cnn-lens:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') }, injectTo: 'head-prepend' },
      ],
    },
  };
}

/**
 * Writes dist/_headers for hosts that read one (Netlify, Cloudflare Pages): the production headers
 * for every path under the base, and the cache rules of docs/deploy.md. Made from
 * src/pwa/security-headers.ts, so it cannot drift from what `vite preview` sends.
 */
function headersFile(): Plugin {
  let base = '/';
  return {
    name: 'cnn-lens:headers-file',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: netlifyHeaders(base) });
    },
  };
}

/** The default model's URL path: its manifest is precached (the model itself is in the app's runtime cache). */
const DEFAULT_MODEL_URL_DIR = publicUrlPath(DEFAULT_MODEL_DIR);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

export default defineConfig({
  // For the device check's report: which build a bug report is about.
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    svelte(),
    cspMeta(),
    headersFile(),
    VitePWA({
      // Our own worker (src/pwa/sw.ts): workbox precaching plus the security headers on every
      // response it serves and the share target; src/pwa/register.ts registers it with
      // workbox-window and asks the user before updating.
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        id: './',
        name: 'CNN Lens',
        short_name: 'CNN Lens',
        description: 'Point your camera at an object: a real ImageNet CNN classifies it live, on your device, and you can look inside every layer.',
        lang: 'en',
        // Relative URLs resolve against the manifest, which sits at the base URL.
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#111418',
        background_color: '#111418',
        categories: ['education', 'utilities'],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Made from the real app by `npm run screenshots` (a build output: they show the model's
        // predictions, so they are never committed); listed only when they exist.
        ...(hasScreenshots() ? { screenshots: SCREENSHOTS } : {}),
        // Share a photo to the installed app (Android): the service worker stores it and opens
        // ./?shared=1 (src/pwa/share-target.ts).
        share_target: {
          action: `.${SHARE_TARGET_PATH}`,
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { files: [{ name: 'image', accept: ['image/*'] }] },
        },
        // Open images and .onnx models with the installed app (desktop).
        file_handlers: [
          {
            action: './',
            accept: {
              'image/jpeg': ['.jpg', '.jpeg'],
              'image/png': ['.png'],
              'image/webp': ['.webp'],
              'application/octet-stream': ['.onnx'],
            },
          },
        ],
      },
      includeAssets: ['icons/apple-touch-icon.png'],
      injectManifest: {
        // One classic script (register.ts registers it with type 'classic').
        rollupFormat: 'iife',
        // The small app shell only. The onnxruntime wasm (14 MB WASM-only or 28 MB WebGPU build) and
        // the models are stored by the app as it downloads them (src/engine/cached-fetch.ts): the
        // precache would download them a second time, and both wasm builds where one is used.
        globPatterns: ['*.html', 'assets/*.{js,css}', `${DEFAULT_MODEL_URL_DIR}/manifest.json`],
        // Hashed file names are their own revision: the install may take them from the HTTP cache
        // the page's first load just filled, instead of downloading them again.
        dontCacheBustURLsMatching: /-[\w-]{8}\.(js|css)$/,
      },
    }),
  ],
  // Host checks let this machine's name and mDNS / home-router names through (IPs and localhost
  // always pass), so a phone reaches `npm run phone` or `vite --host` by name as well.
  server: { headers: { ...isolationHeaders }, port: 5173, allowedHosts: lanHostNames() },
  preview: { headers: { ...securityHeaders }, port: 4173, allowedHosts: lanHostNames() },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
