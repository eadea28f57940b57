// Makes the web app manifest's screenshots from the real app: builds it, serves the build, opens
// it in headless Chromium with a fake camera showing a synthetic scene (drawn by
// e2e/fixtures/scene.ts; no photo from ../shared may appear in a committed picture), waits for
// live results and writes
//   public/screenshots/narrow.png  412x915, a phone in portrait: camera + top-5
//   public/screenshots/wide.png    1280x800, a desktop: camera, top-5 and the layer inspector
// in the dark scheme (the manifest's theme colour). `npm run screenshots [-- --port N]`.
// The PNGs are build outputs (gitignored: they show the predictions of a model built from pinned
// upstream weights); the manifest lists them only when they exist.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { build, preview } from 'vite';
import { openScene, syntheticCameraFile, waitForFrames } from '../e2e/fixtures/scene';
import { ROOT } from './lib/paths';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4190' } } });
const port = Number(values.port);
const OUT = join(ROOT, 'public', 'screenshots');

// The fake camera's label is its file's path on this machine: show what a phone would show. A
// string, not a function: tsx's transform adds helpers to functions that the page does not have.
const cameraLabel = `{
  const list = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
  navigator.mediaDevices.enumerateDevices = async () =>
    (await list()).map((d) => (d.kind === 'videoinput' ? { deviceId: d.deviceId, groupId: d.groupId, kind: d.kind, label: 'Back camera', toJSON: () => ({}) } : d));
}`;

async function shoot(page: Page, file: string): Promise<void> {
  await page.addInitScript({ content: cameraLabel });
  await page.reload();
  await waitForFrames(page, 4).catch(async (err: unknown) => {
    console.error(await page.locator('body').innerText());
    throw err;
  });
  // Let the smoothed top-5 settle.
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(OUT, file) });
  console.log(`wrote public/screenshots/${file}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await build({ root: ROOT, logLevel: 'warn' });
  const server = await preview({ root: ROOT, preview: { port, strictPort: true } });
  const baseURL = `http://localhost:${port}/`;
  const fakeVideo = syntheticCameraFile();
  try {
    const narrow = await openScene(baseURL, './?backend=wasm', { fakeVideo }, { viewport: { width: 412, height: 915 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    try {
      await shoot(narrow.page, 'narrow.png');
    } finally {
      await narrow.browser.close();
    }
    const wide = await openScene(baseURL, './?backend=wasm', { fakeVideo }, { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: 'dark' });
    try {
      const page = wide.page;
      await page.addInitScript({ content: cameraLabel });
      await page.reload();
      await waitForFrames(page, 2);
      await page.getByTestId('inspector-toggle').click();
      await page.getByTestId('layer-select').selectOption('conv1');
      await page.getByTestId('feature-grid').waitFor();
      await page.getByTestId('feature-grid-cell').nth(0).focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('channel-view').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(OUT, 'wide.png') });
      console.log('wrote public/screenshots/wide.png');
    } finally {
      await wide.browser.close();
    }
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
