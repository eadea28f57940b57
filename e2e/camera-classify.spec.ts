// Live camera: a dev photo as the fake camera; the top-1 shown must be the photo's class.
import { expect, test } from '@playwright/test';
import { cameraFile, openScene, PHOTOS, readHook, waitForFrames } from './fixtures/scene';

for (const photo of [PHOTOS.garbageTruck, PHOTOS.golfBall, PHOTOS.parachute]) {
  test(`live camera on wasm shows "${photo.label}" as top-1`, async ({ baseURL }) => {
    const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(photo.file) });
    try {
      await expect(page.getByTestId('model-status')).toContainText('ready');
      await expect(page.getByTestId('backend')).toHaveText('wasm');
      await waitForFrames(page, 3);
      await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
      await expect(page.getByTestId('prediction-row')).toHaveCount(5);
      expect((await readHook(page)).lastTop[0].label).toBe(photo.label);
      // Stage timings and FPS are shown; the inference latency is a bare number of ms.
      await expect(page.getByTestId('latency-inference')).toHaveText(/^\d+(\.\d)?$/);
      await expect.poll(async () => Number(await page.getByTestId('fps').textContent())).toBeGreaterThan(0);
      // The model's crop is outlined inside the video.
      const video = (await page.locator('video').boundingBox())!;
      const crop = (await page.getByTestId('crop-outline').boundingBox())!;
      expect(crop.width).toBeGreaterThan(10);
      expect(crop.x).toBeGreaterThanOrEqual(video.x - 1);
      expect(crop.x + crop.width).toBeLessThanOrEqual(video.x + video.width + 1);
      // 320x240 frame: the crop is 227/256 of the short side, a centred square.
      expect(crop.height / video.height).toBeCloseTo(227 / 256, 1);
      await expect(page.getByTestId('camera-select').locator('option')).not.toHaveCount(0);
    } finally {
      await browser.close();
    }
  });
}

test('the first model warms up on the first camera frame, and that run is the first prediction', async ({ baseURL }) => {
  const photo = PHOTOS.golfBall;
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(photo.file) });
  try {
    await waitForFrames(page, 1);
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    const inference = page.workers().find((w) => w.url().includes('inference.worker'))!;
    const marks = Object.fromEntries(
      await inference.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('cnn-lens:')).map((m) => [m.name.slice(9), m.startTime] as const)),
    );
    const first = (await page.evaluate(() => window.__cnnLens!.recentTimings[0]))!;
    // The frame reached the worker before the model was ready (the warm-up ran on it), and its
    // result left with 'ready', not an inference later as a frame sent after 'ready' would.
    expect(marks['first-frame']).toBeLessThan(marks.ready);
    expect(marks['first-result'] - marks.ready).toBeLessThan(first.inference);
    expect(first.postprocess).toBe(0);
    expect(marks['session-wasm']).toBeLessThan(marks['first-frame']);
    // The warm-up frame is preprocessed in the worker (there is no frame before it to overlap).
    expect(first.preprocessedOn).toBe('worker');
    // Start-up order (src/engine/ort-runtime.ts, frame-tensor.ts warm): the preprocessing's one-off
    // costs were paid while the runtime was still on its way, before the first frame; onnxruntime
    // had its glue before the wasm finished compiling, and the session came after both.
    expect(marks['preprocess-warm']).toBeLessThan(marks['first-frame']);
    expect(marks['glue-wasm']).toBeLessThanOrEqual(marks['session-wasm']);
    expect(marks['runtime-wasm']).toBeLessThanOrEqual(marks['session-wasm']);
  } finally {
    await browser.close();
  }
});

// Where live frames are preprocessed follows the device (a core beyond onnxruntime's threads -> the
// page, else the worker; src/engine/preprocess-placement.ts), and `?preprocess=` forces either: both
// paths give the photo's class, and every loop frame reports the path it took.
for (const forced of ['', 'page', 'worker'] as const) {
  test(`live frames are preprocessed where ${forced ? `?preprocess=${forced} says` : 'the device calls for'}`, async ({ baseURL }) => {
    const photo = PHOTOS.garbageTruck;
    const query = `./?backend=wasm${forced ? `&preprocess=${forced}` : ''}`;
    const { browser, page } = await openScene(baseURL!, query, { fakeVideo: cameraFile(photo.file) });
    try {
      await waitForFrames(page, 5);
      const { cores, threads, on } = await page.evaluate(() => ({
        cores: navigator.hardwareConcurrency,
        threads: window.__cnnLens!.ortThreads,
        on: window.__cnnLens!.preprocessOn,
      }));
      expect(on).toBe(forced || (cores > threads ? 'page' : 'worker'));
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(page.getByTestId('preprocess-on')).toHaveText(on === 'page' ? 'on the page, beside inference' : 'in the worker, before inference');
      const loop = (await page.evaluate(() => window.__cnnLens!.recentTimings)).slice(1);
      expect(loop.length).toBeGreaterThanOrEqual(4);
      expect(loop.map((t) => t.preprocessedOn)).toEqual(loop.map(() => on));
      await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    } finally {
      await browser.close();
    }
  });
}

