// Decodes JPEG and PNG files in Node into RGBA pixels, recognising the format by its magic bytes.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../../src/preprocess/preprocess.js';

export class ImageDecodeError extends Error {}

/** Larger images would need gigabytes as RGBA; jpeg-js refuses them too. */
const MAX_MEGAPIXELS = 100;

export function decodeImage(bytes: Uint8Array): RgbaImage {
  if (bytes.byteLength === 0) throw new ImageDecodeError('empty file (0 bytes)');
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.byteLength >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  try {
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
      return { width: img.width, height: img.height, data: img.data };
    }
    if (isPng) {
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    }
  } catch (err) {
    throw new ImageDecodeError(`${isJpeg ? 'JPEG' : 'PNG'} could not be decoded: ${(err as Error).message}`);
  }
  throw new ImageDecodeError('not a JPEG or PNG image (unrecognised file header)');
}
