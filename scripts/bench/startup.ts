// Start-up time and first-visit download, in headless Chromium with the fake camera:
//   startup.cold          page load -> first live prediction, empty profile (first visit)
//   startup.sw            the same after a reload, everything served by the service worker and the
//                         app's runtime cache
//   transfer.first_visit  what the first visit took from the network: every response of the page,
//                         its workers and the service worker (its precache install included), not the
//                         answers the service worker gave from its caches; bytes as the files are,
//                         gzip_bytes as each would travel gzip-compressed; over_unique = gzip bytes /
//                         gzip bytes of the distinct files (1.0: nothing downloaded twice)
//   transfer.model        the model file alone
// The at_*_ms fields say what blocks the first prediction: page-time medians of the page's marks
// (main script, mounted, camera live, engine commit, first prediction shown) and of the inference
// worker's start and its marks (load message, preprocessing warmed, model bytes, runtime glue
// imported, runtime wasm compiled, session, ready, first frame in, first result out).
// The first_*_ms fields are the first prediction's own stages (capture, preprocess, inference,
// postprocess), medians too: with a live camera that prediction is the first model's warm-up run.
// The backend is "auto" as a user gets it (WASM here: no GPU adapter, or a software one).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page, Request, Worker } from '@playwright/test';
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

/** Service worker in control and the runtime cache holding the wasm and the model. */
async function offlineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 120_000 });
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', null, { timeout: 120_000 });
  await page.waitForFunction(
    async () => {
      const keys = (await (await caches.open('cnn-lens-runtime-v1')).keys()).map((r) => new URL(r.url).pathname);
      return keys.some((k) => k.endsWith('.wasm')) && keys.some((k) => k.endsWith('.onnx'));
    },
    null,
    { timeout: 120_000, polling: 250 },
  );
}

/** Start-up phases in page time (ms): the page's marks, the inference worker's start and its marks. */
type Phases = Record<string, number>;

async function phases(page: Page, workers: Worker[]): Promise<Phases> {
  const worker = workers.find((w) => w.url().includes('inference.worker'));
  if (!worker) return {};
  const pageOrigin = await page.evaluate(() => performance.timeOrigin);
  const { origin, marks } = await worker.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('cnn-lens:')).map((m) => [m.name.slice(9), m.startTime] as const),
  }));
  const out: Phases = { worker: origin - pageOrigin };
  for (const [name, t] of marks) out[name] ??= origin - pageOrigin + t;
  const pageMarks = await page.evaluate(() =>
    performance.getEntriesByType('mark').filter((m) => m.name.startsWith('cnn-lens:')).map((m) => [m.name.slice(9), m.startTime] as const),
  );
  for (const [name, t] of pageMarks) out[name] ??= t;
  // The first live frame's own stages (durations, not times): what the first prediction waited on.
  const first = await page.evaluate(() => window.__cnnLens?.recentTimings[0] ?? null);
  if (first) for (const [stage, ms] of Object.entries(first)) if (typeof ms === 'number') out[`first-${stage}-took`] = ms;
  return out;
}

/** Median of each phase over the runs. */
function medianPhases(runs: Phases[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of new Set(runs.flatMap((r) => Object.keys(r)))) {
    const xs = runs.map((r) => r[key]).filter((x) => x !== undefined).sort((a, b) => a - b);
    const name = key.endsWith('-took') ? key.slice(0, -'-took'.length) : `at-${key}`;
    out[`${name.replace(/-/g, '_')}_ms`] = Math.round(xs[Math.floor(xs.length / 2)]);
  }
  return out;
}

interface Fetched {
  path: string;
  raw: number;
  gzip: number;
  byServiceWorker: boolean;
}

const gzipOfFile = new Map<string, { raw: number; gzip: number }>();

/** Raw and gzip size of a served file, read from dist/ (the protocol gives no body for streamed wasm). */
function fileSizes(path: string, base: string): { raw: number; gzip: number } | null {
  let rel = path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = join(DIST_DIR, rel);
  if (!existsSync(file)) return null;
  let sizes = gzipOfFile.get(file);
  if (!sizes) {
    const body = readFileSync(file);
    sizes = { raw: body.byteLength, gzip: gzipSync(body).byteLength };
    gzipOfFile.set(file, sizes);
  }
  return sizes;
}

/**
 * What came from the network: responses with a body on the wire (an HTTP-cache hit or a 304 has
 * none), excluding the page's and workers' requests that the service worker answered.
 */
async function networkFetches(requests: Request[], base: string): Promise<Fetched[]> {
  const out: Fetched[] = [];
  for (const r of requests) {
    const url = new URL(r.url());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const response = await r.response().catch(() => null);
    if (!response || response.fromServiceWorker() || response.status() !== 200) continue;
    const wire = (await r.sizes().catch(() => null))?.responseBodySize ?? 0;
    if (wire <= 0) continue;
    const sizes = fileSizes(decodeURIComponent(url.pathname), base);
    if (!sizes) continue;
    out.push({ path: url.pathname, ...sizes, byServiceWorker: r.serviceWorker() !== null });
  }
  return out;
}

export const startupPart: BenchPart = {
  name: 'startup',
  description: 'start-up (page load to first prediction: empty profile vs service worker) and first-visit download (page + workers + service worker)',
  async run({ quick }) {
    const served = await serveApp();
    const base = new URL(served.url).pathname;
    const y4m = photoToY4m(join(requireDevPhotosDir(), PHOTO_FILE), join(mkdtempSync(join(tmpdir(), 'cnn-lens-bench-')), 'camera.y4m'), 320, 240, 3);
    const url = served.url;
    const cold: number[] = [];
    const warm: number[] = [];
    const coldPhases: Phases[] = [];
    const warmPhases: Phases[] = [];
    let fetched: Fetched[] = [];
    let requestCount = 0;
    let backend = '';
    try {
      for (let i = 0; i < (quick ? 2 : 4); i++) {
        const browser = await launchScene({ fakeVideo: y4m });
        try {
          const context = await browser.newContext();
          const page = await context.newPage();
          const requests: Request[] = [];
          const workers: Worker[] = [];
          page.on('worker', (w) => workers.push(w));
          // The context sees the page's, its workers' and (Chromium) the service worker's requests.
          if (i === 0) context.on('request', (r) => requests.push(r));
          cold.push(await untilFirstPrediction(page, url));
          coldPhases.push(await phases(page, workers));
          await offlineReady(page);
          if (i === 0) {
            // Let the precache install's last responses finish.
            await page.waitForTimeout(500);
            context.removeAllListeners('request');
            requestCount = requests.length;
            fetched = await networkFetches(requests, base);
            backend = await page.evaluate(() => window.__cnnLens?.backend ?? '');
          }
          workers.length = 0;
          warm.push(await untilFirstPrediction(page, url));
          warmPhases.push(await phases(page, workers));
        } finally {
          await browser.close();
        }
      }
    } finally {
      await served.close();
    }
    const sum = (xs: Fetched[], k: 'raw' | 'gzip') => xs.reduce((a, f) => a + f[k], 0);
    const unique = [...new Map(fetched.map((f) => [f.path, f])).values()];
    const model = fetched.filter((f) => f.path.endsWith('.onnx'));
    const twice = [...new Set(fetched.map((f) => f.path).filter((p, i, all) => all.indexOf(p) !== i))];
    const gzip = sum(fetched, 'gzip');
    const rows: BenchRow[] = [
      { ...summarize('startup.cold', cold), backend, note: 'empty profile: page load -> first prediction', ...medianPhases(coldPhases) },
      { ...summarize('startup.sw', warm), backend, note: 'service worker + runtime cache: reload -> first prediction', ...medianPhases(warmPhases) },
      {
        name: 'transfer.first_visit',
        ms_median: 0,
        ms_min: 0,
        ms_max: 0,
        runs: 1,
        bytes: sum(fetched, 'raw'),
        gzip_bytes: gzip,
        gzip_mb: gzip / 1e6,
        unique_gzip_bytes: sum(unique, 'gzip'),
        over_unique: gzip / sum(unique, 'gzip'),
        responses: fetched.length,
        by_service_worker: fetched.filter((f) => f.byServiceWorker).length,
        requests: requestCount,
        wasm: fetched.filter((f) => f.path.endsWith('.wasm')).map((f) => f.path.split('/').at(-1)).join(' '),
        fetched_twice: twice.join(' ') || 'none',
      },
      { name: 'transfer.model', ms_median: 0, ms_min: 0, ms_max: 0, runs: 1, bytes: sum(model, 'raw'), gzip_bytes: sum(model, 'gzip') },
    ];
    return rows;
  },
};
