// The user's model is kept on this device (IndexedDB): the file, its preprocessing and its labels.
// After a reload, and offline after one visit, the app starts on it and classifies with it;
// "Forget" removes it and goes back to the default model. Where the browser gives no storage
// (private mode), a message says so and the model stays in use for this visit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ModelManifest } from '../src/model/manifest';
import { modelDir } from '../scripts/lib/paths';
import { dynamicSizeModel, tinyModel } from './fixtures/models';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';

const DEFAULT = JSON.parse(readFileSync(join(modelDir('squeezenet1_0'), 'manifest.json'), 'utf8')) as ModelManifest;
const NAMES = ['apple', 'banana', 'cherry', 'date'];

async function readyOn(page: Page, name: string): Promise<void> {
  const status = page.getByTestId('model-status');
  await expect(status).toHaveText(/^(ready|error)/, { timeout: 90_000 }); // fail fast, with the app's message
  await expect(status).toContainText(`ready (${name}`);
}

/** Classifies the golf ball photo; returns the top-5 as the app's hook saw it. */
async function classify(page: Page) {
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('prediction-row')).toHaveCount(4);
  const top = (await readHook(page)).lastTop;
  expect(top.map((p) => p.label).sort()).toEqual([...NAMES].sort());
  return top;
}

test('a custom model with its settings and labels is the active model after a reload and offline; Forget goes back to the default', async ({ page, context }) => {
  test.setTimeout(240_000);
  await page.goto('./?backend=wasm&camera=off');
  await readyOn(page, DEFAULT.name);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });

  await page.getByTestId('model-input').setInputFiles({ name: 'kept-dynamic.onnx', mimeType: 'application/octet-stream', buffer: dynamicSizeModel('kept') });
  await readyOn(page, 'kept-dynamic');
  await page.getByTestId('model-settings-toggle').click();
  await page.getByTestId('model-input-size').fill('64');
  await page.getByTestId('model-resize').fill('72');
  await page.getByTestId('model-channel-order').selectOption('BGR');
  await page.getByTestId('model-apply').click();
  await expect(page.getByText('64×64 input, 4 classes')).toBeVisible();
  await page.getByTestId('labels-input').setInputFiles({ name: 'fruit.txt', mimeType: 'text/plain', buffer: Buffer.from(NAMES.join('\n') + '\n') });
  await expect(page.getByTestId('labels-source')).toContainText('4 names from fruit.txt');
  const before = await classify(page);
  await expect(page.getByTestId('model-kept')).toContainText('kept on this device');
  await expect(page.getByTestId('model-select')).toHaveValue('custom');

  await page.reload();
  await readyOn(page, 'kept-dynamic');
  await expect(page.getByText('64×64 input, 4 classes')).toBeVisible();
  await page.getByTestId('model-settings-toggle').click();
  await expect(page.getByTestId('model-channel-order')).toHaveValue('BGR');
  await expect(page.getByTestId('model-resize')).toHaveValue('72');
  await expect(page.getByTestId('labels-source')).toContainText('4 names from your earlier labels file');
  // Same model, same settings, same photo: the same numbers.
  const after = await classify(page);
  expect(after.map((p) => p.label)).toEqual(before.map((p) => p.label));
  expect(after[0].probability).toBeCloseTo(before[0].probability, 5);

  await context.setOffline(true);
  await page.reload();
  await readyOn(page, 'kept-dynamic');
  await classify(page);

  await page.getByTestId('model-forget').click();
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-kept')).toHaveCount(0);
  await expect(page.getByTestId('model-forget')).toHaveCount(0);
  await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
  await page.reload();
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-forget')).toHaveCount(0);
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await expect(page.getByTestId('model-note')).toHaveCount(0);
});

test('a built-in model picked after a custom one is the one the app starts on; the custom model stays kept until forgotten', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await readyOn(page, DEFAULT.name);
  await page.getByTestId('model-input').setInputFiles({ name: 'tiny.onnx', mimeType: 'application/octet-stream', buffer: tinyModel() });
  await readyOn(page, 'tiny');
  await expect(page.getByTestId('model-kept')).toBeVisible();
  await page.getByTestId('model-select').selectOption('squeezenet1_0');
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-kept')).toContainText('still kept');
  await page.reload();
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
});

test('no storage (private mode): a message, the model stays in use for this visit, the next start is the default model', async ({ page }) => {
  // As in some private modes: IndexedDB is missing; localStorage still works.
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
  await page.goto('./?backend=wasm&camera=off');
  await readyOn(page, DEFAULT.name);
  await page.getByTestId('model-input').setInputFiles({ name: 'tiny.onnx', mimeType: 'application/octet-stream', buffer: tinyModel() });
  await readyOn(page, 'tiny');
  await expect(page.getByTestId('model-storage-error')).toContainText('does not let the app store files here');
  await expect(page.getByTestId('model-kept')).toHaveCount(0);
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('prediction-row')).toHaveCount(4);
  await page.reload();
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-error')).toHaveCount(0);
});

test('the last model was the user model but nothing is kept any more: the default model, with a note and no error', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('cnn-lens:last-model', '{"kind":"custom"}'));
  await page.goto('./?backend=wasm&camera=off');
  await readyOn(page, DEFAULT.name);
  await expect(page.getByTestId('model-note')).toHaveText('Your last model is no longer kept on this device; the default model is in use.');
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
});
