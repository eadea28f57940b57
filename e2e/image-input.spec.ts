// Image input (no fake camera: the default browser denies the camera).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cameraFile, devPhoto, openScene, PHOTOS, readHook } from './fixtures/scene';

test('camera permission denied: camera-error explains it and upload still classifies', async ({ baseURL }) => {
  // A camera exists but nobody accepts the prompt and the context has no camera permission.
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.parachute.file), acceptCamera: false });
  try {
    await expect(page.getByTestId('camera-error')).toContainText('permission was denied');
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    expect((await readHook(page)).stills).toBe(1);
  } finally {
    await browser.close();
  }
});

test('no camera and a busy camera get their own messages', async ({ page }) => {
  for (const [name, text] of [
    ['NotFoundError', 'No camera was found'],
    ['NotReadableError', 'in use by another app'],
  ]) {
    await page.addInitScript((n) => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('simulated', n));
    }, name);
    await page.goto('./?backend=wasm');
    await expect(page.getByTestId('camera-error')).toContainText(text);
    // Without a camera the loaded model still classifies photos.
    await expect(page.getByTestId('model-status')).toContainText('ready');
    const photo = name === 'NotFoundError' ? PHOTOS.golfBall : PHOTOS.parachute;
    await page.getByTestId('upload-input').setInputFiles(devPhoto(photo.file));
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
  }
});

test('a non-image file and a broken image get clear messages; the app stays usable', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  const upload = page.getByTestId('upload-input');
  await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByTestId('image-error')).toContainText('is not an image');
  await upload.setInputFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a jpeg') });
  await expect(page.getByTestId('image-error')).toContainText('could not be decoded');
  await upload.setInputFiles(devPhoto(PHOTOS.parachute.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  await expect(page.getByTestId('image-error')).toHaveCount(0);
});

test('a huge 8000x6000 image, dropped on the page, is downscaled and classified', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  const jpeg = readFileSync(devPhoto(PHOTOS.golfBall.file)).toString('base64');
  // Made in the page: an 8000x6000 JPEG of the photo, dropped as a file.
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const photo = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const canvas = new OffscreenCanvas(8000, 6000);
    canvas.getContext('2d')!.drawImage(photo, 0, 0, 8000, 6000);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'huge.jpg', { type: 'image/jpeg' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, jpeg);
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
  const crop = await page.evaluate(() => window.__cnnLens!.lastCrop);
  // Sent to the worker at 2048x1536; the crop is 227/256 of the short side.
  expect(crop).toMatchObject({ frameWidth: 2048, frameHeight: 1536 });
  expect(crop!.height / 1536).toBeCloseTo(227 / 256, 3);
  await expect(page.getByTestId('upload-input')).toBeEnabled();
  // And the next, ordinary photo is classified as usual.
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.parachute.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  await expect(page.getByTestId('image-error')).toHaveCount(0);
});
