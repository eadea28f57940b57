// Camera lifecycle in one scene: pause while the tab is hidden, freeze, and a track that ends.
import { expect, test, type Page } from '@playwright/test';
import { cameraFile, devPhoto, openScene, PHOTOS, readHook, waitForFrames } from './fixtures/scene';

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('hidden tab pauses the loop, freeze holds a frame, an ended track is explained', async ({ baseURL }) => {
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.golfBall.file) });
  try {
    await waitForFrames(page, 3);

    // Hidden: no more frames (one already in flight may still land), then they resume.
    await setHidden(page, true);
    await page.waitForTimeout(300);
    const hiddenAt = (await readHook(page)).frames;
    expect((await readHook(page)).cameraState).toBe('paused');
    await page.waitForTimeout(1500);
    expect((await readHook(page)).frames).toBe(hiddenAt);
    await expect(page.getByTestId('fps')).toHaveText('0');
    await setHidden(page, false);
    await waitForFrames(page, hiddenAt + 3);

    // Freeze: the loop stops, the frozen frame is classified once (unsmoothed), then live again.
    const freeze = page.getByTestId('freeze');
    const before = await readHook(page);
    await freeze.click();
    await expect(freeze).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await readHook(page)).stills).toBe(before.stills + 1);
    const frozenFrames = (await readHook(page)).frames;
    await page.waitForTimeout(1000);
    expect((await readHook(page)).frames).toBe(frozenFrames);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
    await freeze.click();
    await expect(freeze).toHaveAttribute('aria-pressed', 'false');
    await waitForFrames(page, frozenFrames + 2);

    // The browser ends the track (unplugged camera): a plain message, and images still work.
    await page.evaluate(() => {
      const stream = document.querySelector('video')!.srcObject as MediaStream;
      stream.getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    await expect(page.getByTestId('camera-error')).toContainText('camera stopped');
    await expect(page.getByTestId('upload-input')).toBeAttached();
    // The model that was serving the camera still classifies a photo.
    const stills = (await readHook(page)).stills;
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.parachute.file));
    await expect.poll(async () => (await readHook(page)).stills).toBe(stills + 1);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  } finally {
    await browser.close();
  }
});
