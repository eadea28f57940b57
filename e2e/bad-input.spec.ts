// Bad input: every refused model file names its problem, and the default model keeps classifying.
// The model files share one page (describe.serial); WebGPU without an adapter gets its own browser.
// Camera errors, non-image uploads and the huge image are in camera-lifecycle / image-input specs,
// each followed there by a classification with the model already loaded.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEFAULT_MODEL_FILE } from '../scripts/lib/paths';
import { tinyModel } from './fixtures/models';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';

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
