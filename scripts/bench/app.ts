// The app's own overhead, measured in headless Chromium in one run (npm run bench -- app, or
// npx tsx scripts/bench/app.ts [--quick] [webgpu] [--resize-js]):
//   app.bare       bare session.run in the inference worker on a fixed tensor (same session, backend, threads)
//   app.inference  the app's per-frame inference time in the live camera loop (fake camera)
//   app.frame      the app's whole per-frame time: capture + preprocess + inference + postprocess
//   app.fps        end-to-end FPS of the live loop
// Targets: app inference <= 1.10 x bare; FPS >= 0.9 x 1000 / inference ms.
// Bare runs and live windows alternate, so a busy machine slows both alike.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { launchScene } from '../lib/browser';
import { requireDevPhotosDir } from '../lib/dev-photos';
import { serveApp } from '../lib/preview';
import { photoToY4m } from '../lib/y4m';
import { summarize, type BenchOptions, type BenchPart, type BenchRow } from './types';

/** A dev photo of a garbage truck: the fake camera's scene. */
const PHOTO_FILE = 'n03417042/ILSVRC2012_val_00001144.JPEG';

const hook = (page: Page) => ({
  frames: () => page.evaluate(() => window.__cnnLens!.frames),
  recent: () => page.evaluate(() => window.__cnnLens!.recentTimings),
  bare: (runs: number) => page.evaluate((n) => window.__cnnLens!.benchBare(n, 2), runs),
  freeze: () => page.getByTestId('freeze').click(),
});

const median = (xs: number[]) => summarize('', xs).ms_median;

export async function benchApp(options: BenchOptions, backend: 'wasm' | 'webgpu' = 'wasm', query = ''): Promise<BenchRow[]> {
  const rounds = options.quick ? 2 : 4;
  const windowMs = options.quick ? 3000 : 5000;
  const bareRuns = options.quick ? 8 : 15;
  const y4m = photoToY4m(join(requireDevPhotosDir(), PHOTO_FILE), join(mkdtempSync(join(tmpdir(), 'cnn-lens-bench-')), 'camera.y4m'), 320, 240, 3);
  const served = await serveApp();
  const browser = await launchScene({ fakeVideo: y4m, webgpu: backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    await page.goto(`${served.url}?backend=${backend}${query}`);
    await page.waitForFunction(() => window.__cnnLens!.frames >= 5, null, { timeout: 180_000 });
    const ran = await page.evaluate(() => window.__cnnLens!.backend);
    const h = hook(page);
    const bare: number[] = [];
    const inference: number[] = [];
    const frame: number[] = [];
    const fps: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Live window: count frames over wall time, keep the per-frame stage timings.
      const f0 = await h.frames();
      const t0 = performance.now();
      await page.waitForTimeout(windowMs);
      const f1 = await h.frames();
      const t1 = performance.now();
      const recent = (await h.recent()).slice(-(f1 - f0));
      fps.push(((f1 - f0) * 1000) / (t1 - t0));
      for (const t of recent) {
        inference.push(t.inference);
        frame.push(t.capture + t.preprocess + t.inference + t.postprocess);
      }
      // Bare window: the live loop is frozen, the same worker times session.run alone.
      await h.freeze();
      bare.push(...(await h.bare(bareRuns)));
      await h.freeze();
      await page.waitForTimeout(300);
    }
    // The same live loop with the layer inspector open on conv1 (the reference engine runs in its
    // own worker on every frame it can take).
    const fpsInspector: number[] = [];
    await page.getByTestId('inspector-toggle').click();
    await page.getByTestId('layer-select').selectOption('conv1', { timeout: 120_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="feature-grid"]')?.getAttribute('data-channels')) > 0, null, { timeout: 180_000 });
    for (let r = 0; r < rounds; r++) {
      const f0 = await h.frames();
      const t0 = performance.now();
      await page.waitForTimeout(windowMs);
      fpsInspector.push((((await h.frames()) - f0) * 1000) / (performance.now() - t0));
    }
    const bareRow = { ...summarize(`app.bare.${ran}`, bare), backend: ran };
    const infRow = summarize(`app.inference.${ran}`, inference);
    const ratio = infRow.ms_median / bareRow.ms_median;
    const fpsMedian = median(fps);
    const fpsTarget = (0.9 * 1000) / infRow.ms_median;
    return [
      bareRow,
      { ...infRow, vs_bare: Number(ratio.toFixed(3)), target: '<= 1.10', pass: ratio <= 1.1 },
      { ...summarize(`app.frame.${ran}`, frame), note: 'capture + preprocess + inference + postprocess' },
      {
        name: `app.fps.${ran}`,
        ms_median: 1000 / fpsMedian,
        ms_min: 1000 / Math.max(...fps),
        ms_max: 1000 / Math.min(...fps),
        runs: fps.length,
        fps: Number(fpsMedian.toFixed(2)),
        fps_target: Number(fpsTarget.toFixed(2)),
        fps_vs_ideal: Number((fpsMedian / (1000 / infRow.ms_median)).toFixed(3)),
        pass: fpsMedian >= fpsTarget,
      },
      {
        name: `app.fps.inspector.${ran}`,
        ms_median: 1000 / median(fpsInspector),
        ms_min: 1000 / Math.max(...fpsInspector),
        ms_max: 1000 / Math.min(...fpsInspector),
        runs: fpsInspector.length,
        fps: Number(median(fpsInspector).toFixed(2)),
        vs_without: Number((median(fpsInspector) / fpsMedian).toFixed(3)),
        target: '>= 0.80',
        pass: median(fpsInspector) >= 0.8 * fpsMedian,
      },
    ];
  } finally {
    await browser.close();
    await served.close();
  }
}

export const appBench: BenchPart = {
  name: 'app',
  description: 'the app in headless Chromium: bare session.run vs per-frame inference, end-to-end FPS (fake camera)',
  run: (options) => benchApp(options),
};

export default appBench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const backend = process.argv.includes('webgpu') ? 'webgpu' : 'wasm';
  // --resize-js: live frames take the exact JavaScript resize instead of the browser's (for comparison).
  benchApp({ quick }, backend, process.argv.includes('--resize-js') ? '&resize=js' : '')
    .then((rows) => {
      for (const row of rows) console.log(JSON.stringify(row));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
