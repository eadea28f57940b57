// Settings > Device check on the production server (headers sent): the rows tell what this
// browser gives the app, the thread count comes from the inference worker, and "Copy report" puts
// the same text on the clipboard.
import { expect, test } from '@playwright/test';

test('the device check in Settings shows isolation, the threads and backend that run, and copies a report', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./?backend=wasm&camera=off');
  await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Settings' }).click();
  const check = page.getByTestId('device-check');
  await expect(check.getByTestId('check-secure-context')).toHaveAttribute('data-ok', 'true');
  await expect(check.getByTestId('check-isolated')).toHaveAttribute('data-ok', 'true');
  await expect(check.getByTestId('check-backend')).toHaveText(/^Backend\s*wasm \(WASM: chosen in settings\)$/);
  // The worker's own count (ort.env.wasm.numThreads after session creation), not the request.
  const asked = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)));
  await expect(check.getByTestId('check-threads')).toContainText(`${asked} running (asked for ${asked};`);
  await expect(check.getByTestId('check-simd')).toContainText('yes');
  await expect(check.getByTestId('check-model')).toContainText('SqueezeNet');
  await expect(check.getByTestId('check-version')).toContainText(/\d+\.\d+\.\d+/);

  await check.getByTestId('copy-report').click();
  await expect(check.getByText('Copied to the clipboard.')).toBeVisible();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  expect(report.split('\n')[0]).toBe('CNN Lens device check');
  expect(report).toContain(`WASM threads: ${asked} running`);
  expect(report).toContain('Cross-origin isolated: yes');
  expect(report).toMatch(/User agent: .*Chrome/);
});
