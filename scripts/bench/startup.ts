// Cold start and transfer size, in headless Chromium with the fake camera:
//   startup.cold   page load -> first live prediction, empty cache (first visit)
//   startup.sw     the same after a reload served by the service worker's precache
//   transfer.*     bytes a first visit downloads (each response gzip-compressed, as a server
//                  would send it), and the model alone
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { launchScene } from '../lib/browser.js';
import { requireDevPhotosDir } from '../lib/dev-photos.js';
import { DIST_DIR } from '../lib/paths.js';
import { serveApp } from '../lib/preview.js';
import { photoToY4m } from '../lib/y4m.js';
import { summarize, type BenchPart, type BenchRow } from './types.js';

/** A dev photo of a garbage truck: the fake camera's scene. */
const PHOTO_FILE = 'n03417042/ILSVRC2012_val_00001144.JPEG';

async function untilFirstPrediction(page: Page, url: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => (window.__cnnLens?.frames ?? 0) >= 1, null, { timeout: 180_000 });
  return Date.now() - t0;
}

export const startupPart: BenchPart = {
  name: 'startup',
  description: 'cold start (page load to first prediction, empty cache vs service worker) and first-visit transfer size',
  async run({ quick }) {
    const served = await serveApp();
    const y4m = photoToY4m(join(requireDevPhotosDir(), PHOTO_FILE), join(mkdtempSync(join(tmpdir(), 'cnn-lens-bench-')), 'camera.y4m'), 320, 240, 3);
    const url = `${served.url}?backend=wasm`;
    const cold: number[] = [];
    const warm: number[] = [];
    let raw = 0;
    let gzip = 0;
    let modelRaw = 0;
    let modelGzip = 0;
    let requests = 0;
    try {
      for (let i = 0; i < (quick ? 2 : 4); i++) {
        const browser = await launchScene({ fakeVideo: y4m });
        try {
          const context = await browser.newContext();
          const page = await context.newPage();
          const bodies: Promise<void>[] = [];
          if (i === 0) {
            // Workers' requests (model, wasm) show on the context, not the page.
            context.on('response', (response) => {
              bodies.push(
                response
                  .body()
                  // Streamed wasm compiles give no body to the protocol: read the served file instead.
                  .catch(() => readFileSync(join(DIST_DIR, new URL(response.url()).pathname)))
                  .then(
                  (body) => {
                    requests++;
                    raw += body.byteLength;
                    const z = gzipSync(body).byteLength;
                    gzip += z;
                    if (response.url().endsWith('.onnx')) {
                      modelRaw += body.byteLength;
                      modelGzip += z;
                    }
                  },
                  () => undefined,
                ),
              );
            });
          }
          cold.push(await untilFirstPrediction(page, url));
          await Promise.all(bodies);
          context.removeAllListeners('response');
          // Wait for the service worker to take control, then measure a reload from its cache.
          await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 120_000 });
          await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', null, { timeout: 120_000 });
          warm.push(await untilFirstPrediction(page, url));
        } finally {
          await browser.close();
        }
      }
    } finally {
      await served.close();
    }
    const rows: BenchRow[] = [
      { ...summarize('startup.cold', cold), note: 'empty cache: page load -> first prediction' },
      { ...summarize('startup.sw', warm), note: 'service worker cache: reload -> first prediction' },
      { name: 'transfer.first_visit', ms_median: 0, ms_min: 0, ms_max: 0, runs: 1, bytes: raw, gzip_bytes: gzip, requests },
      { name: 'transfer.model', ms_median: 0, ms_min: 0, ms_max: 0, runs: 1, bytes: modelRaw, gzip_bytes: modelGzip },
    ];
    return rows;
  },
};
