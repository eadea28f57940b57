// Draws all channels of a [C, H, W] feature map as one grid of heatmaps into RGBA pixels (one
// canvas draw, no DOM element per pixel), and maps pointer positions back to (channel, row, col).
import { colormap, rgbaWords, type ColormapName } from './colormap.js';

export type ScaleMode = 'channel' | 'layer';

export interface GridOptions {
  colormap: ColormapName;
  scaleMode: ScaleMode;
  sortByMean: boolean;
  /** Upper bound on drawn pixels; larger layers are drawn at reduced resolution. */
  maxPixels?: number;
  /** Pixels between cells. */
  gap?: number;
}

export interface GridLayout {
  channels: number;
  height: number;
  width: number;
  cols: number;
  rows: number;
  /** Each feature-map pixel covers 1/step of a drawn pixel per axis (step >= 1 shrinks). */
  step: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  imageWidth: number;
  imageHeight: number;
  /** order[k] is the channel drawn in grid position k. */
  order: Int32Array;
}

export interface ChannelStats {
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
}

export const DEFAULT_MAX_PIXELS = 1_500_000;

export function channelStats(data: Float32Array, channels: number, height: number, width: number): ChannelStats {
  const plane = height * width;
  if (data.length < channels * plane) throw new Error(`feature map has ${data.length} values, expected ${channels}x${height}x${width}`);
  const min = new Float32Array(channels);
  const max = new Float32Array(channels);
  const mean = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    for (let i = c * plane, end = i + plane; i < end; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      sum += v;
    }
    min[c] = lo;
    max[c] = hi;
    mean[c] = sum / plane;
  }
  return { min, max, mean };
}

export function gridLayout(channels: number, height: number, width: number, options: Pick<GridOptions, 'maxPixels' | 'gap'> & { order?: Int32Array } = {}): GridLayout {
  const gap = options.gap ?? 1;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  // Reduce resolution by an integer step until the whole grid fits the pixel budget.
  let step = 1;
  while (channels * Math.ceil(height / step) * Math.ceil(width / step) > maxPixels) step++;
  const cellWidth = Math.ceil(width / step);
  const cellHeight = Math.ceil(height / step);
  // Near-square grid, wider than tall for wide cells.
  const cols = Math.max(1, Math.ceil(Math.sqrt((channels * cellHeight) / cellWidth)));
  const rows = Math.ceil(channels / cols);
  const order = options.order ?? Int32Array.from({ length: channels }, (_, i) => i);
  return {
    channels,
    height,
    width,
    cols,
    rows,
    step,
    cellWidth,
    cellHeight,
    gap,
    imageWidth: cols * cellWidth + (cols - 1) * gap,
    imageHeight: rows * cellHeight + (rows - 1) * gap,
    order,
  };
}

/** Channels sorted by mean activation, strongest first. */
export function orderByMean(stats: ChannelStats): Int32Array {
  return Int32Array.from(stats.mean.keys()).sort((a, b) => stats.mean[b] - stats.mean[a]);
}

/**
 * The LUT index before rounding is (v - offset) * factor + bias: signed maps [-m, m] (m the larger
 * magnitude) to [0, 255] with 0 in the middle, unsigned maps [lo, hi] to [0, 255].
 */
function linearScale(lo: number, hi: number, signed: boolean): { offset: number; factor: number; bias: number } {
  if (signed) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return { offset: 0, factor: 127.5 / m, bias: 127.5 };
  }
  return { offset: lo, factor: 255 / (hi - lo || 1), bias: 0 };
}

/**
 * round((v - offset) * factor + bias) clamped to [0, 255]: the colour of v (NaN takes colour 0).
 * Written with comparisons and `| 0` rather than Math.round / min / max: it runs once per drawn pixel
 * (1.2 M for conv1's grid on every live refresh, on the page's thread).
 */
function lutIndex(v: number, offset: number, factor: number, bias: number): number {
  const t = (v - offset) * factor + bias;
  return t >= 254.5 ? 255 : t > 0 ? (t + 0.5) | 0 : 0;
}

export interface RenderedGrid {
  layout: GridLayout;
  stats: ChannelStats;
  pixels: Uint8ClampedArray<ArrayBuffer>;
}

/** The colour between cells, as an RGBA word: a dark neutral, so cells read as separate tiles. */
const GAP_RGBA = rgbaWords(Uint8Array.of(24, 26, 30))[0];

/**
 * All channels as one RGBA image (gridLayout), each pixel written as one 32-bit word from the
 * colormap's RGBA table. Colour range per channel or per layer (scaleMode); channels sorted by mean
 * when asked; at step > 1 each drawn pixel is the box average of the step x step values it covers.
 * `reuse`: the previous refresh's pixels, drawn over when the size still fits. A live view passes it:
 * a fresh 5 MB buffer per refresh (conv1) cost more than drawing into it (new memory is zeroed page
 * by page, and the old one waits for the garbage collector).
 */
export function renderGrid(data: Float32Array, shape: readonly number[], options: GridOptions, reuse?: Uint8ClampedArray<ArrayBuffer>): RenderedGrid {
  const [channels, height, width] = chw(shape);
  const stats = channelStats(data, channels, height, width);
  const order = options.sortByMean ? orderByMean(stats) : undefined;
  const layout = gridLayout(channels, height, width, { maxPixels: options.maxPixels, gap: options.gap, order });
  const cmap = colormap(options.colormap);
  const rgba = cmap.rgba;
  const size = layout.imageWidth * layout.imageHeight * 4;
  const pixels = reuse?.length === size && reuse.byteOffset === 0 ? reuse : new Uint8ClampedArray(size);
  const words = new Uint32Array(pixels.buffer, 0, size / 4);
  words.fill(GAP_RGBA);
  let layerLo = Infinity;
  let layerHi = -Infinity;
  for (let c = 0; c < channels; c++) {
    layerLo = Math.min(layerLo, stats.min[c]);
    layerHi = Math.max(layerHi, stats.max[c]);
  }
  const plane = height * width;
  const { step, cellWidth, cellHeight, gap, cols, imageWidth } = layout;
  for (let k = 0; k < channels; k++) {
    const c = layout.order[k];
    const { offset, factor, bias } =
      options.scaleMode === 'channel' ? linearScale(stats.min[c], stats.max[c], cmap.signed) : linearScale(layerLo, layerHi, cmap.signed);
    const x0 = (k % cols) * (cellWidth + gap);
    const y0 = Math.floor(k / cols) * (cellHeight + gap);
    if (step === 1) {
      // Full resolution (conv1's 96 maps of 111x111 on a live refresh): one value per pixel.
      for (let y = 0; y < cellHeight; y++) {
        const row = c * plane + y * width;
        const o = (y0 + y) * imageWidth + x0;
        for (let x = 0; x < cellWidth; x++) words[o + x] = rgba[lutIndex(data[row + x], offset, factor, bias)];
      }
      continue;
    }
    for (let y = 0; y < cellHeight; y++) {
      for (let x = 0; x < cellWidth; x++) {
        // Box average over the step x step block this drawn pixel stands for.
        let sum = 0;
        let n = 0;
        for (let dy = 0; dy < step && y * step + dy < height; dy++) {
          const row = c * plane + (y * step + dy) * width;
          for (let dx = 0; dx < step && x * step + dx < width; dx++) {
            sum += data[row + x * step + dx];
            n++;
          }
        }
        words[(y0 + y) * imageWidth + x0 + x] = rgba[lutIndex(sum / n, offset, factor, bias)];
      }
    }
  }
  return { layout, stats, pixels };
}

export interface GridCell {
  channel: number;
  row: number;
  col: number;
}

/** The feature-map cell under grid pixel (x, y), or null over a gap or outside. */
export function cellAt(layout: GridLayout, x: number, y: number): GridCell | null {
  const { cellWidth, cellHeight, gap, cols, step } = layout;
  const gx = Math.floor(x / (cellWidth + gap));
  const gy = Math.floor(y / (cellHeight + gap));
  const ix = Math.floor(x) - gx * (cellWidth + gap);
  const iy = Math.floor(y) - gy * (cellHeight + gap);
  if (x < 0 || y < 0 || gx >= cols || ix >= cellWidth || iy >= cellHeight) return null;
  const k = gy * cols + gx;
  if (k >= layout.channels) return null;
  return {
    channel: layout.order[k],
    row: Math.min(layout.height - 1, iy * step),
    col: Math.min(layout.width - 1, ix * step),
  };
}

/** One channel at full resolution, for the enlarged view. */
export function renderChannel(data: Float32Array, shape: readonly number[], channel: number, colormapName: ColormapName): Uint8ClampedArray<ArrayBuffer> {
  const [channels, height, width] = chw(shape);
  if (channel < 0 || channel >= channels) throw new Error(`channel ${channel} out of range 0..${channels - 1}`);
  const plane = height * width;
  const view = data.subarray(channel * plane, (channel + 1) * plane);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of view) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const cmap = colormap(colormapName);
  const { offset, factor, bias } = linearScale(lo, hi, cmap.signed);
  const pixels = new Uint8ClampedArray(plane * 4);
  const words = new Uint32Array(pixels.buffer);
  for (let i = 0; i < plane; i++) words[i] = cmap.rgba[lutIndex(view[i], offset, factor, bias)];
  return pixels;
}

/**
 * A convolution filter [in, kh, kw] of output channel `out` as pixels. With 3 input channels it is
 * one small colour image (channels mapped back to R, G, B from the model's order); otherwise each
 * input channel's kernel is a tile in a row of the diverging map.
 */
export function renderFilter(
  weights: Float32Array,
  shape: readonly number[],
  out: number,
  channelOrder: 'RGB' | 'BGR',
): { width: number; height: number; pixels: Uint8ClampedArray<ArrayBuffer> } {
  const [outs, ins, kh, kw] = shape;
  if (shape.length !== 4 || out < 0 || out >= outs) throw new Error(`filter ${out} not in a [${shape.join(', ')}] weight tensor`);
  const size = ins * kh * kw;
  const w = weights.subarray(out * size, (out + 1) * size);
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  m ||= 1;
  if (ins === 3) {
    const pixels = new Uint8ClampedArray(kh * kw * 4);
    const rgb = channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
    for (let i = 0; i < kh * kw; i++) {
      for (let k = 0; k < 3; k++) pixels[i * 4 + k] = Math.round(((w[rgb[k] * kh * kw + i] / m + 1) / 2) * 255);
      pixels[i * 4 + 3] = 255;
    }
    return { width: kw, height: kh, pixels };
  }
  const cmap = colormap('diverging');
  const cols = Math.ceil(Math.sqrt(ins));
  const rows = Math.ceil(ins / cols);
  const width = cols * (kw + 1) - 1;
  const height = rows * (kh + 1) - 1;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let c = 0; c < ins; c++) {
    const x0 = (c % cols) * (kw + 1);
    const y0 = Math.floor(c / cols) * (kh + 1);
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        const idx = Math.round(((w[c * kh * kw + y * kw + x] / m + 1) / 2) * 255) * 3;
        const o = ((y0 + y) * width + x0 + x) * 4;
        pixels[o] = cmap.lut[idx];
        pixels[o + 1] = cmap.lut[idx + 1];
        pixels[o + 2] = cmap.lut[idx + 2];
        pixels[o + 3] = 255;
      }
    }
  }
  return { width, height, pixels };
}

/** [N?, C, H, W] or [C, H, W] or [N, F] -> (C, H, W); vectors are drawn as a 1-pixel-high row per channel block. */
export function chw(shape: readonly number[]): [number, number, number] {
  if (shape.length === 4) return [shape[1], shape[2], shape[3]];
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2) return [1, 1, shape[1]];
  if (shape.length === 1) return [1, 1, shape[0]];
  throw new Error(`cannot draw a tensor of shape [${shape.join(', ')}]`);
}
