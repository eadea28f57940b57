// Teach: two classes from photos of two different scenes (a garbage truck, a golf ball) added
// through the panel, the head trained in its worker, then the predictions switch between the
// taught names as the input switches between the scenes; the exported file opens in the model
// loader with its labels; bad input (a duplicate name, an empty class, a non-taught ONNX) is
// refused with its own message and nothing is lost.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { tinyModel } from './fixtures/models';
import { cameraFile, devPhoto, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

const SHOTS = 5;

/** SHOTS photos of the same synset as `photo`, the test photo itself left out. */
function examplesLike(photo: string): string[] {
  const dir = dirname(devPhoto(photo));
  const own = photo.split('/').pop();
  return readdirSync(dir)
    .filter((f) => /\.jpe?g$/i.test(f) && f !== own)
    .sort()
    .slice(0, SHOTS)
    .map((f) => join(dir, f));
}

function teachClass(page: Page, name: string) {
  return page.locator(`[data-testid="teach-class"][data-name="${name}"]`);
}

test('teach two classes from photos; predictions follow the scene; export opens with its labels; bad input has its messages', async ({ page }) => {
  test.setTimeout(150_000);
  const trucks = examplesLike(PHOTOS.garbageTruck.file);
  const balls = examplesLike(PHOTOS.golfBall.file);

  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('teach-open').click();
  const panel = page.getByTestId('teach-panel');
  await expect(panel).toBeVisible();
  // The model in use is reloaded with its embedding output: SqueezeNet's pooled fire9, 512 features.
  await expect(panel).toContainText('(512 features)');

  for (const name of ['truck', 'golf']) {
    await page.getByTestId('teach-class-name').fill(name);
    await page.getByTestId('teach-add-class').click();
  }
  await expect(page.getByTestId('teach-class')).toHaveCount(2);

  // Bad input: a duplicate name (case and spaces ignored), then an export with empty classes.
  await page.getByTestId('teach-class-name').fill(' Truck ');
  await page.getByTestId('teach-add-class').click();
  await expect(page.getByTestId('teach-error')).toHaveAttribute('data-kind', 'duplicate-class');
  await expect(page.getByTestId('teach-error')).toContainText('there is already a class named "truck"');
  await expect(page.getByTestId('teach-class')).toHaveCount(2);
  await page.getByTestId('teach-export').click();
  await expect(page.getByTestId('teach-error')).toHaveAttribute('data-kind', 'no-examples');
  await expect(page.getByTestId('teach-error')).toContainText('class "truck" has no examples');

  await teachClass(page, 'truck').getByTestId('teach-photos').setInputFiles(trucks);
  await expect(teachClass(page, 'truck').getByTestId('teach-count')).toHaveText(String(SHOTS));
  await teachClass(page, 'golf').getByTestId('teach-photos').setInputFiles(balls);
  await expect(teachClass(page, 'golf').getByTestId('teach-count')).toHaveText(String(SHOTS));
  await expect(page.getByTestId('teach-error')).toHaveCount(0);
  // Trained in the worker, with the held-out check per class.
  await expect(page.getByTestId('teach-heldout')).toContainText('Held-out accuracy');
  await expect(page.getByTestId('teach-class-accuracy')).toHaveCount(2);

  // The input switches between the scenes: the taught prediction follows, ImageNet's top-5 too.
  const top = page.getByTestId('taught-top1');
  for (const [photo, name] of [
    [PHOTOS.garbageTruck, 'truck'],
    [PHOTOS.golfBall, 'golf'],
    [PHOTOS.garbageTruck, 'truck'],
  ] as const) {
    await page.getByTestId('upload-input').setInputFiles(devPhoto(photo.file));
    await expect(top).toHaveAttribute('data-label', name);
    await expect(page.getByTestId('top1-label')).toHaveText(photo.label);
    await expect(page.getByTestId('taught-predictions').getByTestId('prediction-row').first()).toHaveAttribute('data-taught', name);
  }

  // Import of an ONNX file without a taught head: its own message, the classes stay.
  await page.getByTestId('teach-import').setInputFiles({ name: 'tiny.onnx', mimeType: 'application/octet-stream', buffer: tinyModel() });
  await expect(page.getByTestId('teach-error')).toHaveAttribute('data-kind', 'no-teachable-head');
  await expect(page.getByTestId('teach-error')).toContainText('this ONNX model has no taught head');
  await expect(page.getByTestId('teach-class')).toHaveCount(2);

  // Export: one ONNX file, which the model loader opens with the taught names as its labels.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('teach-export').click()]);
  expect(download.suggestedFilename()).toBe('truck-golf.onnx');
  const exported = join(test.info().outputDir, download.suggestedFilename());
  await download.saveAs(exported);
  await page.getByTestId('model-input').setInputFiles(exported);
  await expect(page.getByTestId('model-name')).toHaveText('truck-golf', { timeout: 60_000 });
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText('golf');
  await expect(page.getByTestId('predictions').getByTestId('prediction-row')).toHaveCount(2);
  // The taught model's own embedding feeds the same examples: teaching goes on on it.
  await expect(page.getByTestId('teach-blocked')).toHaveCount(0);
  await expect(top).toHaveAttribute('data-label', 'golf');

  // Import reads the examples back: the classes of the same names merge.
  await page.getByTestId('teach-import').setInputFiles(exported);
  await expect(teachClass(page, 'truck').getByTestId('teach-count')).toHaveText(String(2 * SHOTS));
  await expect(page.getByTestId('teach-error')).toHaveCount(0);

  // "Use as model": retrained on the 2 × 10 examples and served like any model; the inspector's
  // reference engine runs the head too and agrees with onnxruntime.
  await expect(page.getByTestId('teach-heldout')).toContainText('20 examples');
  await page.getByTestId('teach-use-model').click();
  await expect(page.getByTestId('model-name')).toHaveText('taught-truck-golf');
  await page.getByTestId('inspector-toggle').click();
  // The photo once the inspector has read the model (and asks for the input tensor of each result).
  await expect(page.getByTestId('model-summary')).toContainText('cnn_lens/head/gemm');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.garbageTruck.file));
  await expect(page.getByTestId('top1-label')).toHaveText('truck');
  await expect(page.getByTestId('parity-top1')).toHaveText('agree', { timeout: 90_000 });
});

test('hold to record takes examples from the live camera (pointer and keyboard); they persist on the device', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.golfBall.file) });
  try {
    await page.getByTestId('teach-open').click();
    await expect(page.getByTestId('teach-panel')).toContainText('(512 features)');
    await page.getByTestId('teach-class-name').fill('ball');
    await page.getByTestId('teach-add-class').click();
    const count = teachClass(page, 'ball').getByTestId('teach-count');
    const record = teachClass(page, 'ball').getByTestId('teach-record');
    await waitForFrames(page, 3);

    // Pointer: examples come while the button is held, and stop when it is let go.
    await record.hover();
    await page.mouse.down();
    await expect(record).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => Number(await count.textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await page.mouse.up();
    await expect(record).toHaveAttribute('aria-pressed', 'false');
    const afterPointer = Number(await count.textContent());
    await waitForFrames(page, (await page.evaluate(() => window.__cnnLens!.frames)) + 3);
    expect(Number(await count.textContent())).toBe(afterPointer);

    // Keyboard: Space held down records, released stops.
    await record.focus();
    await page.keyboard.down(' ');
    await expect.poll(async () => Number(await count.textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(afterPointer + 2);
    await page.keyboard.up(' ');
    await expect(record).toHaveAttribute('aria-pressed', 'false');
    const recorded = await count.textContent();

    // Kept on the device: after a reload the class and its examples are back.
    await page.reload();
    await page.getByTestId('teach-open').click();
    await expect(teachClass(page, 'ball').getByTestId('teach-count')).toHaveText(recorded!);
  } finally {
    await browser.close();
  }
});

test('storage full and an export with one class: their messages, and the class stays', async ({ page }) => {
  // The browser refuses to store the taught classes, as a full localStorage does.
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key === 'cnn-lens:teach') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('teach-open').click();
  await page.getByTestId('teach-class-name').fill('keys');
  await page.getByTestId('teach-add-class').click();
  await expect(page.getByTestId('teach-storage-error')).toContainText('storage full: the browser refused to store more (QuotaExceededError)');
  await expect(page.getByTestId('teach-storage-error')).toContainText('nothing was lost');
  await expect(teachClass(page, 'keys')).toBeVisible();

  await page.getByTestId('teach-export').click();
  await expect(page.getByTestId('teach-error')).toHaveAttribute('data-kind', 'too-few-classes');
  await expect(page.getByTestId('teach-error')).toContainText('cannot export a model with only one class ("keys")');
  await expect(teachClass(page, 'keys')).toBeVisible();
});
