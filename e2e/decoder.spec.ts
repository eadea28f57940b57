// The Node tools (classify, parity, teach, the accuracy tests) decode JPEGs with libjpeg-turbo
// (scripts/lib/decode-image.ts); Chromium decodes the app's photos with its own copy. Same pixels,
// byte for byte, so a figure measured in Node is the app's figure.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { decodeImage } from '../scripts/lib/decode-image';
import { devPhoto } from './fixtures/scene';

// One photo of each of five classes (the dev set stores them as 224 x 224 baseline JPEGs).
const PHOTOS = [
  'n01440764/ILSVRC2012_val_00000293.JPEG',
  'n02102040/ILSVRC2012_val_00004650.JPEG',
  'n03028079/ILSVRC2012_val_00004912.JPEG',
  'n03417042/ILSVRC2012_val_00005094.JPEG',
  'n03888257/ILSVRC2012_val_00001440.JPEG',
];

test('Chromium and the Node decoder give identical pixels for dev photos', async ({ page }) => {
  await page.goto('about:blank');
  for (const name of PHOTOS) {
    const bytes = readFileSync(devPhoto(name));
    const node = decodeImage(bytes);
    const browser = await page.evaluate(async (b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([data], { type: 'image/jpeg' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height, data: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
    }, bytes.toString('base64'));
    expect([browser.width, browser.height], name).toEqual([node.width, node.height]);
    let differing = 0;
    for (let i = 0; i < node.data.length; i++) differing += +(node.data[i] !== browser.data[i]);
    expect(differing, `${name}: bytes that differ`).toBe(0);
  }
});
