// Automated accessibility checks (axe-core) on the live view, the inspector with a channel open,
// Settings and the model dialog (a custom model with its preprocessing and labels form), in both
// the desktop and the phone project: no serious or critical violations.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContextOptions, type Page } from '@playwright/test';
import { tinyModel } from './fixtures/models';
import { cameraFile, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

function device(): BrowserContextOptions {
  const u = test.info().project.use;
  return { viewport: u.viewport, userAgent: u.userAgent, deviceScaleFactor: u.deviceScaleFactor, isMobile: u.isMobile, hasTouch: u.hasTouch };
}

/**
 * Serious and critical violations in the light and in the dark colour scheme, as
 * "scheme rule: selector (summary)" lines, so a failure reads as a to-do list.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      for (const n of v.nodes) found.push(`${scheme} ${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(0, 2).join(' ')}`);
    }
  }
  return found;
}

test('no serious or critical violations in the live view, inspector, Settings and model dialog, light and dark', async ({ baseURL }) => {
  test.setTimeout(240_000);
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.golfBall.file) }, device());
  try {
    await waitForFrames(page, 2);
    await expect(page.getByTestId('prediction-row')).toHaveCount(5);
    expect(await seriousViolations(page), 'live view').toEqual([]);

    await page.getByTestId('inspector-toggle').click();
    await page.getByTestId('layer-select').selectOption('conv1');
    await expect(page.getByTestId('feature-grid')).toHaveAttribute('data-channels', '96');
    await page.getByTestId('feature-grid-cell').nth(3).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('channel-view')).toBeVisible();
    await expect(page.getByTestId('parity-top1')).toHaveText('agree', { timeout: 90_000 });
    expect(await seriousViolations(page), 'inspector').toEqual([]);
    await page.getByTestId('inspector-toggle').click();

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('backend-select')).toBeVisible();
    expect(await seriousViolations(page), 'settings').toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'cnn-lens-a11y-'));
    const file = join(dir, 'tiny.onnx');
    writeFileSync(file, tinyModel());
    await page.getByTestId('model-input').setInputFiles(file);
    await expect(page.getByTestId('model-name')).toHaveText('tiny');
    await page.getByTestId('model-settings-toggle').click();
    await expect(page.getByTestId('model-channel-order')).toBeVisible();
    expect(await seriousViolations(page), 'model dialog').toEqual([]);
  } finally {
    await browser.close();
  }
});
