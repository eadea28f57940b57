// Share out: the result card (frame + top-5 as a PNG) goes to the Web Share API with a file where
// the browser can share files, and is downloaded where it cannot (desktop Chromium here).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { PNG } from 'pngjs';
import { devPhoto, PHOTOS } from './fixtures/scene';

test('the result card downloads as a PNG of the photo with its top-5 where sharing is unavailable', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await expect(page.getByTestId('share-result')).toBeDisabled();
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
  await expect(page.getByTestId('share-result')).toHaveText('Save PNG');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-result').click()]);
  expect(download.suggestedFilename()).toBe('cnn-lens-golf-ball.png');
  const png = PNG.sync.read(readFileSync((await download.path())!));
  expect(png.width).toBe(720);
  // The photo (500x375 -> 720x540) on top, five rows of results below it.
  expect(png.height).toBe(540 + 24 * 3 + 28 + 5 * 46);
  // The top-1 bar is drawn long and green-ish (golf ball is near 100 %); the background is dark.
  const px = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
  const barY = 540 + 24 + 28 + 12 + 32;
  const [r, g] = px(600, barY);
  expect(g).toBeGreaterThan(r);
  expect(px(5, png.height - 3)).toEqual([13, 16, 20]);
});

test('where the browser can share files, the card goes to navigator.share as a PNG file', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { shared: { name: string; type: string; size: number; title?: string }[] };
    w.shared = [];
    navigator.canShare = (data?: ShareData) => Boolean(data?.files?.length);
    navigator.share = async (data?: ShareData) => {
      for (const f of data?.files ?? []) w.shared.push({ name: f.name, type: f.type, size: f.size, title: data?.title });
    };
  });
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.parachute.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  await expect(page.getByTestId('share-result')).toHaveText('Share');
  let downloaded = false;
  page.on('download', () => (downloaded = true));
  await page.getByTestId('share-result').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { shared: unknown[] }).shared.length)).toBe(1);
  const [file] = await page.evaluate(() => (window as unknown as { shared: { name: string; type: string; size: number; title: string }[] }).shared);
  expect(file).toMatchObject({ name: 'cnn-lens-parachute.png', type: 'image/png' });
  expect(file.title).toMatch(/^CNN Lens: parachute \(\d+\.\d%\)$/);
  expect(file.size).toBeGreaterThan(10_000);
  expect(downloaded).toBe(false);
});
