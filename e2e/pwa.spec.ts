// The installable, offline-capable app: service worker registration, one download of each file, offline start
// and classification, installability, the web manifest and its icons, the update banner's absence
// on a first visit (the update flow itself is unit-tested in src/pwa/update-prompt.test.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { PNG } from 'pngjs';
import config, { chromiumArgs } from '../playwright.config';
import { BUILT_MODELS_DIR, DEFAULT_MODEL_DIR, DEFAULT_MODEL_FILE, publicUrlPath } from '../scripts/lib/paths';
import { devPhoto, PHOTOS } from './fixtures/scene';

const DEFAULT_MODEL = publicUrlPath(DEFAULT_MODEL_FILE);
const DEFAULT_MANIFEST = `${publicUrlPath(DEFAULT_MODEL_DIR)}/manifest.json`;

async function modelReady(page: Page, timeout = 90_000): Promise<void> {
  const status = page.getByTestId('model-status');
  await expect(status).toHaveText(/^(ready|error)/, { timeout }); // fail fast, with the app's message
  await expect(status).toContainText('ready', { timeout: 1 });
}

/** The first visit registers the worker once the model is ready; it then claims the page. */
/** Warnings and errors per page, for the message when the worker does not take control. */
const consoleLog = new WeakMap<Page, string[]>();
test.beforeEach(({ page }) => {
  const lines: string[] = [];
  consoleLog.set(page, lines);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') lines.push(`${m.type()}: ${m.text()}`);
  });
});

async function waitForControl(page: Page, timeout = 90_000): Promise<void> {
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout });
  } catch (err) {
    const state = await page.evaluate(() => document.documentElement.dataset.serviceWorker).catch(() => 'unknown');
    throw new Error(`the service worker did not take control (data-service-worker=${state}; console: ${consoleLog.get(page)?.join(' | ')}): ${(err as Error).message}`);
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Bytes received (bodies, as sent: compressed where the server compressed) by these requests. */
async function transferred(requests: Request[]): Promise<string> {
  const sizes = await Promise.all(requests.map(async (r) => (await r.sizes().catch(() => null))?.responseBodySize ?? 0));
  return `${mib(sizes.reduce((a, b) => a + Math.max(0, b), 0))} in ${requests.length} requests (page, workers, service worker)`;
}

function report(figure: string): void {
  test.info().annotations.push({ type: 'figure', description: figure });
  console.log(figure);
}

/** URLs (relative to the base) in the generated service worker's precache manifest. */
async function precacheUrls(request: APIRequestContext): Promise<string[]> {
  const sw = await (await request.get('sw.js')).text();
  return [...sw.matchAll(/\burl"?:"([^"]+)"/g)].map((m) => m[1]);
}

test('first visit: the service worker registers and takes control; each big file is downloaded once, the WASM-only runtime, kept in the runtime cache; the precache is the small shell; no update banner', async ({ page, context, request }) => {
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  await page.goto('./?backend=wasm');
  await modelReady(page);
  await waitForControl(page);
  await expect(page.locator('html')).toHaveAttribute('data-service-worker', 'registered');
  // The answer to navigator.storage.persist() is recorded (headless Chromium says no).
  await expect(page.locator('html')).toHaveAttribute('data-storage-persisted', /^(granted|denied|unsupported)$/);
  expect(await page.evaluate(() => window.__cnnLensPwa?.status.storagePersisted)).toMatch(/^(granted|denied|unsupported)$/);
  await expect(page.getByTestId('update-banner')).toHaveCount(0);

  // Precache: the app shell and the default model's manifest; no wasm, no model.
  const urls = await precacheUrls(request);
  expect(urls).toEqual(expect.arrayContaining(['index.html', DEFAULT_MANIFEST, 'manifest.webmanifest']));
  expect(urls.some((u) => /^assets\/inference\.worker-.*\.js$/.test(u))).toBe(true);
  expect(urls.filter((u) => u.endsWith('.wasm') || u.endsWith('.onnx'))).toEqual([]);

  // Network requests (the page's, its workers' and the service worker's own; not the answers the
  // service worker gave from its cache) for the big files: one each, and the runtime is WASM-only.
  const network = requests.filter((r) => !r.url().startsWith('data:'));
  const fromNetwork = await Promise.all(network.map(async (r) => !(await r.response())?.fromServiceWorker()));
  const big = network.filter((r, i) => fromNetwork[i] && /\.(wasm|onnx)$/.test(new URL(r.url()).pathname)).map((r) => new URL(r.url()).pathname.slice(1));
  const wasm = big.filter((p) => p.endsWith('.wasm'));
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/); // not the 28 MB .jsep one
  expect(big.filter((p) => p === DEFAULT_MODEL)).toHaveLength(1);

  // Everything precached is in the precache, and the runtime cache holds the wasm and the model.
  const cached = await page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((req) => new URL(req.url).pathname.slice(1));
    return out;
  });
  const all = Object.values(cached).flat();
  for (const url of urls) expect(all.some((c) => c === url), `${url} precached`).toBe(true);
  await expect
    .poll(async () => (await page.evaluate(async () => (await (await caches.open('cnn-lens-runtime-v1')).keys()).map((req) => new URL(req.url).pathname.slice(1)))).sort())
    .toEqual([DEFAULT_MODEL, wasm[0]].sort());

  let precacheBytes = 0;
  for (const url of urls) precacheBytes += Number((await request.head(url)).headers()['content-length'] ?? 0);
  report(`precache: ${urls.length} entries, ${mib(precacheBytes)}`);
  report(`first visit, incognito: ${await transferred(requests)}`);
});

test('offline after one visit: the app starts, stays cross-origin isolated and classifies an upload', async ({ page, context }) => {
  await page.goto('./?backend=wasm');
  await modelReady(page);
  await waitForControl(page);

  await context.setOffline(true);
  const failed: string[] = [];
  context.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await modelReady(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.church.file));
  await expect(page.getByTestId('top1-label')).toContainText('church');
  expect(failed).toEqual([]);
});

test('a model picked after the first visit (MobileNetV2) is kept on first use: offline it starts again and classifies', async ({ page, context }) => {
  test.skip(!existsSync(join(BUILT_MODELS_DIR, 'mobilenet_v2', 'model.onnx')), 'MobileNetV2 is not built (npm run model)');
  await page.goto('./?backend=wasm&camera=off');
  await modelReady(page);
  await waitForControl(page);
  await page.goto('./?model=mobilenet_v2&backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('MobileNetV2', { timeout: 90_000 });
  await modelReady(page);
  // Stored as it was downloaded, keyed by its sha256; one runtime wasm beside both models.
  await expect
    .poll(async () => (await page.evaluate(async () => (await (await caches.open('cnn-lens-runtime-v1')).keys()).map((r) => new URL(r.url).pathname))).filter((p) => p.endsWith('.onnx')).length)
    .toBe(2);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('model-status')).toContainText('MobileNetV2', { timeout: 90_000 });
  await modelReady(page);
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
});

test("the update banner: a 'waiting' event from workbox-window shows it, Later hides it, Reload reloads", async ({ page }) => {
  // A real second deployment needs a second build (too slow here); the logic is unit-tested in
  // src/pwa/update-prompt.test.ts. This drives the mounted banner through the real Workbox
  // instance's event target, as workbox-window does when a new worker is installed and waiting.
  await page.goto('./?backend=wasm');
  await modelReady(page);
  await waitForControl(page);
  const announceWaiting = () =>
    page.evaluate(() => {
      const updates = window.__cnnLensPwa?.updates as unknown as { source: { dispatchEvent(e: object): void } };
      updates.source.dispatchEvent({ type: 'waiting', isUpdate: true });
    });
  await announceWaiting();
  const banner = page.getByTestId('update-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Update available');
  await page.getByTestId('update-later').click();
  await expect(banner).toHaveCount(0);

  await announceWaiting();
  await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
  await page.getByTestId('update-reload').click();
  // No worker is really waiting, so no takeover comes: the prompt reloads after its 10 s timeout.
  await page.waitForFunction(() => !(window as unknown as { beforeUpdate?: boolean }).beforeUpdate, null, { timeout: 30_000 });
  await modelReady(page);
  await expect(banner).toHaveCount(0);
});

test('installable: Page.getInstallabilityErrors is empty in a persistent context', async ({ baseURL }) => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'cnn-lens-install-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: config.use?.launchOptions?.executablePath,
    args: chromiumArgs,
    headless: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: Request[] = [];
    context.on('request', (r) => requests.push(r));
    await page.goto(`${baseURL}?backend=wasm`);
    await modelReady(page);
    await waitForControl(page);
    // A real profile: the worker registers after the model loaded, so its precache finds the
    // hashed shell files in the HTTP cache instead of downloading them a second time.
    report(`first visit, persistent profile: ${await transferred(requests)}`);
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId), { timeout: 30_000 })
      .toEqual([]);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('the web manifest has the required fields, and its icons are PNGs of the declared sizes', async ({ request }) => {
  const html = await (await request.get('./')).text();
  const href = /<link rel="manifest" href="([^"]+)"/.exec(html)?.[1];
  expect(href).toBeTruthy();
  const response = await request.get(href!.replace(/^\//, ''));
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'CNN Lens',
    short_name: expect.any(String),
    description: expect.any(String),
    display: 'standalone',
    start_url: './',
    scope: './',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
  });
  expect(manifest.short_name.length).toBeLessThanOrEqual(12); // fits under a home-screen icon

  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  const check = async (src: string, size: number) => {
    const png = PNG.sync.read(await (await request.get(src)).body());
    expect([png.width, png.height], src).toEqual([size, size]);
  };
  for (const icon of icons) {
    expect(icon.type).toBe('image/png');
    await check(icon.src, Number(icon.sizes.split('x')[0]));
  }
  const any = icons.filter((i) => (i.purpose ?? 'any').split(' ').includes('any')).map((i) => i.sizes);
  expect(any).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.some((i) => i.purpose?.split(' ').includes('maskable') && i.sizes === '512x512')).toBe(true);

  const touch = /<link rel="apple-touch-icon" href="\/([^"]+)"/.exec(html)?.[1];
  expect(touch).toBeTruthy();
  await check(touch!, 180);
});
