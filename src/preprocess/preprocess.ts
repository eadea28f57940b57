// RGBA pixels of any size -> the model's NCHW float32 input, as the model's manifest prescribes:
// the crop rule (resize the short side to S then centre crop, or take a central fraction and
// resize it; bilinear, antialiased when shrinking), channel order, (pixel * scale - mean) / std.
// The same code runs in Node, the page and the workers.
import type { PreprocessSpec } from '../model/manifest.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA. */
  data: Uint8Array | Uint8ClampedArray;
}

export class PreprocessError extends Error {}

/** Where the crop the model sees lies, in the coordinates of the source image. */
export interface CropGeometry {
  /**
   * Size of the whole image at the crop's scale (after the short-side resize); rounded for a
   * central-fraction crop, where it only tells a browser-side resize what size to ask for.
   */
  resizedWidth: number;
  resizedHeight: number;
  /** Top-left of the crop in resized coordinates (may be fractional for a central-fraction crop). */
  left: number;
  top: number;
  cropWidth: number;
  cropHeight: number;
  /** Source pixels per resized pixel (the same on both axes up to rounding of the long side, unless the rule stretches). */
  scaleX: number;
  scaleY: number;
  /** The crop rectangle in source pixels. */
  source: { x: number; y: number; width: number; height: number };
}

/** Values in the model's [1, 3, cropHeight, cropWidth] input. */
export function inputLength(spec: PreprocessSpec): number {
  return 3 * spec.cropWidth * spec.cropHeight;
}

/** Smallest side accepted: a bilinear resize of a 1-pixel line is not an image. */
export const MIN_SIDE = 2;

export function cropGeometry(width: number, height: number, spec: PreprocessSpec): CropGeometry {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < MIN_SIDE || height < MIN_SIDE) {
    throw new PreprocessError(
      `image is ${width}x${height} pixels; both sides must be at least ${MIN_SIDE} pixels to be resized and cropped`,
    );
  }
  if (spec.crop?.kind === 'central-fraction') return centralFraction(width, height, spec.crop.fraction, spec);
  // Long side truncated as torchvision / PIL do: int(S * long / short).
  const resizedWidth = width <= height ? spec.resizeShortSide : Math.floor((spec.resizeShortSide * width) / height);
  const resizedHeight = width <= height ? Math.floor((spec.resizeShortSide * height) / width) : spec.resizeShortSide;
  if (resizedWidth < spec.cropWidth || resizedHeight < spec.cropHeight) {
    throw new PreprocessError(
      `image ${width}x${height} resizes to ${resizedWidth}x${resizedHeight}, smaller than the ${spec.cropWidth}x${spec.cropHeight} crop (aspect ratio too extreme)`,
    );
  }
  // Centre offset rounded down, as Caffe's crop does ((256 - 227) / 2 -> 14, like torchvision too).
  const left = Math.floor((resizedWidth - spec.cropWidth) / 2);
  const top = Math.floor((resizedHeight - spec.cropHeight) / 2);
  const scaleX = width / resizedWidth;
  const scaleY = height / resizedHeight;
  return {
    resizedWidth,
    resizedHeight,
    left,
    top,
    cropWidth: spec.cropWidth,
    cropHeight: spec.cropHeight,
    scaleX,
    scaleY,
    source: { x: left * scaleX, y: top * scaleY, width: spec.cropWidth * scaleX, height: spec.cropHeight * scaleY },
  };
}

/**
 * The central `fraction` of each side, offsets rounded down as TensorFlow's central_crop does
 * (start = floor(size * (1 - fraction) / 2), the same amount cut at both ends), stretched to the
 * model's input size.
 */
function centralFraction(width: number, height: number, fraction: number, spec: PreprocessSpec): CropGeometry {
  const x = Math.floor((width * (1 - fraction)) / 2);
  const y = Math.floor((height * (1 - fraction)) / 2);
  const sw = width - 2 * x;
  const sh = height - 2 * y;
  const scaleX = sw / spec.cropWidth;
  const scaleY = sh / spec.cropHeight;
  return {
    resizedWidth: Math.round(width / scaleX),
    resizedHeight: Math.round(height / scaleY),
    left: x / scaleX,
    top: y / scaleY,
    cropWidth: spec.cropWidth,
    cropHeight: spec.cropHeight,
    scaleX,
    scaleY,
    source: { x, y, width: sw, height: sh },
  };
}

/** A rectangle in source pixels. */
export interface SourceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The centred part of a source image that the crop needs: the short side whole, the long side cut
 * to the crop plus the resampling filter's reach (two source pixels per resized pixel each side,
 * and one more for rounding). Resizing and cropping this window gives the same crop as the whole
 * image (up to a resized pixel of rounding), so a panorama can be cut first and downscaled after,
 * and the crop keeps its pixels whatever the aspect ratio.
 */
export function cropWindow(width: number, height: number, spec: PreprocessSpec): SourceRect {
  // A central-fraction crop is a fraction of the whole image: cut first, the fraction would be
  // taken again of the cut. Such a crop spans most of both sides, so the whole image is its window.
  if (spec.crop?.kind === 'central-fraction') return { x: 0, y: 0, width, height };
  const g = cropGeometry(width, height, spec);
  const landscape = width > height;
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const perResized = landscape ? g.scaleX : g.scaleY;
  const cropLong = (landscape ? g.cropWidth : g.cropHeight) * perResized;
  const needed = Math.ceil(cropLong + 2 * (2 * Math.max(1, perResized) + 1));
  const kept = Math.min(long, Math.max(short, needed));
  const offset = Math.floor((long - kept) / 2);
  return landscape ? { x: offset, y: 0, width: kept, height } : { x: 0, y: offset, width, height: kept };
}

interface Taps {
  /** First source index per output sample. */
  start: Int32Array;
  /** Number of taps per output sample. */
  count: Int32Array;
  /** count[i] normalised weights per output sample, packed with a stride of maxTaps. */
  weights: Float32Array;
  maxTaps: number;
}

/**
 * Triangle-filter taps for output samples [first, first + n) of a resize of an inSize-wide axis by
 * `scale` source pixels per output pixel.
 * Pixel centres sit at i + 0.5 (half-pixel convention). When shrinking, the triangle widens by the
 * scale factor so every source pixel contributes (PIL's antialiased bilinear); when enlarging it is
 * plain bilinear interpolation.
 */
function triangleTaps(inSize: number, scale: number, first: number, n: number): Taps {
  const support = Math.max(scale, 1);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float32Array(n * maxTaps);
  for (let i = 0; i < n; i++) {
    const centre = (first + i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support + 0.5));
    const hi = Math.min(inSize, Math.floor(centre + support + 0.5));
    let total = 0;
    let k = 0;
    for (let j = lo; j < hi && k < maxTaps; j++, k++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      weights[i * maxTaps + k] = w;
      total += w;
    }
    if (total === 0) {
      // Enlarging near the border: the nearest pixel carries the whole weight (edge clamp).
      const j = Math.min(inSize - 1, Math.max(0, Math.floor(centre)));
      start[i] = j;
      count[i] = 1;
      weights[i * maxTaps] = 1;
      continue;
    }
    for (let t = 0; t < k; t++) weights[i * maxTaps + t] /= total;
    start[i] = lo;
    count[i] = k;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Plain bilinear taps as TensorFlow 1's resize_bilinear computes them (align_corners=False,
 * half_pixel_centers=False, the TF-slim evaluation's resize): output sample i reads the source at
 * i * scale, between its two neighbouring pixels (the last one clamped), and nothing else, so a
 * shrink skips pixels instead of averaging them (no antialiasing).
 */
function bilinearTaps(inSize: number, scale: number, first: number, n: number): Taps {
  const maxTaps = 2;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float32Array(n * maxTaps);
  for (let i = 0; i < n; i++) {
    // first is fractional for a central-fraction crop (source offset / scale): snap the product
    // back to the whole source pixel it stands for, or 2 / 3 * 3 would read pixel 1 at weight ~0.
    const exact = (first + i) * scale;
    const src = Math.abs(exact - Math.round(exact)) < 1e-9 ? Math.round(exact) : exact;
    const lo = Math.min(inSize - 1, Math.floor(src));
    const frac = src - lo;
    start[i] = lo;
    if (lo + 1 >= inSize || frac === 0) {
      count[i] = 1;
      weights[i * maxTaps] = 1;
    } else {
      count[i] = 2;
      weights[i * maxTaps] = 1 - frac;
      weights[i * maxTaps + 1] = frac;
    }
  }
  return { start, count, weights, maxTaps };
}

/**
 * Returns [1, 3, cropHeight, cropWidth] float32, NCHW, channels in spec.channelOrder.
 * Only the cropped part of the resized image is computed.
 */
export function preprocess(image: RgbaImage, spec: PreprocessSpec, out?: Float32Array): Float32Array {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) {
    throw new PreprocessError(`image data has ${data.length} bytes, expected ${width}x${height}x4 = ${width * height * 4}`);
  }
  const g = cropGeometry(width, height, spec);
  const cw = g.cropWidth;
  const ch = g.cropHeight;
  const plane = cw * ch;
  const result = out ?? new Float32Array(3 * plane);
  if (result.length !== 3 * plane) throw new PreprocessError(`output buffer holds ${result.length} values, needs ${3 * plane}`);

  if (isIdentityResize(g)) {
    // Already at the resized size (the browser resized the capture): resampling is the identity
    // (each triangle tap lands on one pixel with weight 1), so the crop is normalised directly.
    normalizeRegion(data, width, g.left, g.top, cw, ch, spec, result);
    return result;
  }

  const taps = spec.resample === 'bilinear' ? bilinearTaps : triangleTaps;
  const xTaps = taps(width, g.scaleX, g.left, cw);
  const yTaps = taps(height, g.scaleY, g.top, ch);

  // Vertical pass first, over the source rows the crop needs: tmp is [ch, width, 3].
  const tmp = new Float32Array(ch * width * 3);
  for (let y = 0; y < ch; y++) {
    const y0 = yTaps.start[y];
    const n = yTaps.count[y];
    const wBase = y * yTaps.maxTaps;
    const rowOut = y * width * 3;
    for (let t = 0; t < n; t++) {
      const w = yTaps.weights[wBase + t];
      const rowIn = (y0 + t) * width * 4;
      for (let x = 0; x < width; x++) {
        const i = rowIn + x * 4;
        const o = rowOut + x * 3;
        tmp[o] += w * data[i];
        tmp[o + 1] += w * data[i + 1];
        tmp[o + 2] += w * data[i + 2];
      }
    }
  }

  // Horizontal pass, then normalise into planes in the model's channel order.
  const [t0, t1, t2] = channelTables(spec);
  const bgr = spec.channelOrder === 'BGR';
  for (let y = 0; y < ch; y++) {
    const row = y * width * 3;
    for (let x = 0; x < cw; x++) {
      const x0 = xTaps.start[x];
      const n = xTaps.count[x];
      const wBase = x * xTaps.maxTaps;
      let r = 0;
      let gr = 0;
      let b = 0;
      for (let t = 0; t < n; t++) {
        const w = xTaps.weights[wBase + t];
        const i = row + (x0 + t) * 3;
        r += w * tmp[i];
        gr += w * tmp[i + 1];
        b += w * tmp[i + 2];
      }
      // Each resampled value is an 8-bit pixel again (as an image library would store it).
      const o = y * cw + x;
      result[o] = t0[clampRound(bgr ? b : r)];
      result[plane + o] = t1[clampRound(gr)];
      result[2 * plane + o] = t2[clampRound(bgr ? r : b)];
    }
  }
  return result;
}

/**
 * Whether the image is already at the crop's resize size with the crop on whole pixels: then
 * resampling is the identity and only the crop is normalised (the crop alone can be read).
 */
export function isIdentityResize(g: CropGeometry): boolean {
  return g.scaleX === 1 && g.scaleY === 1 && Number.isInteger(g.left) && Number.isInteger(g.top);
}

/**
 * The cw x ch region at (left, top) of a width-wide RGBA image -> the model's planes: channel order,
 * then (pixel * scale - mean) / std.
 */
export function normalizeRegion(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  left: number,
  top: number,
  cw: number,
  ch: number,
  spec: PreprocessSpec,
  out: Float32Array,
): void {
  const plane = cw * ch;
  if (out.length !== 3 * plane) throw new PreprocessError(`output buffer holds ${out.length} values, needs ${3 * plane}`);
  const [t0, t1, t2] = channelTables(spec);
  // Byte offsets of the model's first and last channel within an RGBA pixel.
  const first = spec.channelOrder === 'BGR' ? 2 : 0;
  const last = 2 - first;
  for (let y = 0; y < ch; y++) {
    let i = ((top + y) * width + left) * 4;
    const row = y * cw;
    for (let x = 0; x < cw; x++, i += 4) {
      const o = row + x;
      out[o] = t0[data[i + first]];
      out[plane + o] = t1[data[i + 1]];
      out[2 * plane + o] = t2[data[i + last]];
    }
  }
}

/**
 * (v * scale - mean) / std for every 8-bit value v, one table per output channel (in the model's
 * order): one lookup per sample, and the same float32 a direct computation stores.
 */
function channelTables(spec: PreprocessSpec): [Float32Array, Float32Array, Float32Array] {
  const table = (c: number) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v * spec.scale - spec.mean[c]) / spec.std[c];
    return t;
  };
  return [table(0), table(1), table(2)];
}

function clampRound(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
