// MobileNetV2 (converted from TensorFlow Lite by `npm run model`) opened with ?model=: it
// classifies a photo with its own preprocessing, and the inspector shows a depthwise layer, the
// model summary and agreement with onnxruntime.
import { expect, test } from '@playwright/test';
import { cameraFile, devPhoto, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

test('?model=mobilenet_v2 classifies, and the inspector shows its depthwise layers in parity with onnxruntime', async ({ page }) => {
  await page.goto('./?model=mobilenet_v2&backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('MobileNetV2', { timeout: 60_000 });
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('inspector-toggle').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('3489097');
  await page.getByTestId('layer-select').selectOption('block1/depthwise');
  // TensorFlow's SAME padding on an even size: no pad before, one after.
  await expect(page.getByText('(112 − 3 + 0 + 1) / 2 + 1 = 56').first()).toBeVisible();
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
  // block1's depthwise 3x3 runs on the 96 channels its expansion made (16 x 6).
  await expect(page.getByTestId('feature-grid')).toHaveAttribute('data-channels', '96');
  await expect(page.getByTestId('parity-top1')).toHaveText('agree', { timeout: 90_000 });
  expect(Number(await page.getByTestId('parity-maxdiff').textContent())).toBeLessThan(1e-3);
  expect(Number(await page.getByTestId('parity-layer-maxdiff').textContent())).toBeLessThan(1e-3);
});

test('?model=mobilenet_v2 on the live camera: its central-fraction crop, resized by the browser, classifies the frames', async ({ baseURL }) => {
  const { browser, page } = await openScene(baseURL!, './?model=mobilenet_v2&backend=wasm', { fakeVideo: cameraFile(PHOTOS.parachute.file) });
  try {
    await expect(page.getByTestId('model-status')).toContainText('MobileNetV2', { timeout: 60_000 });
    await waitForFrames(page, 3);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  } finally {
    await browser.close();
  }
});
