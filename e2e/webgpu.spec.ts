// WebGPU through SwiftShader (software: slow, proves correctness not speed).
import { expect, test } from '@playwright/test';
import { cameraFile, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

test('with --enable-unsafe-webgpu the app runs webgpu and gives the same top-1', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const photo = PHOTOS.garbageTruck;
  const { browser, page } = await openScene(baseURL!, './?backend=webgpu', { fakeVideo: cameraFile(photo.file), webgpu: true });
  try {
    await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 150_000 });
    await expect(page.getByTestId('backend')).toHaveText('webgpu');
    await waitForFrames(page, 2, 150_000);
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    await expect(page.getByTestId('backend')).toHaveText('webgpu');
  } finally {
    await browser.close();
  }
});
