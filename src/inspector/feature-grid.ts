// Draws all channels of a [C, H, W] feature map as one grid of heatmaps into RGBA pixels (one
// canvas draw, no DOM element per pixel), and maps pointer positions back to (channel, row, col).
import { colormap, type ColormapName } from './colormap.js';

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

/** Maps a value to a LUT index given the colour range of its channel or layer. */
function scaler(lo: number, hi: number, signed: boolean): (v: number) => number {
  const { offset, factor, bias } = linearScale(lo, hi, signed);
  return (v) => Math.round((v - offset) * factor + bias);
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

export interface RenderedGrid {
  layout: GridLayout;
  stats: ChannelStats;
  pixels: Uint8ClampedArray<ArrayBuffer>;
}

export function renderGrid(data: Float32Array, shape: readonly number[], options: GridOptions): RenderedGrid {
  const [channels, height, width] = chw(shape);
  const stats = channelStats(data, channels, height, width);
  const order = options.sortByMean ? orderByMean(stats) : undefined;
  const layout = gridLayout(channels, height, width, { maxPixels: options.maxPixels, gap: options.gap, order });
  const cmap = colormap(options.colormap);
  const pixels = new Uint8ClampedArray(layout.imageWidth * layout.imageHeight * 4);
  // Gaps stay a dark neutral so cells read as separate tiles.
  for (let i = 0; i < pixels.length; i += 4) {
    pixels[i] = 24;
    pixels[i + 1] = 26;
    pixels[i + 2] = 30;
    pixels[i + 3] = 255;
  }
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
    const toIndex = options.scaleMode === 'channel' ? scaler(stats.min[c], stats.max[c], cmap.signed) : scaler(layerLo, layerHi, cmap.signed);
    const x0 = (k % cols) * (cellWidth + gap);
    const y0 = Math.floor(k / cols) * (cellHeight + gap);
    if (step === 1) {
      // Full resolution (conv1's 96 maps of 111x111 on a live refresh): one value per pixel.
      const scale = options.scaleMode === 'channel' ? linearScale(stats.min[c], stats.max[c], cmap.signed) : linearScale(layerLo, layerHi, cmap.signed);
      for (let y = 0; y < cellHeight; y++) {
        const row = c * plane + y * width;
        let o = ((y0 + y) * imageWidth + x0) * 4;
        for (let x = 0; x < cellWidth; x++, o += 4) {
          const idx = Math.min(255, Math.max(0, Math.round((data[row + x] - scale.offset) * scale.factor + scale.bias))) * 3;
          pixels[o] = cmap.lut[idx];
          pixels[o + 1] = cmap.lut[idx + 1];
          pixels[o + 2] = cmap.lut[idx + 2];
        }
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
        const idx = Math.min(255, Math.max(0, toIndex(sum / n))) * 3;
        const o = ((y0 + y) * imageWidth + x0 + x) * 4;
        pixels[o] = cmap.lut[idx];
        pixels[o + 1] = cmap.lut[idx + 1];
        pixels[o + 2] = cmap.lut[idx + 2];
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
  const toIndex = scaler(lo, hi, cmap.signed);
  const pixels = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    const idx = Math.min(255, Math.max(0, toIndex(view[i]))) * 3;
    pixels[i * 4] = cmap.lut[idx];
    pixels[i * 4 + 1] = cmap.lut[idx + 1];
    pixels[i * 4 + 2] = cmap.lut[idx + 2];
    pixels[i * 4 + 3] = 255;
  }
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
