// The model picker: MobileNetV2 picked from the model card names itself in the header and classifies
// with its own 1001 outputs; the choice survives reloads and, after one use, works offline (the
// service worker keeps it); back to SqueezeNet. A model that cannot be loaded leaves the one in use
// with a message, and a remembered value the app does not know starts the default with no error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ModelManifest } from '../src/model/manifest';
import { modelDir } from '../scripts/lib/paths';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';

const manifestOf = (id: string) => JSON.parse(readFileSync(join(modelDir(id), 'manifest.json'), 'utf8')) as ModelManifest;
const SQUEEZENET = manifestOf('squeezenet1_0');
const MOBILENET = manifestOf('mobilenet_v2');
const LAST_MODEL_KEY = 'cnn-lens:last-model';

/** The output index of the church class in a model's own labels (MobileNetV2's output 0 is "background"). */
const churchIndex = (m: ModelManifest) => m.labels.findIndex((l) => l.split(',')[0].trim() === PHOTOS.church.label);

async function readyOn(page: Page, name: string): Promise<void> {
  const status = page.getByTestId('model-status');
  await expect(status).toHaveText(/^(ready|error)/, { timeout: 90_000 }); // fail fast, with the app's message
  await expect(status).toContainText(`ready (${name}`);
}

async function classifiesChurchWith(page: Page, m: ModelManifest): Promise<void> {
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.church.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.church.label);
  const top = (await readHook(page)).lastTop;
  // The index is the model's own output: 498 for MobileNetV2, 497 for SqueezeNet.
  expect(top[0].index).toBe(churchIndex(m));
}

test('pick MobileNetV2: named in the header, classifies with its labels, remembered across reloads and offline; back to SqueezeNet', async ({ page, context }) => {
  test.setTimeout(240_000);
  expect(churchIndex(MOBILENET)).toBe(churchIndex(SQUEEZENET) + 1);
  await page.goto('./?backend=wasm&camera=off');
  await readyOn(page, SQUEEZENET.name);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });

  const picker = page.getByRole('combobox', { name: 'Model', exact: true });
  await expect(picker).toHaveAttribute('data-testid', 'model-select');
  await expect(picker).toHaveValue('squeezenet1_0');
  await expect(picker.locator('option')).toHaveText([/^SqueezeNet v1\.0/, /^MobileNetV2/]);

  // Keyboard: a closed native select moves to the next model on ArrowDown.
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  await readyOn(page, 'MobileNetV2');
  await expect(page.getByTestId('model-name')).toHaveText(MOBILENET.name);
  await expect(page.getByText('224×224 input, 1001 classes')).toBeVisible();
  await expect(picker).toHaveValue('mobilenet_v2');
  await classifiesChurchWith(page, MOBILENET);
  expect(await page.evaluate((k) => localStorage.getItem(k), LAST_MODEL_KEY)).toBe('{"kind":"builtin","id":"mobilenet_v2"}');

  await page.reload();
  await readyOn(page, 'MobileNetV2');
  await expect(picker).toHaveValue('mobilenet_v2');

  // After one use the model is in the service worker's cache: offline, a reload still runs it.
  await context.setOffline(true);
  const failed: string[] = [];
  context.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await readyOn(page, 'MobileNetV2');
  await classifiesChurchWith(page, MOBILENET);

  // Back to SqueezeNet (precached), still offline; remembered too.
  await picker.selectOption('squeezenet1_0');
  await readyOn(page, SQUEEZENET.name);
  await expect(page.getByText('227×227 input, 1000 classes')).toBeVisible();
  await classifiesChurchWith(page, SQUEEZENET);
  await page.reload();
  await readyOn(page, SQUEEZENET.name);
  await expect(picker).toHaveValue('squeezenet1_0');
  // Only the service worker's network-first tries for model manifests may fail offline (it then
  // answers from its cache); the models and the runtime never touch the network.
  expect(failed.filter((u) => !/\/models\/[\w-]+\/manifest\.json$/.test(u))).toEqual([]);
  await expect(page.getByTestId('model-error')).toHaveCount(0);
});

test.describe('without the service worker', () => {
  test.use({ serviceWorkers: 'block' });

  test('a built-in model that cannot be downloaded: the model in use stays, with a message, and the picker shows it', async ({ page }) => {
    await page.goto('./?backend=wasm&camera=off');
    await readyOn(page, SQUEEZENET.name);
    await page.route('**/models/mobilenet_v2/**', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('model-select').selectOption('mobilenet_v2');
    await expect(page.getByTestId('model-error')).toContainText(`could not be downloaded`);
    await expect(page.getByTestId('model-error')).toContainText(`The current model (${SQUEEZENET.name}) is still in use`);
    await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
    await expect(page.getByTestId('model-status')).toContainText(`ready (${SQUEEZENET.name}`);
    await classifiesChurchWith(page, SQUEEZENET);
  });

  test('a remembered value the app does not know starts the default model, with no error', async ({ page }) => {
    await page.addInitScript((k) => localStorage.setItem(k, '{"kind":"builtin","id":"resnet152"}'), LAST_MODEL_KEY);
    await page.goto('./?backend=wasm&camera=off');
    await readyOn(page, SQUEEZENET.name);
    await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
    await expect(page.getByTestId('model-error')).toHaveCount(0);
    await expect(page.getByTestId('model-storage-error')).toHaveCount(0);
  });

  test('?model= wins over the remembered model, and becomes the remembered one', async ({ page }) => {
    await page.addInitScript((k) => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem(k, '{"kind":"builtin","id":"squeezenet1_0"}');
      }
    }, LAST_MODEL_KEY);
    await page.goto('./?model=mobilenet_v2&backend=wasm&camera=off');
    await readyOn(page, 'MobileNetV2');
    await page.goto('./?backend=wasm&camera=off');
    await readyOn(page, 'MobileNetV2');
    await expect(page.getByTestId('model-select')).toHaveValue('mobilenet_v2');
  });
});
