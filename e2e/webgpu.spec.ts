// WebGPU through SwiftShader (software: slow, proves correctness not speed), and "auto" refusing it.
import { expect, test } from '@playwright/test';
import { cameraFile, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

test('with --enable-unsafe-webgpu the app runs webgpu when forced (?backend=webgpu) and gives the same top-1', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const photo = PHOTOS.garbageTruck;
  const { browser, page } = await openScene(baseURL!, './?backend=webgpu', { fakeVideo: cameraFile(photo.file), webgpu: true });
  try {
    await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 150_000 });
    await expect(page.getByTestId('backend')).toHaveText('webgpu');
    await expect(page.getByTestId('backend-reason')).toHaveText(/^WebGPU: chosen in settings/);
    await waitForFrames(page, 2, 150_000);
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    await expect(page.getByTestId('backend')).toHaveText('webgpu');
  } finally {
    await browser.close();
  }
});

test('auto never takes the software (SwiftShader) adapter: it runs WASM and says why in the header and the device check', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const photo = PHOTOS.garbageTruck;
  const { browser, page } = await openScene(baseURL!, './', { fakeVideo: cameraFile(photo.file), webgpu: true });
  try {
    await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 150_000 });
    // The adapter really exists here (else the reason would be "no adapter"), and is refused.
    expect(await page.evaluate(async () => (await (navigator as Navigator & { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter()) !== null)).toBe(true);
    await expect(page.getByTestId('backend')).toHaveText('wasm');
    const why = /^WASM: WebGPU adapter is (a software fallback|software \(.+\))$/;
    await expect(page.getByTestId('backend-reason')).toHaveText(why);
    await waitForFrames(page, 2, 150_000);
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('device-check').getByTestId('check-backend')).toContainText(/wasm \(WASM: WebGPU adapter is (a software fallback|software)/);
  } finally {
    await browser.close();
  }
});
