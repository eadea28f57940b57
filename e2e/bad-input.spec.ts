// Bad input: every refused model file names its problem, and the default model keeps classifying.
// The model files share one page (describe.serial); WebGPU without an adapter gets its own browser.
// Camera errors, non-image uploads and the huge image are in camera-lifecycle / image-input specs,
// each followed there by a classification with the model already loaded.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEFAULT_MODEL_FILE } from '../scripts/lib/paths';
import { tinyModel } from './fixtures/models';
import { cameraFile, devPhoto, openScene, PHOTOS, readHook, waitForFrames } from './fixtures/scene';

const DEFAULT_NAME = 'SqueezeNet v1.0 (Deep Compression, ImageNet)';

/** Uploads a dev photo and waits for a new still result with the expected top-1. */
async function stillClassifies(page: Page, photo: { file: string; label: string }): Promise<void> {
  const before = (await readHook(page)).stills;
  await page.getByTestId('upload-input').setInputFiles(devPhoto(photo.file));
  await expect.poll(async () => (await readHook(page)).stills).toBe(before + 1);
  await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
}

test.describe.serial('bad model files are refused and the default model keeps serving', () => {
  let page: Page;
  /** Requests that could carry a file (anything but GET/HEAD): there must be none. */
  const sent: string[] = [];

  test.beforeAll(async ({ browser }: { browser: Browser }) => {
    page = await browser.newPage();
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.method() !== 'HEAD') sent.push(`${r.method()} ${r.url()}`);
    });
    await page.goto('./?backend=wasm&camera=off');
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await expect(page.getByTestId('model-name')).toHaveText(DEFAULT_NAME);
  });

  test.afterAll(async () => {
    await page?.close();
  });

  const cases: { name: string; file: () => { name: string; buffer: Buffer }; message: RegExp }[] = [
    {
      name: 'a truncated ONNX file',
      file: () => ({ name: 'squeezenet-cut.onnx', buffer: readFileSync(DEFAULT_MODEL_FILE).subarray(0, 1_000_000) }),
      message: /squeezenet-cut\.onnx is truncated: the file ends after 1000000 bytes/,
    },
    {
      name: 'random bytes named .onnx',
      file: () => ({ name: 'random.onnx', buffer: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)) }),
      message: /random\.onnx: the file is not an ONNX model/,
    },
    {
      name: 'an unsupported op (named in the message)',
      file: () => ({ name: 'erf.onnx', buffer: tinyModel({ op: 'Erf' }) }),
      message: /erf\.onnx: .*Erf/,
    },
    {
      name: 'the wrong input rank',
      file: () => ({ name: 'rank2.onnx', buffer: tinyModel({ inputShape: ['N', 64] }) }),
      message: /rank2\.onnx: input "x" has rank 2 \(\[N, 64\]\); a 4-D \[N, 3, H, W\] image input is needed/,
    },
    {
      name: 'a 0-byte file',
      file: () => ({ name: 'empty.onnx', buffer: Buffer.alloc(0) }),
      message: /empty\.onnx is empty \(0 bytes\): not an ONNX model/,
    },
  ];

  for (const [i, c] of cases.entries()) {
    test(`${c.name}: specific message, default model still classifies`, async () => {
      const { name, buffer } = c.file();
      await page.getByTestId('model-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      const error = page.getByTestId('model-error');
      await expect(error).toHaveText(c.message);
      await expect(error).toContainText(`The current model (${DEFAULT_NAME}) is still in use.`);
      await expect(page.getByTestId('model-name')).toHaveText(DEFAULT_NAME);
      await expect(page.getByTestId('model-status')).toContainText('ready');
      // Alternate photos so each check sees a new top-1 come in.
      await stillClassifies(page, i % 2 === 0 ? PHOTOS.golfBall : PHOTOS.parachute);
      expect(sent).toEqual([]);
    });
  }

  test('a bad model dropped on the page goes to the model loader, not the image input', async () => {
    const b64 = tinyModel({ op: 'Erf' }).toString('base64');
    await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'dropped-erf.onnx'));
      // Dropped on an element, as a real drop is: it bubbles up to the window's listeners.
      document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, b64);
    await expect(page.getByTestId('model-error')).toContainText('dropped-erf.onnx');
    await expect(page.getByTestId('model-error')).toContainText('Erf');
    await expect(page.getByTestId('image-error')).toHaveCount(0);
    await stillClassifies(page, PHOTOS.golfBall);
  });
});

test('WebGPU requested without an adapter falls back to wasm with a notice, and classifies', async ({ page }) => {
  // The default browser here has no --enable-unsafe-webgpu: no WebGPU adapter.
  await page.goto('./?backend=webgpu&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await expect(page.getByTestId('backend-notice')).toBeVisible();
  await expect(page.getByTestId('backend-notice')).toContainText(/WebGPU/i);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await stillClassifies(page, PHOTOS.golfBall);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
});

test('URL parameters with values the app does not take: one message each, and the app runs on the defaults', async ({ page }) => {
  await page.goto('./?backend=gpu&preprocess=both&camera=off');
  const notices = page.getByTestId('url-notice');
  await expect(notices).toHaveText([
    'Unknown ?backend=gpu (use auto or wasm or webgpu): the saved backend is in use.',
    'Unknown ?preprocess=both (use page or worker): the device decides where frames are preprocessed.',
  ]);
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await stillClassifies(page, PHOTOS.golfBall);
});

test('onnxruntime’s wasm failing to download: the message names the file and its HTTP status', async ({ page }) => {
  // The session starts while the wasm still compiles (src/engine/ort-runtime.ts): the download's own
  // error must come through, not onnxruntime's abort.
  await page.route(/\.wasm$/, (route) => route.fulfill({ status: 503, body: 'unavailable' }));
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-error')).toHaveText(
    /^onnxruntime \(the inference runtime\) could not be loaded: could not download onnxruntime \S*ort-wasm-simd-threaded\S*\.wasm: HTTP 503\.?$/,
    { timeout: 60_000 },
  );
});

test.describe.serial('limits, extreme images and stale state', () => {
  let page: Page;

  test.beforeAll(async ({ browser }: { browser: Browser }) => {
    page = await browser.newPage();
    await page.goto('./?backend=wasm&camera=off');
    await expect(page.getByTestId('model-status')).toContainText('ready');
  });

  test.afterAll(async () => {
    await page?.close();
  });

  test('a model with a huge static input is refused before any allocation, with its input size and the estimate', async () => {
    await page.getByTestId('model-input').setInputFiles({ name: 'huge-input.onnx', mimeType: 'application/octet-stream', buffer: tinyModel({ inputShape: [1, 3, 16384, 16384] }) });
    const error = page.getByTestId('model-error');
    await expect(error).toContainText('huge-input.onnx needs about');
    await expect(error).toContainText('with its 16384×16384 input');
    await expect(error).toContainText('of activations at once');
    await expect(error).toContainText(`The current model (${DEFAULT_NAME}) is still in use.`);
    await expect(error).not.toContainText(/ERROR_CODE|Integer overflow|allocation failed|\.cc/);
    await expect(page.getByTestId('model-status')).toHaveText(/^ready \(SqueezeNet/);
    await stillClassifies(page, PHOTOS.golfBall);
  });

  test('after two refused models the header still describes the model in use, not an old failure', async () => {
    await page.getByTestId('model-input').setInputFiles({ name: 'erf.onnx', mimeType: 'application/octet-stream', buffer: tinyModel({ op: 'Erf' }) });
    await expect(page.getByTestId('model-error')).toContainText('erf.onnx');
    await page.getByTestId('model-input').setInputFiles({ name: 'empty.onnx', mimeType: 'application/octet-stream', buffer: Buffer.alloc(0) });
    await expect(page.getByTestId('model-error')).toContainText('empty.onnx is empty');
    await expect(page.getByTestId('model-status')).toHaveText(/^ready \(SqueezeNet v1\.0 \(Deep Compression, ImageNet\), warm-up \d+ ms\)$/);
    await stillClassifies(page, PHOTOS.parachute);
  });

  test('a refused image clears the previous results instead of leaving them under a caption that no longer applies', async () => {
    await stillClassifies(page, PHOTOS.golfBall);
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    // A 1x1 PNG: decoded fine, too small to be resized and cropped.
    const onePixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('upload-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: onePixel });
    await expect(page.getByTestId('image-error')).toContainText('1x1');
    await expect(page.getByTestId('prediction-row')).toHaveCount(0);
    await expect(page.getByTestId('predictions-caption')).toHaveText('');
    await stillClassifies(page, PHOTOS.parachute);
  });

  for (const orientation of ['landscape', 'portrait'] as const) {
    test(`a ${orientation} panorama (24000 px long) is cut to the crop before any downscale and classified like its centre`, async () => {
      const jpeg = readFileSync(devPhoto(PHOTOS.golfBall.file)).toString('base64');
      const before = (await readHook(page)).stills;
      // Made in the page: the photo's centre square at 400x400 in the middle of a grey 24000x400 strip.
      await page.evaluate(
        async ({ b64, portrait }) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const photo = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
          const side = Math.min(photo.width, photo.height);
          const canvas = portrait ? new OffscreenCanvas(400, 24000) : new OffscreenCanvas(24000, 400);
          const ctx = canvas.getContext('2d')!;
          ctx.fillStyle = '#777';
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.drawImage(photo, (photo.width - side) / 2, (photo.height - side) / 2, side, side, portrait ? 0 : 11800, portrait ? 11800 : 0, 400, 400);
          const blob = await canvas.convertToBlob({ type: 'image/png' });
          const transfer = new DataTransfer();
          transfer.items.add(new File([blob], 'panorama.png', { type: 'image/png' }));
          window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        { b64: jpeg, portrait: orientation === 'portrait' },
      );
      await expect.poll(async () => (await readHook(page)).stills, { timeout: 60_000 }).toBe(before + 1);
      await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
      const crop = await page.evaluate(() => (window as unknown as { __cnnLens: { lastCrop: { frameWidth: number; frameHeight: number; width: number; height: number } } }).__cnnLens.lastCrop);
      // The worker got the crop's window at full resolution (400 px short side), not a 2048x34 strip.
      expect(Math.min(crop.frameWidth, crop.frameHeight)).toBe(400);
      expect(Math.max(crop.frameWidth, crop.frameHeight)).toBeLessThan(460);
      expect(crop.height).toBeCloseTo((400 * 227) / 256, 0);
      await expect(page.getByTestId('image-error')).toHaveCount(0);
    });
  }
});

test('with the camera live, a refused image stops the camera and clears its results: nothing says "Live" any more', async ({ baseURL }) => {
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.parachute.file) });
  try {
    await waitForFrames(page, 3);
    await expect(page.getByTestId('predictions-caption')).toHaveText(/^Live/);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
    const onePixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('upload-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: onePixel });
    await expect(page.getByTestId('image-error')).toContainText('1x1');
    expect((await readHook(page)).cameraState).not.toBe('live');
    await expect(page.getByTestId('prediction-row')).toHaveCount(0);
    await expect(page.getByTestId('predictions-caption')).not.toContainText('Live');
    // The model still classifies the next image.
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
    await expect(page.getByTestId('predictions-caption')).toHaveText('Image');
  } finally {
    await browser.close();
  }
});
