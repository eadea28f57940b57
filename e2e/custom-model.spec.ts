// Your own model: the project's AlexNet (torchvision layout, seeded random weights, 244 MB) is
// written at test time, opened through the model file input, and then runs in onnxruntime and the
// inspector's reference engine; back to the default model afterwards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { alexnetOnnx } from '../src/model/alexnet';
import { shortLabel, type ModelManifest } from '../src/model/manifest';
import { DEFAULT_MODEL_DIR } from '../scripts/lib/paths';
import { dynamicSizeModel, tinyModel } from './fixtures/models';
import { devPhoto, PHOTOS, readHook } from './fixtures/scene';

const DEFAULT_NAME = 'SqueezeNet v1.0 (Deep Compression, ImageNet)';
const IMAGENET = (JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8')) as ModelManifest).labels.map(shortLabel);

test('the torchvision AlexNet opens as your own model: top-5 with ImageNet names, inspector conv1 with 64 channels, 61.1M params', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'cnn-lens-alexnet-'));
  const file = join(dir, 'alexnet-torchvision.onnx');
  try {
    writeFileSync(file, alexnetOnnx('torchvision', 1));
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.method() !== 'HEAD') sent.push(`${r.method()} ${r.url()}`);
    });

    await page.goto('./?backend=wasm&camera=off');
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await expect(page.getByTestId('model-name')).toHaveText(DEFAULT_NAME);

    await page.getByTestId('model-input').setInputFiles(file);
    await expect(page.getByTestId('model-progress')).toBeVisible();
    await expect(page.getByTestId('model-name')).toHaveText('alexnet-torchvision', { timeout: 180_000 });
    await expect(page.getByTestId('model-progress')).toHaveCount(0);
    await expect(page.getByTestId('model-error')).toHaveCount(0);
    await expect(page.getByTestId('model-status')).toContainText('ready (alexnet-torchvision');
    await expect(page.getByTestId('backend')).toHaveText('wasm');

    // The inspector follows the new model; open it before the photo so the photo is inspected.
    await page.getByTestId('inspector-toggle').click();
    await expect(page.getByTestId('summary-total-params')).toHaveText('61100840', { timeout: 120_000 });

    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    // Random weights: no particular class, but ImageNet names (not "class 17").
    const top1 = (await page.getByTestId('top1-label').textContent())!.trim();
    expect(IMAGENET).toContain(top1);
    expect((await readHook(page)).lastTop.every((p) => IMAGENET.includes(p.label))).toBe(true);

    await page.getByTestId('layer-select').selectOption('conv1');
    await expect(page.getByTestId('feature-grid')).toHaveAttribute('data-channels', '64', { timeout: 120_000 });

    // The preprocessing settings show the proposed torchvision defaults for a fixed 224x224 input.
    await page.getByTestId('model-settings-toggle').click();
    await expect(page.getByTestId('model-input-size')).toHaveCount(0);
    await expect(page.getByTestId('model-resize')).toHaveValue('256');
    await expect(page.getByTestId('model-scale')).toHaveValue('1/255');
    await expect(page.getByTestId('model-mean')).toHaveValue('0.485, 0.456, 0.406');

    // Back to the default model.
    await page.getByTestId('model-default').click();
    await expect(page.getByTestId('model-name')).toHaveText(DEFAULT_NAME, { timeout: 60_000 });
    await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.parachute.file));
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
    expect(sent).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model with a dynamic input size: size, preprocessing and labels are applied and remembered for it', async ({ page }) => {
  const model = dynamicSizeModel('tiny');

  const file = { name: 'tiny-dynamic.onnx', mimeType: 'application/octet-stream', buffer: model };
  const names = ['apple', 'banana', 'cherry', 'date'];

  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('model-input').setInputFiles(file);
  await expect(page.getByTestId('model-name')).toHaveText('tiny-dynamic');
  await page.getByTestId('model-settings-toggle').click();
  await expect(page.getByTestId('model-input-size')).toHaveValue('224');

  // A bad value is refused with a message; the model keeps its settings.
  await page.getByTestId('model-std').fill('0.2, 0, 0.2');
  await page.getByTestId('model-apply').click();
  await expect(page.getByTestId('model-error')).toContainText('Std must not contain 0');

  await page.getByTestId('model-input-size').fill('64');
  await page.getByTestId('model-resize').fill('72');
  await page.getByTestId('model-channel-order').selectOption('BGR');
  await page.getByTestId('model-std').fill('0.5, 0.5, 0.5');
  await page.getByTestId('model-apply').click();
  await expect(page.getByText('64×64 input, 4 classes')).toBeVisible();
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-dynamic');

  await page.getByTestId('labels-input').setInputFiles({ name: 'fruit.txt', mimeType: 'text/plain', buffer: Buffer.from('apple\nbanana\n') });
  await expect(page.getByTestId('model-error')).toContainText('fruit.txt has 2 names but the model has 4 classes');
  await page.getByTestId('labels-input').setInputFiles({ name: 'fruit.txt', mimeType: 'text/plain', buffer: Buffer.from(names.join('\n') + '\n') });
  await expect(page.getByTestId('labels-source')).toContainText('4 names from fruit.txt');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('prediction-row')).toHaveCount(4);
  expect(names).toContain((await page.getByTestId('top1-label').textContent())!.trim());

  // Same file after a reload: the remembered settings and labels come back.
  await page.reload();
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('model-input').setInputFiles(file);
  await expect(page.getByTestId('model-name')).toHaveText('tiny-dynamic');
  await page.getByTestId('model-settings-toggle').click();
  await expect(page.getByTestId('model-input-size')).toHaveValue('64');
  await expect(page.getByTestId('model-resize')).toHaveValue('72');
  await expect(page.getByTestId('model-channel-order')).toHaveValue('BGR');
  await expect(page.getByTestId('labels-source')).toContainText('4 names from your earlier labels file');
});

test('hostile labels files: binary and control characters are refused, huge names are capped, the page never grows wider than a phone', async ({ page }) => {
  await page.setViewportSize({ width: 412, height: 915 });
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('model-input').setInputFiles({ name: 'tiny-labels.onnx', mimeType: 'application/octet-stream', buffer: tinyModel() });
  await expect(page.getByTestId('model-status')).toContainText('ready (tiny-labels');
  await page.getByTestId('model-settings-toggle').click();
  const labels = page.getByTestId('labels-input');

  // Four "lines" of binary bytes (not UTF-8).
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0a, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a, 0x80, 0x81]);
  await labels.setInputFiles({ name: 'photo.bin', mimeType: 'text/plain', buffer: binary });
  await expect(page.getByTestId('model-error')).toContainText('photo.bin is not UTF-8 text');
  await expect(page.getByTestId('model-error')).toContainText('The current model (tiny-labels) is still in use.');

  await labels.setInputFiles({ name: 'ansi.txt', mimeType: 'text/plain', buffer: Buffer.from('a\nb\x1b[31mred\nc\nd\n') });
  await expect(page.getByTestId('model-error')).toContainText('ansi.txt line 2 holds a control character (U+001B)');

  // One name of 300 000 characters without a space, and three ordinary ones.
  const huge = 'W'.repeat(300_000);
  await labels.setInputFiles({ name: 'long.txt', mimeType: 'text/plain', buffer: Buffer.from(`${huge}\n  pear  \nplum\nfig\n`) });
  await expect(page.getByTestId('model-note')).toHaveText('1 name in long.txt was longer than 120 characters and was shortened');
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await expect(page.getByTestId('labels-source')).toContainText('4 names from long.txt');

  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('prediction-row')).toHaveCount(4);
  const shown = await page.getByTestId('prediction-row').allTextContents();
  expect(shown.some((t) => t.includes('pear'))).toBe(true);
  expect(Math.max(...shown.map((t) => t.length))).toBeLessThan(200);
  // Nothing is wider than the viewport.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(412);
  // What is stored for the model is small.
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cnn-lens:model:')).map((k) => localStorage.getItem(k)!.length));
  expect(stored.length).toBe(1);
  expect(stored[0]).toBeLessThan(2000);
});
