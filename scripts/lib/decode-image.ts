// Decodes JPEG and PNG files in Node into RGBA pixels, recognising the format by its magic bytes.
// JPEGs go through libjpeg-turbo (mozjpeg's decoder compiled to wasm, @jsquash/jpeg), the library
// inside Chromium, so the Node tools see the very pixels the app sees (identical on all 200 dev
// photos, e2e/decoder.spec.ts). PNGs go through pngjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import mozjpegFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../../src/preprocess/preprocess.js';

export class ImageDecodeError extends Error {}

/** RGBA, 4 bytes a pixel, row by row. */
export interface DecodedImage extends RgbaImage {
  data: Uint8Array;
}

/** Larger images would need gigabytes as RGBA. */
const MAX_MEGAPIXELS = 100;

/** What libjpeg says while decoding (warnings and the reason for a failure), one decode at a time. */
const libjpegMessages: string[] = [];
const wasm = await WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')));
const mozjpeg = await mozjpegFactory({
  noInitialRun: true,
  print: (line: string) => libjpegMessages.push(line),
  printErr: (line: string) => libjpegMessages.push(line),
  instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => {
    const instance = new WebAssembly.Instance(wasm, imports);
    done(instance);
    return instance.exports;
  },
});

/** Width and height from the first start-of-frame marker, or null where there is none. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    i += 2 + length;
  }
  return null;
}

function decodeJpeg(bytes: Uint8Array): DecodedImage {
  const size = jpegSize(bytes);
  if (size && size.width * size.height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`${size.width}x${size.height} is over ${MAX_MEGAPIXELS} megapixels`);
  }
  libjpegMessages.length = 0;
  let image: { width: number; height: number; data: Uint8ClampedArray } | null = null;
  try {
    image = mozjpeg.decode(bytes, false);
  } catch {
    // libjpeg's error exit: the reason is its last message.
  }
  // A file cut short decodes with grey where the data ends; refuse it as the browser's decoder would show it damaged.
  const truncated = libjpegMessages.find((m) => m.startsWith('Premature end of JPEG file'));
  if (!image || truncated) throw new Error(libjpegMessages.filter((m) => m.trim()).join('; ') || 'libjpeg returned no image');
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
}

export function decodeImage(bytes: Uint8Array): DecodedImage {
  if (bytes.byteLength === 0) throw new ImageDecodeError('empty file (0 bytes)');
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = bytes.byteLength >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  try {
    if (isJpeg) return decodeJpeg(bytes);
    if (isPng) {
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    }
  } catch (err) {
    throw new ImageDecodeError(`${isJpeg ? 'JPEG' : 'PNG'} could not be decoded: ${(err as Error).message}`);
  }
  throw new ImageDecodeError('not a JPEG or PNG image (unrecognised file header)');
}
