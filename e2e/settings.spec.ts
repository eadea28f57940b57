// Settings survive a reload; broken or unavailable storage gives a message and the app keeps working.
import { expect, test } from '@playwright/test';
import { devPhoto, PHOTOS } from './fixtures/scene';

test('backend, smoothing and the inspector colours are remembered across a reload', async ({ page }) => {
  await page.goto('./?camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByTestId('backend-select').selectOption('wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await page.getByTestId('smoothing').uncheck();
  await page.getByTestId('inspector-toggle').click();
  await page.getByTestId('colormap-select').selectOption('greys');
  await page.getByTestId('scale-select').selectOption('layer');
  await page.reload();
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
  await expect(page.getByTestId('smoothing')).not.toBeChecked();
  await page.getByTestId('inspector-toggle').click();
  await expect(page.getByTestId('colormap-select')).toHaveValue('greys');
  await expect(page.getByTestId('scale-select')).toHaveValue('layer');
  // A URL-forced backend is for that visit only: the saved choice stays.
  await page.goto('./?camera=off&backend=webgpu');
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('cnn-lens.settings.v1')))!).backend).toBe('wasm');
});

test('invalid saved settings are reset with a message; storage that refuses writes gives one too', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('step') === null) {
      sessionStorage.setItem('step', '1');
      localStorage.setItem('cnn-lens.settings.v1', JSON.stringify({ backend: 'quantum', smoothing: 'yes', colormap: 'greys' }));
    } else {
      // A full disk: every write to localStorage fails (sessionStorage still works).
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        if (this === localStorage) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.call(this, key, value);
      };
    }
  });
  await page.goto('./?camera=off&backend=wasm');
  await expect(page.getByTestId('settings-storage-error')).toHaveText('Some saved settings were not valid and were reset: backend, smoothing.');
  await page.getByTestId('inspector-toggle').click();
  await expect(page.getByTestId('colormap-select')).toHaveValue('greys');

  await page.reload();
  await expect(page.getByTestId('model-status')).toContainText('ready');
  await expect(page.getByTestId('settings-storage-error')).toContainText("this site's storage is full");
  // The app works on: a photo is classified.
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.golfBall.file));
  await expect(page.getByTestId('top1-label')).toHaveText(PHOTOS.golfBall.label);
});
