import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy, isolationHeaders, securityHeaders } from './src/pwa/security-headers.js';

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

/** The default model, precached so the app classifies offline after one visit. */
const DEFAULT_MODEL_DIR = 'models/squeezenet1_0';

export default defineConfig({
  plugins: [
    svelte(),
    cspMeta(),
    VitePWA({
      strategies: 'generateSW',
      // src/pwa/register.ts registers it with workbox-window and asks the user before updating.
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
        // Made from the real app by scripts/screenshots.ts (committed PNGs); shown by install dialogs.
        screenshots: [
          { src: 'screenshots/narrow.png', sizes: '412x915', type: 'image/png', form_factor: 'narrow', label: 'Live top-5 on a phone' },
          { src: 'screenshots/wide.png', sizes: '1280x800', type: 'image/png', form_factor: 'wide', label: 'Camera, top-5 and a receptive field on a desktop' },
        ],
      },
      includeAssets: ['icons/apple-touch-icon.png'],
      workbox: {
        // App shell, the onnxruntime wasm the worker chunk references (the build emits only the
        // JSEP one, which serves both wasm and WebGPU), and the default model with its manifest.
        globPatterns: ['*.html', 'assets/*.{js,css,wasm}', `${DEFAULT_MODEL_DIR}/model.onnx`, `${DEFAULT_MODEL_DIR}/manifest.json`],
        // The ORT wasm is 28 MB and the model 5 MB; vite-plugin-pwa fails the build past this.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        // Take control of the first visit at once (nothing to replace); updates still wait for
        // the user's click, since skipWaiting stays off.
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  server: { headers: { ...isolationHeaders }, port: 5173 },
  preview: { headers: { ...securityHeaders }, port: 4173 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
