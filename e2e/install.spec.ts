// Installing: the Install button appears when the browser offers installation and shows the
// browser's prompt; iOS Safari gets a dismissible "Add to Home Screen" hint instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { devices, expect, test } from '@playwright/test';
import { ROOT } from '../scripts/lib/paths';

test('Install appears with beforeinstallprompt, prompts on tap, and goes once answered', async ({ page }) => {
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await expect(page.getByTestId('install-app')).toHaveCount(0);
  // What Chromium fires when the app is installable (headless never does on its own).
  await page.evaluate(() => {
    const e = new Event('beforeinstallprompt', { cancelable: true }) as Event & Record<string, unknown>;
    const w = window as unknown as { prompted: number };
    w.prompted = 0;
    e.prompt = async () => void w.prompted++;
    e.userChoice = Promise.resolve({ outcome: 'accepted' });
    window.dispatchEvent(e);
    (window as unknown as { defaultPrevented: boolean }).defaultPrevented = e.defaultPrevented;
  });
  expect(await page.evaluate(() => (window as unknown as { defaultPrevented: boolean }).defaultPrevented)).toBe(true);
  await page.getByTestId('install-app').click();
  expect(await page.evaluate(() => (window as unknown as { prompted: number }).prompted)).toBe(1);
  await expect(page.getByTestId('install-app')).toHaveCount(0);
  await expect(page.getByTestId('ios-install-hint')).toHaveCount(0);
});

test('iOS Safari shows the Add to Home Screen hint until dismissed', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, userAgent: devices['iPhone 13'].userAgent, viewport: devices['iPhone 13'].viewport });
  const page = await context.newPage();
  try {
    await page.goto('./?backend=wasm&camera=off');
    const hint = page.getByTestId('ios-install-hint');
    await expect(hint).toContainText('Add to Home Screen');
    await page.getByTestId('ios-install-dismiss').click();
    await expect(hint).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await expect(hint).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('the manifest lists a narrow and a wide screenshot whose PNGs have the declared sizes', async ({ page, request }) => {
  // A build output of `npm run screenshots` (npm test makes them first).
  test.skip(!existsSync(join(ROOT, 'public', 'screenshots', 'wide.png')), 'no manifest screenshots: run npm run screenshots');
  await page.goto('./?camera=off');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await request.get(href!)).json()) as { screenshots: { src: string; sizes: string; form_factor: string }[] };
  expect(manifest.screenshots.map((s) => s.form_factor).sort()).toEqual(['narrow', 'wide']);
  for (const shot of manifest.screenshots) {
    const png = await (await request.get(shot.src)).body();
    // Width and height sit in the IHDR chunk, bytes 16..24, big-endian.
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(shot.sizes);
  }
});
