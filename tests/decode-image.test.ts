// The Node decoder behind classify, parity, teach and the accuracy tests: libjpeg-turbo's pixels,
// and one specific message for each kind of bad file (the module stays usable after a failure).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError } from '../scripts/lib/decode-image.js';
import { DEV_PHOTOS_DIR, NO_DEV_PHOTOS } from './helpers/data.js';

const TENCH = 'n01440764/ILSVRC2012_val_00000293.JPEG';

describe('decodeImage', () => {
  it('decodes a dev photo to RGBA with opaque alpha, the same every time', ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const bytes = readFileSync(join(DEV_PHOTOS_DIR!, TENCH));
    const a = decodeImage(bytes);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(a.data.length).toBe(a.width * a.height * 4);
    let alpha = 255;
    let sum = 0;
    for (let i = 0; i < a.data.length; i += 4) {
      alpha = Math.min(alpha, a.data[i + 3]);
      sum += a.data[i] + a.data[i + 1] + a.data[i + 2];
    }
    expect(alpha).toBe(255);
    // Not a blank image: a photo's mean sits well inside 0..255.
    expect(sum / (a.width * a.height * 3)).toBeGreaterThan(20);
    expect(sum / (a.width * a.height * 3)).toBeLessThan(235);
    expect(Buffer.from(decodeImage(bytes).data).equals(Buffer.from(a.data))).toBe(true);
  });

  it('refuses a truncated JPEG, then still decodes a good one', ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const bytes = readFileSync(join(DEV_PHOTOS_DIR!, TENCH));
    expect(() => decodeImage(bytes.subarray(0, 2000))).toThrow('JPEG could not be decoded: Premature end of JPEG file');
    const garbage = Buffer.concat([bytes.subarray(0, 4), Buffer.alloc(500, 7)]);
    expect(() => decodeImage(garbage)).toThrow(ImageDecodeError);
    expect(() => decodeImage(garbage)).toThrow(/^JPEG could not be decoded: .*JPEG datastream contains no image/);
    expect(decodeImage(bytes).width).toBeGreaterThan(0);
  });

  it('refuses a JPEG over 100 megapixels from its header, before decoding', () => {
    // SOI, then a baseline SOF0 segment declaring 20000 x 10000 pixels, 3 components.
    const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x27, 0x10, 0x4e, 0x20, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    const bytes = Uint8Array.from([0xff, 0xd8, ...sof, 0xff, 0xd9]);
    expect(() => decodeImage(bytes)).toThrow('JPEG could not be decoded: 20000x10000 is over 100 megapixels');
  });

  it('names empty files and unknown formats', () => {
    expect(() => decodeImage(new Uint8Array(0))).toThrow('empty file (0 bytes)');
    expect(() => decodeImage(new TextEncoder().encode('GIF89a not a photo'))).toThrow('not a JPEG or PNG image (unrecognised file header)');
    expect(() => decodeImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toThrow(/^PNG could not be decoded: /);
  });
});
