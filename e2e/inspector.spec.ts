// The layer inspector on the live fake camera: conv1's 96 channels from the TypeScript reference,
// agreement with onnxruntime, the model summary, a receptive field, and PNG export.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cameraFile, openScene, PHOTOS, waitForFrames } from './fixtures/scene';

test('inspector shows conv1, agrees with onnxruntime, draws a 7x7 receptive field and exports PNGs', async ({ baseURL }) => {
  const { browser, page } = await openScene(baseURL!, './?backend=wasm', { fakeVideo: cameraFile(PHOTOS.golfBall.file) });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  try {
    await expect(page.getByTestId('model-status')).toContainText('ready');
    await waitForFrames(page, 2);
    await page.getByTestId('inspector-toggle').click();
    const panel = page.getByTestId('inspector');
    await expect(panel).toHaveAttribute('data-open', 'true');

    await expect(page.getByTestId('summary-total-params')).toHaveText('1248424');
    await expect(page.getByTestId('model-summary').locator('tbody tr')).toHaveCount(66);

    await page.getByTestId('layer-select').selectOption('conv1');
    const grid = page.getByTestId('feature-grid');
    await expect(grid).toHaveAttribute('data-channels', '96');
    // The canvas is not uniform: the reference computed real feature maps.
    const distinct = await grid.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });
    expect(distinct).toBeGreaterThan(50);
    await expect(page.getByText('(227 − 7 + 2·0) / 2 + 1 = 111').first()).toBeVisible();
    // The live refresh rate: refreshes are counted and the rate read from them while frames flow.
    const hz = page.getByTestId('inspector-hz');
    await expect.poll(async () => Number(await hz.getAttribute('data-refreshes')), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(async () => Number(await hz.getAttribute('data-hz')), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(hz).toContainText('refreshes/s');

    // Agreement with onnxruntime on the same frame.
    await expect(page.getByTestId('parity-top1')).toHaveText('agree', { timeout: 90_000 });
    const maxDiff = Number(await page.getByTestId('parity-maxdiff').textContent());
    expect(maxDiff).toBeLessThan(1e-3);
    const layerDiff = Number(await page.getByTestId('parity-layer-maxdiff').textContent());
    expect(layerDiff).toBeLessThan(1e-3);

    // Tap a cell in the middle of channel 0 (a 111x111 map in the top-left tile).
    const box = (await grid.boundingBox())!;
    const size = await grid.evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
    const scale = box.width / size.w;
    await grid.click({ position: { x: 55 * scale, y: 55 * scale } });
    const rf = page.getByTestId('receptive-field');
    await expect(rf).toHaveAttribute('data-width', '7');
    await expect(rf).toHaveAttribute('data-height', '7');
    await expect(rf).toContainText('7×7 input pixels');
    await expect(page.getByTestId('receptive-field-box')).toBeVisible();
    await expect(page.getByTestId('channel-view')).toBeVisible();

    // Keyboard: one tab stop for the grid (roving tabindex); arrows move, Enter opens the channel.
    await page.getByTestId('channel-view').getByRole('button', { name: 'Close the channel view' }).click();
    const cells = page.getByTestId('feature-grid-cell');
    await expect(cells).toHaveCount(96);
    await expect(page.locator('[data-testid="feature-grid-cell"][tabindex="0"]')).toHaveCount(1);
    await cells.nth(0).focus();
    const cols = await grid.evaluate((c: HTMLCanvasElement) => Math.round(c.width / (111 + 1)));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = page.locator('[data-testid="feature-grid-cell"]:focus');
    await expect(focused).toHaveAttribute('data-channel', String(1 + cols));
    await expect(focused).toHaveAttribute('aria-label', new RegExp(`^conv1, channel ${1 + cols}, mean activation -?\\d`));
    await expect(focused).toHaveCSS('outline-style', 'solid');
    await page.keyboard.press('End');
    await expect(focused).toHaveAttribute('data-channel', '95');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('channel-view').locator('h4')).toHaveText('conv1 · channel 1');
    // In the channel view, arrow keys move a cursor from the centre and Enter shows its receptive field.
    await page.getByTestId('channel-map').focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('channel-value')).toContainText('value at (55, 54):');
    await page.keyboard.press('Enter');
    await expect(rf).toContainText('Receptive field of conv1 (55, 54)');

    // Live refreshes go on with the channel open; a shown tensor's buffer goes back to the reference
    // worker only after a newer one replaced it: the values read stay numbers, nothing throws.
    const before = Number(await hz.getAttribute('data-refreshes'));
    await expect.poll(async () => Number(await hz.getAttribute('data-refreshes')), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 4);
    await page.getByTestId('channel-map').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('channel-value')).toHaveText(/value at \(55, 55\): -?\d+(\.\d+)?(e[-+]\d+)?$/);
    await grid.hover({ position: { x: 20 * scale, y: 30 * scale } });
    await expect(page.getByTestId('feature-grid-value')).toHaveText(/^ch 0 \(\d+, \d+\) = -?\d/);
    expect(pageErrors).toEqual([]);

    // PNG export of the grid and of the channel.
    for (const id of ['feature-grid-export', 'channel-export']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      const bytes = readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(download.suggestedFilename()).toMatch(/^conv1-.*\.png$/);
    }

    // What-if: average pooling instead of max on pool1, marked as such.
    await page.getByTestId('layer-select').selectOption('pool1');
    await expect(grid).toHaveAttribute('data-channels', '96');
    await page.getByTestId('whatif-toggle').check();
    await expect(page.getByTestId('whatif-grid')).toHaveAttribute('data-channels', '96');
    await expect(page.getByText('What-if (not the network): average pooling')).toBeVisible();
  } finally {
    await browser.close();
  }
});
