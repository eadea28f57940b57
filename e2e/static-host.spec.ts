// Hosts that send no headers (GitHub Pages and the like): the service worker adds COOP/COEP, so after
// one automatic reload the app is cross-origin isolated and onnxruntime runs several threads, as the
// device check shows. And the build under a sub-path (--base /cnn-lens/) loads, registers its
// service worker in that scope and classifies.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'vite';
import { DIST_DIR, ROOT } from '../scripts/lib/paths';
import { ISOLATION_RELOAD_KEY } from '../src/pwa/isolation-reload';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';
import { serveStatic, type StaticServer } from './fixtures/static-server';

async function modelReady(page: Page): Promise<void> {
  const status = page.getByTestId('model-status');
  await expect(status).toHaveText(/^(ready|error)/, { timeout: 120_000 });
  await expect(status).toContainText('ready', { timeout: 1 });
}

async function isolatedAfterServiceWorker(page: Page): Promise<void> {
  // First load: no headers, so not isolated; the worker registers once the model is ready, claims
  // the page, and the page reloads itself once.
  await page.waitForFunction(() => window.crossOriginIsolated && Boolean(navigator.serviceWorker.controller), null, { timeout: 180_000 });
  await modelReady(page);
}

test.describe('a static host with no headers', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveStatic(DIST_DIR);
  });
  test.afterAll(async () => server.close());

  test('the service worker makes the page cross-origin isolated after one reload, with more than one onnxruntime thread in the device check', async ({ page }) => {
    const response = await page.goto(`${server.url}?backend=wasm&camera=off`);
    expect(response!.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
    let loads = 0;
    page.on('load', () => loads++);

    await isolatedAfterServiceWorker(page);
    expect(loads).toBe(1); // exactly one automatic reload
    expect(await page.evaluate((key) => sessionStorage.getItem(key), ISOLATION_RELOAD_KEY)).not.toBeNull();
    // The document itself now comes from the worker with the headers added.
    const headers = await page.evaluate(async () => Object.fromEntries((await fetch(location.href)).headers));
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");

    await page.getByRole('button', { name: 'Settings' }).click();
    const check = page.getByTestId('device-check');
    await expect(check.getByTestId('check-isolated')).toHaveAttribute('data-ok', 'true');
    await expect(check.getByTestId('check-secure-context')).toHaveAttribute('data-ok', 'true');
    await expect(check.getByTestId('check-backend')).toContainText('wasm');
    const threads = await check.getByTestId('check-threads').textContent();
    const running = Number(/(\d+) running/.exec(threads ?? '')?.[1]);
    expect(running, threads ?? '').toBeGreaterThan(1);

    // A further reload stays isolated and does not reload again (no loop).
    await page.reload();
    await modelReady(page);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(loads).toBe(2);
  });

  test('without the service worker the page stays unisolated, and the device check shows the one thread onnxruntime really got', async ({ browser }) => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.url}?backend=wasm&camera=off`);
    await modelReady(page);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
    const asked = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)));
    await page.getByRole('button', { name: 'Settings' }).click();
    const check = page.getByTestId('device-check');
    await expect(check.getByTestId('check-isolated')).toHaveAttribute('data-ok', 'false');
    await expect(check.getByTestId('check-threads')).toContainText(`1 running (asked for ${asked};`);
    await context.close();
  });

  test('a shared image is stored by the service worker and the app is sent to ?shared=1', async ({ page }) => {
    await page.goto(`${server.url}?backend=wasm&camera=off`);
    await isolatedAfterServiceWorker(page);
    const jpeg = readFileSync(devPhoto(PHOTOS.church.file));
    // The share target's POST, as Android's share sheet sends it, from inside the controlled page.
    const stored = await page.evaluate(async (bytes) => {
      const form = new FormData();
      form.append('image', new File([new Uint8Array(bytes)], 'church.jpg', { type: 'image/jpeg' }));
      const response = await fetch('./share-target', { method: 'POST', body: form });
      const cached = await (await caches.open('cnn-lens-share')).match('shared-image');
      return { url: response.url, redirected: response.redirected, type: cached?.headers.get('content-type'), size: (await cached?.arrayBuffer())?.byteLength };
    }, [...jpeg]);
    expect(stored.redirected).toBe(true);
    expect(new URL(stored.url).search).toBe('?shared=1');
    expect(stored.type).toBe('image/jpeg');
    expect(stored.size).toBe(jpeg.byteLength);
  });
});

test('the build under a sub-path (--base /cnn-lens/) classifies, with its manifest scope and service worker under the prefix', async ({ page }) => {
  test.setTimeout(300_000);
  const outDir = mkdtempSync(join(tmpdir(), 'cnn-lens-subpath-'));
  await build({ root: ROOT, base: '/cnn-lens/', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await serveStatic(outDir, '/cnn-lens/');
  try {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}?backend=wasm&camera=off`);
    // The service worker registers in the sub-path's scope and isolates the page there too.
    await isolatedAfterServiceWorker(page);
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
    await expect.poll(async () => (await readHook(page)).lastTop[0]?.label, { timeout: 60_000 }).toBe(PHOTOS.golfBall.label);

    // Nothing was asked for outside the prefix: workers, wasm, model and manifest all resolve under it.
    expect(requests.filter((p) => !p.startsWith('/cnn-lens/'))).toEqual([]);
    expect(requests).toEqual(expect.arrayContaining(['/cnn-lens/models/squeezenet1_0/model.onnx']));
    expect(requests.some((p) => /^\/cnn-lens\/assets\/.*\.wasm$/.test(p))).toBe(true);
    const manifest = (await (await page.request.get(`${server.url}manifest.webmanifest`)).json()) as { scope: string; start_url: string };
    expect(new URL(manifest.scope, server.url).pathname).toBe('/cnn-lens/');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/cnn-lens/');
  } finally {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
});
