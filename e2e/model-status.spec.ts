import { expect, test } from '@playwright/test';

test('the app loads the default model in a worker and reports ready on wasm', async ({ page }) => {
  await page.goto('./?backend=wasm');
  const status = page.getByTestId('model-status');
  await expect(status).toContainText('ready');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
});
