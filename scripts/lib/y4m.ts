// Photos -> y4m files for Chromium's fake camera (--use-file-for-fake-video-capture).
// Chromium decodes y4m as limited-range BT.601 whatever the header says, so that is what we write:
// YUV 4:2:0, Y in 16..235, Cb/Cr in 16..240, chroma averaged over 2x2 blocks.
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeImage } from './decode-image.js';

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodeJpegFile(path: string): Rgba {
  return decodeImage(readFileSync(path));
}

/**
 * Fits the image inside width x height (aspect kept, box-filter resampling), centred on grey padding.
 * Both sides must be even for 4:2:0.
 */
export function fitInto(src: Rgba, width: number, height: number): Rgba {
  const out = new Uint8Array(width * height * 4).fill(128);
  const scale = Math.min(width / src.width, height / src.height);
  const w = Math.round(src.width * scale);
  const h = Math.round(src.height * scale);
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor((y * src.height) / h);
    const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor((x * src.width) / w);
      const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * src.width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const i = (sy * src.width + sx) * 4;
          r += src.data[i];
          g += src.data[i + 1];
          b += src.data[i + 2];
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0);
      const o = ((oy + y) * width + ox + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : Math.round(v));

/** One 4:2:0 frame (Y plane, then Cb, then Cr) in limited-range BT.601. */
export function rgbaToI420(img: Rgba): Uint8Array {
  const { width, height, data } = img;
  if (width % 2 || height % 2) throw new Error(`y4m 4:2:0 needs even sides, got ${width}x${height}`);
  const cw = width / 2;
  const ch = height / 2;
  const out = new Uint8Array(width * height + 2 * cw * ch);
  for (let i = 0, p = 0; i < width * height; i++, p += 4) {
    out[i] = clamp(16 + 0.256788 * data[p] + 0.504129 * data[p + 1] + 0.097906 * data[p + 2], 16, 235);
  }
  const u0 = width * height;
  const v0 = u0 + cw * ch;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((2 * y + dy) * width + 2 * x + dx) * 4;
        r += data[p];
        g += data[p + 1];
        b += data[p + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[u0 + y * cw + x] = clamp(128 - 0.148223 * r - 0.290993 * g + 0.439216 * b, 16, 240);
      out[v0 + y * cw + x] = clamp(128 + 0.439216 * r - 0.367788 * g - 0.071427 * b, 16, 240);
    }
  }
  return out;
}

/** Writes `frames` copies of the image as a y4m file (Chromium loops it). */
export function writeY4m(path: string, img: Rgba, frames = 3, fps = 30): void {
  const header = Buffer.from(`YUV4MPEG2 W${img.width} H${img.height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frame = rgbaToI420(img);
  const marker = Buffer.from('FRAME\n');
  const parts: Uint8Array[] = [header];
  for (let i = 0; i < frames; i++) parts.push(marker, frame);
  writeFileSync(path, Buffer.concat(parts));
}

/** A dev photo -> a fake-camera file of the given size. */
export function photoToY4m(photo: string, out: string, width = 320, height = 240, frames = 3): string {
  writeY4m(out, fitInto(decodeJpegFile(photo), width, height), frames);
  return out;
}
