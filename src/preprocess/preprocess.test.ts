import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../model/manifest.js';
import { cropGeometry, cropWindow, normalizeRegion, preprocess, PreprocessError, type RgbaImage } from './preprocess.js';

/** An RGBA image whose R, G and B are given per pixel by f(x, y). */
function image(width: number, height: number, f: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = f(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

const identity = (short: number, crop: number): PreprocessSpec => ({
  resizeShortSide: short,
  cropWidth: crop,
  cropHeight: crop,
  channelOrder: 'RGB',
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
});

describe('preprocess', () => {
  it('keeps a 2x2 image as it is and lays it out NCHW', () => {
    const img = image(2, 2, (x, y) => [10 * (y * 2 + x), 100 + y, 200 + x]);
    const out = preprocess(img, identity(2, 2));
    expect(Array.from(out)).toEqual([0, 10, 20, 30, 100, 100, 101, 101, 200, 201, 200, 201]);
  });

  it('applies BGR order, scale, mean and std per model channel', () => {
    const img = image(2, 2, () => [30, 60, 90]);
    const spec: PreprocessSpec = { ...identity(2, 2), channelOrder: 'BGR', scale: 0.5, mean: [5, 10, 15], std: [2, 4, 5] };
    const out = preprocess(img, spec);
    // channel 0 is blue: (90 * 0.5 - 5) / 2 = 20; green: (30 - 10) / 4 = 5; red: (15 - 15) / 5 = 0
    expect(Array.from(out.subarray(0, 4))).toEqual([20, 20, 20, 20]);
    expect(Array.from(out.subarray(4, 8))).toEqual([5, 5, 5, 5]);
    expect(Array.from(out.subarray(8, 12))).toEqual([0, 0, 0, 0]);
  });

  it('centre-crops a landscape image (4x2 -> middle two columns)', () => {
    const img = image(4, 2, (x) => [x * 50, 0, 0]);
    const out = preprocess(img, identity(2, 2));
    expect(Array.from(out.subarray(0, 4))).toEqual([50, 100, 50, 100]);
  });

  it('centre-crops a portrait image with an odd margin by rounding the offset down (2x5 -> rows 1..2)', () => {
    const img = image(2, 5, (_, y) => [y * 40, 0, 0]);
    const g = cropGeometry(2, 5, identity(2, 2));
    expect(g.top).toBe(1);
    const out = preprocess(img, identity(2, 2));
    expect(Array.from(out.subarray(0, 4))).toEqual([40, 40, 80, 80]);
  });

  it('enlarges with half-pixel bilinear interpolation (2 -> 4 pixels: 0, 25, 75, 100)', () => {
    const img = image(2, 2, (x) => [x * 100, 0, 0]);
    const out = preprocess(img, identity(4, 4));
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 25, 75, 100]);
  });

  it('shrinks with a widened (antialiased) triangle filter (4 -> 2 pixels: 50, 160)', () => {
    const img = image(4, 4, (x) => [x * 70, 0, 0]);
    const out = preprocess(img, identity(2, 2));
    // x=0: (0*.75 + 70*.75 + 140*.25) / 1.75 = 50; x=1: (70*.25 + 140*.75 + 210*.75) / 1.75 = 160
    expect(Array.from(out.subarray(0, 2))).toEqual([50, 160]);
  });

  it('resizes the short side and truncates the long side like torchvision (640x480 -> 341x256)', () => {
    const g = cropGeometry(640, 480, { ...identity(256, 227) });
    expect([g.resizedWidth, g.resizedHeight, g.left, g.top]).toEqual([341, 256, 57, 14]);
    expect(g.source.width).toBeCloseTo((227 * 640) / 341, 6);
    const p = cropGeometry(375, 500, identity(256, 227));
    expect([p.resizedWidth, p.resizedHeight, p.left, p.top]).toEqual([256, 341, 14, 57]);
  });

  it('produces the model input size from an odd-sized frame (1281x719)', () => {
    const img = image(1281, 719, (x, y) => [x % 256, y % 256, 7]);
    const out = preprocess(img, identity(256, 227));
    expect(out.length).toBe(3 * 227 * 227);
    expect(out[2 * 227 * 227 + 1000]).toBe(7);
  });

  it('crops a frame the browser already resized (341x256, SqueezeNet) pixel for pixel, as resampling at scale 1 would', () => {
    const spec: PreprocessSpec = { resizeShortSide: 256, cropWidth: 227, cropHeight: 227, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] };
    const img = image(341, 256, (x, y) => [(x * 7 + y) % 256, (x + y * 3) % 256, (x * y) % 256]);
    const out = preprocess(img, spec);
    const plane = 227 * 227;
    // Crop offset: left floor((341 - 227) / 2) = 57, top floor((256 - 227) / 2) = 14.
    for (const [x, y] of [[0, 0], [226, 0], [100, 113], [226, 226]]) {
      const [sx, sy] = [x + 57, y + 14];
      const o = y * 227 + x;
      expect(out[o]).toBe(((sx * sy) % 256) - 104); // B first
      expect(out[plane + o]).toBe(((sx + sy * 3) % 256) - 117);
      expect(out[2 * plane + o]).toBe(((sx * 7 + sy) % 256) - 123);
    }
  });

  it('rejects a 1-pixel-wide image with a clear message', () => {
    const img = image(1, 300, () => [0, 0, 0]);
    expect(() => preprocess(img, identity(256, 227))).toThrow(PreprocessError);
    expect(() => preprocess(img, identity(256, 227))).toThrow(/1x300 pixels; both sides must be at least 2/);
  });

  it('rejects pixel data that does not match the stated size', () => {
    expect(() => preprocess({ width: 3, height: 3, data: new Uint8Array(10) }, identity(2, 2))).toThrow(/expected 3x3x4 = 36/);
  });
});

describe('crop rule as data: central fraction (TF-slim)', () => {
  const central = (fraction: number, size: number): PreprocessSpec => ({ ...identity(size, size), crop: { kind: 'central-fraction', fraction } });

  it('cuts floor(size * (1 - f) / 2) from each end and stretches the rest to the input size', () => {
    // 640 x 480, 87.5 %: cut floor(640 / 16) = 40 and floor(480 / 16) = 30 per side -> 560 x 420.
    const g = cropGeometry(640, 480, central(0.875, 224));
    expect(g.source).toEqual({ x: 40, y: 30, width: 560, height: 420 });
    expect(g.scaleX).toBe(2.5);
    expect(g.scaleY).toBe(1.875);
    // Not a square crop of a short-side resize: the aspect ratio is not kept.
    expect(g.scaleX).not.toBe(g.scaleY);
    expect([g.resizedWidth, g.resizedHeight]).toEqual([256, 256]);
  });

  it('keeps an image already at the input size with fraction 1', () => {
    const img = image(6, 6, (x, y) => [x * 40, y * 40, (x + y) * 10]);
    const out = preprocess(img, central(1, 6));
    const plain = preprocess(img, identity(6, 6));
    expect(Array.from(out)).toEqual(Array.from(plain));
    expect(out[6 * 2 + 3]).toBe(120);
  });

  it('leaves out the margin: a 1-pixel red frame outside the central 75 % never reaches the output', () => {
    // 8 x 8, 75 %: floor(8 * 0.125) = 1 pixel cut per side -> the blue 6 x 6 inside, at scale 1.
    const img = image(8, 8, (x, y) => (x < 1 || x >= 7 || y < 1 || y >= 7 ? [255, 0, 0] : [0, 0, 255]));
    const out = preprocess(img, central(0.75, 6));
    expect(Array.from(out.subarray(0, 36))).toEqual(new Array(36).fill(0));
    expect(Array.from(out.subarray(72, 108))).toEqual(new Array(36).fill(255));
  });

  describe("resample 'bilinear': TensorFlow 1's resize_bilinear (no antialiasing, source = i * scale)", () => {
    const wide = (fraction: number, cropWidth: number, resample?: PreprocessSpec['resample']): PreprocessSpec => ({
      ...identity(2, 2),
      crop: { kind: 'central-fraction', fraction },
      cropWidth,
      resample,
    });
    // One row of red 0, 10, 20, ..., repeated on two rows: the height stays at scale 1.
    const ramp = (width: number) => image(width, 2, (x) => [x * 10, 0, 0]);
    const red = (out: Float32Array, n: number) => Array.from(out.subarray(0, n));

    it('shrinks 8 -> 2 by reading pixels 0 and 4 and skipping the rest (antialiased: their averages)', () => {
      expect(red(preprocess(ramp(8), wide(1, 2, 'bilinear')), 4)).toEqual([0, 40, 0, 40]);
      // The default averages triangles of half-width 4 around 2 and 6 (half-pixel centres), cut at
      // the edges: pixels 0..5 weigh 5, 7, 7, 5, 3, 1 (/ 28) -> 18.9, and symmetrically 51.1.
      expect(red(preprocess(ramp(8), wide(1, 2)), 2)).toEqual([19, 51]);
    });

    it('interpolates between the two neighbours: 8 -> 3 reads 0, 8/3 and 16/3 -> 0, 26.67, 53.33, rounded to 8 bits', () => {
      expect(red(preprocess(ramp(8), wide(1, 3, 'bilinear')), 3)).toEqual([0, 27, 53]);
    });

    it('starts at the central crop: 10 wide at 60 % cuts 2 per side, then reads crop pixels 0 and 3 (image pixels 2 and 5)', () => {
      expect(red(preprocess(ramp(10), wide(0.6, 2, 'bilinear')), 2)).toEqual([20, 50]);
    });

    it('clamps at the last pixel when enlarging: 2 -> 4 reads 0, 0.5, 1, 1.5 -> 0, 5, 10, 10', () => {
      expect(red(preprocess(ramp(2), wide(1, 4, 'bilinear')), 4)).toEqual([0, 5, 10, 10]);
    });
  });

  it('with the same spec minus the crop rule, falls back to resize-short-then-center', () => {
    const g = cropGeometry(640, 480, identity(256, 224));
    expect(g.source.x).toBeCloseTo(((341 - 224) >> 1) * (640 / 341), 9);
    expect([g.resizedWidth, g.resizedHeight]).toEqual([341, 256]);
  });
});

describe('cropWindow (cut the crop out first, then resize)', () => {
  function cut(img: RgbaImage, r: { x: number; y: number; width: number; height: number }): RgbaImage {
    const data = new Uint8ClampedArray(r.width * r.height * 4);
    for (let y = 0; y < r.height; y++) data.set(img.data.subarray(((r.y + y) * img.width + r.x) * 4, ((r.y + y) * img.width + r.x + r.width) * 4), y * r.width * 4);
    return { width: r.width, height: r.height, data };
  }
  // Smooth detail at every scale the crop sees: waves of 37 and 91 source pixels.
  const wave = (x: number, y: number): [number, number, number] => [
    128 + 100 * Math.sin(x / 37) * Math.cos(y / 53),
    128 + 90 * Math.cos((x + y) / 91),
    128 + 80 * Math.sin((x - 2 * y) / 61),
  ];
  const spec = identity(64, 56);

  for (const [name, w, h] of [
    ['a landscape panorama', 9000, 300],
    ['a portrait panorama', 300, 9000],
  ] as const) {
    it(`${name} (${w}x${h}): the window keeps the short side, and its crop equals the whole image's`, () => {
      const img = image(w, h, wave);
      const win = cropWindow(w, h, spec);
      const short = Math.min(w, h);
      expect(Math.min(win.width, win.height)).toBe(short);
      // The crop's own source extent (56/64 of the short side) plus the filter's margin.
      expect(Math.max(win.width, win.height)).toBeGreaterThanOrEqual(Math.ceil((56 / 64) * short));
      expect(Math.max(win.width, win.height)).toBeLessThan(short + 40);
      const whole = preprocess(img, spec);
      const windowed = preprocess(cut(img, win), spec);
      let worst = 0;
      for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i] - windowed[i]));
      // Up to a resized pixel of rounding in the centre offset: small against the 0-255 range.
      expect(worst).toBeLessThan(30);
      const cg = cropGeometry(w, h, spec).source;
      const wg = cropGeometry(win.width, win.height, spec).source;
      expect(Math.abs(win.x + wg.x - cg.x)).toBeLessThanOrEqual(cg.width / 56 + 1);
      expect(Math.abs(win.y + wg.y - cg.y)).toBeLessThanOrEqual(cg.height / 56 + 1);
      expect(wg.width).toBeCloseTo(cg.width, 0);
    });
  }

  it('never cuts into the short side: a 4:3 photo keeps its centre square, a square one all of it', () => {
    expect(cropWindow(640, 480, identity(256, 227))).toEqual({ x: 80, y: 0, width: 480, height: 480 });
    expect(cropWindow(500, 500, identity(256, 227))).toEqual({ x: 0, y: 0, width: 500, height: 500 });
  });

  it('takes the whole image as the window of a central-fraction crop (cutting first would change the fraction)', () => {
    const spec: PreprocessSpec = { ...identity(256, 224), crop: { kind: 'central-fraction', fraction: 0.875 } };
    expect(cropWindow(8000, 1000, spec)).toEqual({ x: 0, y: 0, width: 8000, height: 1000 });
  });
});

describe('normalizeRegion (a capture already at the resize size: only its crop is read)', () => {
  const caffe: PreprocessSpec = { resizeShortSide: 4, cropWidth: 3, cropHeight: 3, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] };
  const torch: PreprocessSpec = { resizeShortSide: 4, cropWidth: 3, cropHeight: 3, channelOrder: 'RGB', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
  // Every 8-bit value appears in every channel somewhere: 6x4 pixels, values spread over 0..255.
  const img = image(6, 4, (x, y) => [(x * 47 + y * 101) % 256, (x * 13 + y * 211 + 7) % 256, (255 - x * 31 - y * 17) & 255]);

  it('gives the float32 of (v * scale - mean) / std exactly, in the model order, for RGB and BGR', () => {
    for (const spec of [caffe, torch]) {
      const out = new Float32Array(27);
      normalizeRegion(img.data, 6, 2, 1, 3, 3, spec, out);
      const bgr = spec.channelOrder === 'BGR';
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 3; x++) {
          const i = ((1 + y) * 6 + 2 + x) * 4;
          const [r, g, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
          const want = [bgr ? b : r, g, bgr ? r : b].map((v, c) => Math.fround((v * spec.scale - spec.mean[c]) / spec.std[c]));
          expect([out[y * 3 + x], out[9 + y * 3 + x], out[18 + y * 3 + x]]).toEqual(want);
        }
      }
    }
  });

  it('equals the whole-image preprocessing of a frame at the resize size (read whole, crop taken there)', () => {
    // 6x4 with short side 4 -> no resize, crop 3x3 at (1, 0): the region read alone gives the same tensor.
    const whole = preprocess(img, caffe);
    const g = cropGeometry(6, 4, caffe);
    expect([g.scaleX, g.scaleY, g.left, g.top]).toEqual([1, 1, 1, 0]);
    const alone = new Float32Array(27);
    normalizeRegion(img.data, 6, 1, 0, 3, 3, caffe, alone);
    expect(Array.from(alone)).toEqual(Array.from(whole));
  });

  it('refuses an output buffer of the wrong size', () => {
    expect(() => normalizeRegion(img.data, 6, 0, 0, 3, 3, caffe, new Float32Array(26))).toThrow('output buffer holds 26 values, needs 27');
  });
});
