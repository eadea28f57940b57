// The core flows on an emulated phone (the "phone" project: Pixel 7, 412x839 portrait, touch,
// device scale factor 2.625, mobile user agent): live top-5 on the first screen, the inspector by
// touch, the camera flip, a photo opened, a photo shared in through the share target's cache, and a
// custom model kept across a reload.
import { readFileSync } from 'node:fs';
import { expect, test, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { tinyModel } from './fixtures/models';
import { cameraFile, devPhoto, openScene, PHOTOS, readHook, waitForFrames } from './fixtures/scene';

/** The project's device settings, for scenes that launch their own browser. */
function device(): BrowserContextOptions {
  const u = test.info().project.use;
  return { viewport: u.viewport, userAgent: u.userAgent, deviceScaleFactor: u.deviceScaleFactor, isMobile: u.isMobile, hasTouch: u.hasTouch };
}

async function inFirstViewport(page: Page, target: Locator): Promise<void> {
  const box = (await target.boundingBox())!;
  const view = page.viewportSize()!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height);
}

const transformOf = (l: Locator) => l.evaluate((e) => getComputedStyle(e).transform);


test('live top-5 on the first screen, the inspector by touch, and the flip on a one-camera device', async ({ baseURL }) => {
  expect(device().hasTouch).toBe(true);
  // Two fake cameras, both showing the golf-ball photo.
  const { browser, page } = await openScene(
    baseURL!,
    './?backend=wasm',
    { fakeVideo: cameraFile(PHOTOS.golfBall.file), extraArgs: ['--use-fake-device-for-media-stream=device-count=2'] },
    device(),
  );
  try {
    await waitForFrames(page, 2);
    await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    // Portrait: the video with its crop outline, the top-1 and the whole top-5 without scrolling.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await inFirstViewport(page, page.getByTestId('camera-video'));
    await inFirstViewport(page, page.getByTestId('crop-outline'));
    await inFirstViewport(page, page.getByTestId('top1-label'));
    await inFirstViewport(page, page.getByTestId('prediction-row').last());
    // Fixed rows: the card keeps its height as predictions change.
    const card = page.getByTestId('predictions');
    const h0 = (await card.boundingBox())!.height;
    await waitForFrames(page, (await readHook(page)).frames + 3);
    expect((await card.boundingBox())!.height).toBe(h0);

    // Inspector: tap a channel of conv1, then a point of it.
    await page.getByTestId('inspector-toggle').tap();
    await page.getByTestId('layer-select').selectOption('conv1');
    const grid = page.getByTestId('feature-grid');
    await expect(grid).toHaveAttribute('data-channels', '96');
    const size = await grid.evaluate((c: HTMLCanvasElement) => ({ w: c.width }));
    const gridBox = (await grid.boundingBox())!;
    const s = gridBox.width / size.w;
    // Channel 0 is the top-left 111x111 tile.
    await grid.tap({ position: { x: 30 * s, y: 80 * s } });
    await expect(page.getByTestId('feature-grid-value')).toHaveText(/^ch 0 \(\d+, \d+\) = -?\d/);
    const channelView = page.getByTestId('channel-view');
    await expect(channelView).toBeVisible();
    await expect(channelView.locator('h4')).toHaveText('conv1 · channel 0');
    const map = page.getByTestId('channel-map');
    await map.scrollIntoViewIfNeeded();
    const mapBox = (await map.boundingBox())!;
    // The centre of row 83, col 27 of the 111x111 map.
    await map.tap({ position: { x: (mapBox.width * 27.5) / 111, y: (mapBox.height * 83.5) / 111 } });
    const value = page.getByTestId('channel-value');
    await expect(value).toContainText('value at (83, 27):');
    expect(Number((await value.locator('strong').textContent())!)).not.toBeNaN();
    const rf = page.getByTestId('receptive-field');
    await expect(rf).toContainText('Receptive field of conv1 (83, 27)');
    await expect(rf).toHaveAttribute('data-width', '7');
    await expect(page.getByTestId('receptive-field-box')).toBeAttached();

    // Zoom control: the map gets wider than its box.
    await page.getByTestId('channel-zoom-in').tap();
    await expect(page.getByTestId('channel-zoom')).toHaveText('150%');
    expect((await map.boundingBox())!.width).toBeCloseTo(mapBox.width * 1.5, 0);
    await page.getByTestId('inspector-toggle').tap();

    // This scene has one camera: flipping says so, and the camera keeps running.
    await page.evaluate(() => window.scrollTo(0, 0));
    const before = (await readHook(page)).frames;
    await page.getByTestId('camera-flip').tap();
    await expect(page.getByTestId('camera-error')).toContainText('only one camera');
    await expect(page.getByTestId('camera-flip')).toHaveAttribute('data-facing', 'environment');
    await waitForFrames(page, before + 2);
    expect((await readHook(page)).lastTop[0].label).toBe(PHOTOS.golfBall.label);
  } finally {
    await browser.close();
  }
});

test('one tap flips between two cameras, mirrors only the front preview, and is remembered', async ({ baseURL }) => {
  // Chromium's own two fake cameras (a file-backed fake camera is always a single device).
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { acceptCamera: true, extraArgs: ['--use-fake-device-for-media-stream=device-count=2'] }, device());
  try {
    await waitForFrames(page, 1);
    const flip = page.getByTestId('camera-flip');
    const video = page.getByTestId('camera-video');
    await expect(flip).toHaveAttribute('data-facing', 'environment');
    const rear = await page.getByTestId('camera-select').inputValue();
    expect(await transformOf(video)).toBe('none');
    const before = (await readHook(page)).frames;
    await flip.tap();
    await expect(flip).toHaveAttribute('data-facing', 'user');
    // The other device is open, its preview mirrored; the overlays mirror with it.
    await expect(page.getByTestId('camera-select')).not.toHaveValue(rear);
    const front = await page.getByTestId('camera-select').inputValue();
    expect(await transformOf(video)).toBe('matrix(-1, 0, 0, 1, 0, 0)');
    // Frames keep flowing; the model reads the <video> element, which CSS transforms do not touch.
    await waitForFrames(page, before + 3);
    await expect(page.getByTestId('camera-error')).toHaveCount(0);
    // Remembered across a reload: these cameras report no facing, so the very camera comes back.
    await page.reload();
    await waitForFrames(page, 1);
    await expect(page.getByTestId('camera-flip')).toHaveAttribute('data-facing', 'user');
    await expect(page.getByTestId('camera-select')).toHaveValue(front);
    expect(await transformOf(page.getByTestId('camera-video'))).toBe('matrix(-1, 0, 0, 1, 0, 0)');
    await page.getByTestId('camera-flip').tap();
    await expect(page.getByTestId('camera-flip')).toHaveAttribute('data-facing', 'environment');
    await expect(page.getByTestId('camera-select')).toHaveValue(rear);
    expect(await transformOf(page.getByTestId('camera-video'))).toBe('none');
  } finally {
    await browser.close();
  }
});

test('a photo opened from the phone, and a photo shared in through the share target, are classified', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.parachute.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.parachute.label);
  // Turned to landscape: the picture and the top-5 side by side, both on the first screen.
  await page.setViewportSize({ width: 839, height: 412 });
  const stage = (await page.getByRole('region', { name: 'Camera', exact: true }).boundingBox())!;
  const top1 = (await page.getByTestId('top1-label').boundingBox())!;
  expect(top1.x).toBeGreaterThan(stage.x + stage.width);
  expect(stage.y + stage.height).toBeLessThanOrEqual(412);
  await inFirstViewport(page, page.getByTestId('prediction-row').last());
  await page.setViewportSize(test.info().project.use.viewport!);

  // "Share -> CNN Lens": the share sheet's POST to the share target, answered by the app's own
  // service worker (it stores the photo, then redirects); the redirect is followed as a navigation.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  const jpeg = readFileSync(devPhoto(PHOTOS.church.file)).toString('base64');
  const redirect = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const form = new FormData();
    form.append('image', new File([bytes], 'church.jpg', { type: 'image/jpeg' }));
    const response = await fetch('./share-target', { method: 'POST', body: form });
    return response.redirected ? response.url : `not redirected: HTTP ${response.status}`;
  }, jpeg);
  expect(redirect).toMatch(/\/\?shared=1$/);
  await page.goto(redirect);
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.church.label);
  await expect(page.getByTestId('prediction-row')).toHaveCount(5);
  // Received once: the parameter left the address and the entry left the cache.
  expect(new URL(page.url()).searchParams.has('shared')).toBe(false);
  expect(await page.evaluate(async () => (await (await caches.open('cnn-lens-share')).match('shared-image')) === undefined)).toBe(true);
  expect((await readHook(page)).cameraState).toBe('off');

  // Nothing waiting (opened twice, or the share failed): a clear message, the app stays usable.
  await page.goto('./?shared=1');
  await expect(page.getByTestId('image-error')).toContainText('The shared photo did not arrive');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
});

test('a custom model opened on the phone is still the active model after a reload, and classifies; Forget goes back to the default', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready (SqueezeNet');
  await page.getByTestId('model-input').setInputFiles({ name: 'pocket.onnx', mimeType: 'application/octet-stream', buffer: tinyModel() });
  await expect(page.getByTestId('model-status')).toContainText('ready (pocket');
  await expect(page.getByTestId('model-kept')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('model-status')).toContainText('ready (pocket', { timeout: 60_000 });
  await expect(page.getByTestId('model-select')).toHaveValue('custom');
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('prediction-row')).toHaveCount(4);
  expect((await readHook(page)).lastTop.map((p) => p.label).sort()).toEqual(['class 0', 'class 1', 'class 2', 'class 3']);
  await page.getByTestId('model-forget').tap();
  await expect(page.getByTestId('model-status')).toContainText('ready (SqueezeNet');
  await expect(page.getByTestId('model-select')).toHaveValue('squeezenet1_0');
});
