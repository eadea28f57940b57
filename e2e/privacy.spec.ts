// A whole session (load, live camera, classify, inspector with its onnxruntime comparison, a
// custom model, an uploaded photo) sends nothing to another origin and nothing but GETs at all.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from './fixtures/models';
import { cameraFile, devPhoto, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

test('a full session makes only same-origin GET requests', async ({ baseURL }) => {
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.parachute.file) });
  const requests: { url: string; method: string }[] = [];
  page.context().on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
  try {
    await page.reload();
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await waitForFrames(page, 2);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);

    await page.getByTestId('inspector-toggle').click();
    await expect(page.getByTestId('feature-grid')).toHaveAttribute('data-channels', '96');
    await expect(page.getByTestId('parity-top1')).toHaveText('agree', { timeout: 90_000 });

    const dir = mkdtempSync(join(tmpdir(), 'cnn-lens-privacy-'));
    writeFileSync(join(dir, 'tiny.onnx'), tinyModel());
    await page.getByTestId('model-input').setInputFiles(join(dir, 'tiny.onnx'));
    await expect(page.getByTestId('model-name')).toContainText('tiny');
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
    await expect(page.getByTestId('prediction-row')).toHaveCount(4);

    const origin = new URL(page.url()).origin;
    const foreign = requests.filter((r) => !r.url.startsWith(`${origin}/`) && !/^(blob|data):/.test(r.url));
    expect(foreign).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(requests.length).toBeGreaterThan(5);
  } finally {
    await browser.close();
  }
});
