// The model-switch state machine in the browser: whatever the moment a model file is dropped (the
// default model still downloading, just after "Back to the default model", two files in a row), the
// name shown and the classes predicted belong to the same model, the status ends "ready", and only
// one inference worker is left.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { shortLabel, type ModelManifest } from '../src/model/manifest';
import { tinyModel } from './fixtures/models';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';

const DEFAULT_NAME = 'SqueezeNet v1.0 (Deep Compression, ImageNet)';
const IMAGENET = (JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'public', 'models', 'squeezenet1_0', 'manifest.json'), 'utf8')) as ModelManifest).labels.map(shortLabel);
const TINY_CLASSES = ['class 0', 'class 1', 'class 2', 'class 3'];

test('the app loads the default model in a worker and reports ready on wasm', async ({ page }) => {
  await page.goto('./?backend=wasm');
  const status = page.getByTestId('model-status');
  await expect(status).toContainText('ready');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
});

/** Drops a model file on the page, as a real drop does (it bubbles up to the window's listeners). */
async function dropModel(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ({ name, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
      document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, data: bytes.toString('base64') },
  );
}

/** Holds every download of the default model's weights for `ms` (a slow network). */
async function slowDefaultModel(page: Page, ms: number): Promise<{ requests: () => number }> {
  let requests = 0;
  await page.context().route(/\/models\/squeezenet1_0\/model\.onnx/, async (route) => {
    requests++;
    await new Promise((r) => setTimeout(r, ms));
    await route.continue().catch(() => undefined);
  });
  return { requests: () => requests };
}

/** Classifies a photo and checks the rows come from the model the page names. */
async function predictsWith(page: Page, model: 'default' | 'tiny'): Promise<void> {
  const before = (await readHook(page)).stills;
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect.poll(async () => (await readHook(page)).stills).toBeGreaterThan(before);
  if (model === 'tiny') {
    await expect(page.getByTestId('model-name')).toHaveText('tiny-race');
    // The worker's output has 4 scores: the tiny model ran, and its names are shown.
    await expect(page.getByTestId('prediction-row')).toHaveCount(4);
    expect(TINY_CLASSES).toContain((await page.getByTestId('top1-label').textContent())!.trim());
  } else {
    await expect(page.getByTestId('model-name')).toHaveText(DEFAULT_NAME);
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
    expect((await readHook(page)).lastTop.every((p) => IMAGENET.includes(p.label))).toBe(true);
  }
}

/** Inference workers alive (onnxruntime's own thread workers, named em-pthread…, left out). */
async function inferenceWorkers(page: Page): Promise<number> {
  // A terminated worker may linger in the list a moment and never answer: count it as gone.
  const gone = () => new Promise<string>((r) => setTimeout(() => r('gone'), 2000));
  const names = await Promise.all(page.workers().map((w) => Promise.race([w.evaluate(() => self.name).catch(() => 'gone'), gone()])));
  return names.filter((n) => n === 'inference').length;
}

test('a model dropped while the default model is still downloading wins, and the late default never replaces it', async ({ page }) => {
  const slow = await slowDefaultModel(page, 4000);
  await page.goto('./?backend=wasm&camera=off');
  await expect.poll(slow.requests).toBeGreaterThan(0);
  await expect(page.getByTestId('model-status')).toContainText('loading');
  await dropModel(page, 'tiny-race.onnx', tinyModel());
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-race');
  await expect(page.getByTestId('model-name')).toHaveText('tiny-race');
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  // Long after the held download would have finished, nothing has changed.
  await page.waitForTimeout(5000);
  await expect(page.getByTestId('model-status')).toHaveText(/^ready \(tiny-race, warm-up \d+ ms\)$/);
  await predictsWith(page, 'tiny');
  await expect.poll(() => inferenceWorkers(page), { timeout: 20_000 }).toBe(1);
});

test('a model dropped just after "Back to the default model" wins; back again, the default model serves', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await dropModel(page, 'tiny-race.onnx', tinyModel());
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-race');

  await slowDefaultModel(page, 3000);
  await page.getByTestId('model-default').click();
  await expect(page.getByTestId('model-progress')).toBeVisible();
  await dropModel(page, 'tiny-race.onnx', tinyModel());
  await expect(page.getByTestId('model-progress')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForTimeout(4000);
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-race');
  await predictsWith(page, 'tiny');

  // Now the other way round: a model dropped, then at once back to the default model.
  await dropModel(page, 'tiny-other.onnx', tinyModel({ inputShape: ['N', 3, 16, 16] }));
  await page.getByTestId('model-default').click();
  await expect(page.getByTestId('model-status')).toContainText(`ready (${DEFAULT_NAME}`, { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('model-status')).toContainText(`ready (${DEFAULT_NAME}`);
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await predictsWith(page, 'default');
  await expect.poll(() => inferenceWorkers(page), { timeout: 20_000 }).toBe(1);
});

test('of two models dropped in a row the second wins; a refused one after it leaves it serving and the header describes it', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await dropModel(page, 'tiny-first.onnx', tinyModel({ inputShape: ['N', 3, 16, 16] }));
  await dropModel(page, 'tiny-race.onnx', tinyModel());
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-race', { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('model-name')).toHaveText('tiny-race');
  await dropModel(page, 'erf.onnx', tinyModel({ op: 'Erf' }));
  await expect(page.getByTestId('model-error')).toContainText('erf.onnx');
  await expect(page.getByTestId('model-error')).toContainText('The current model (tiny-race) is still in use.');
  await expect(page.getByTestId('model-status')).toHaveText(/^ready \(tiny-race, warm-up \d+ ms\)$/);
  await predictsWith(page, 'tiny');
  await expect.poll(() => inferenceWorkers(page), { timeout: 20_000 }).toBe(1);
});
