// The HTTP security headers of the built app, in one place: vite.config.ts serves them in
// `vite preview` and puts the CSP into the built index.html; the service worker (src/pwa/sw.ts)
// adds them to every response it serves; the e2e tests and docs/deploy.md check against them.
// The page's own bundle does not import this.

/**
 * Content-Security-Policy directives (docs/deploy.md explains each).
 * - 'wasm-unsafe-eval' lets onnxruntime compile its WebAssembly and allows no JS eval.
 * - onnxruntime's thread workers load our own worker chunk by URL, so worker-src needs no blob:.
 * - Svelte's compiled CSS is an external stylesheet and its style updates go through the CSSOM,
 *   so style-src needs no 'unsafe-inline'.
 */
export const cspDirectives: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self'",
  'img-src': "'self' blob: data:",
  'media-src': "'self' blob: mediastream:",
  'connect-src': "'self'",
  'style-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

/** Browsers ignore these in a <meta> CSP (frame-ancestors also logs a console error there). */
const HEADER_ONLY = new Set(['frame-ancestors']);

export function contentSecurityPolicy(delivery: 'header' | 'meta'): string {
  return Object.entries(cspDirectives)
    .filter(([name]) => delivery === 'header' || !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** onnxruntime-web's threads need SharedArrayBuffer, i.e. cross-origin isolation. */
export const isolationHeaders: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** What a deployment sends with every response (vite preview does the same). */
export const securityHeaders: Readonly<Record<string, string>> = {
  ...isolationHeaders,
  'Content-Security-Policy': contentSecurityPolicy('header'),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};

/** Cache rules per path (relative to the base URL): docs/deploy.md explains them. */
export const cacheRules: readonly (readonly [path: string, cacheControl: string])[] = [
  ['assets/*', 'public, max-age=31536000, immutable'],
  ['sw.js', 'no-cache'],
  ['index.html', 'no-cache'],
  ['manifest.webmanifest', 'no-cache'],
  ['models/*', 'no-cache'],
];

/** The `_headers` file of Netlify and Cloudflare Pages for a site built with this base URL. */
export function netlifyHeaders(base = '/'): string {
  const block = (path: string, headers: Record<string, string>) =>
    [`${base}${path}`, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
  return `${[block('*', securityHeaders), ...cacheRules.map(([path, value]) => block(path, { 'Cache-Control': value }))].join('\n\n')}\n`;
}
