import { describe, expect, it } from 'vitest';
import { cropGeometry } from '../preprocess/preprocess.js';
import { colormap, colormaps } from './colormap.js';
import { cellAt, chw, gridLayout, orderByMean, channelStats, renderChannel, renderFilter, renderGrid } from './feature-grid.js';
import { inputRectToFrame } from './frame-geometry.js';

describe('colormaps', () => {
  it('has 256 entries; viridis runs dark purple -> yellow, the diverging map is white at 0', () => {
    const v = colormap('viridis').lut;
    expect(v).toHaveLength(768);
    expect([v[0], v[1], v[2]]).toEqual([68, 1, 84]);
    expect(v[255 * 3]).toBeGreaterThan(240); // yellow: high red
    const d = colormap('diverging').lut;
    const mid = 128 * 3;
    expect(Math.min(d[mid], d[mid + 1], d[mid + 2])).toBeGreaterThan(235);
    expect(d[255 * 3]).toBeGreaterThan(d[255 * 3 + 2]); // positive end is red
    const g = colormap('greys').lut;
    expect([g[0], g[255 * 3]]).toEqual([0, 255]);
  });

  it('holds the same colours as opaque RGBA pixels, R G B A in memory', () => {
    for (const map of Object.values(colormaps())) {
      const bytes = new Uint8Array(map.rgba.buffer);
      expect(map.rgba).toHaveLength(256);
      for (const i of [0, 1, 127, 128, 254, 255]) expect(Array.from(bytes.subarray(i * 4, i * 4 + 4))).toEqual([...map.lut.subarray(i * 3, i * 3 + 3), 255]);
    }
  });
});

/** renderGrid's pixels computed the plain way: Math.round, clamp, three LUT bytes per pixel. */
function plainGrid(data: Float32Array, channels: number, h: number, w: number, signed: boolean, lut: Uint8Array, scaleMode: 'channel' | 'layer'): number[][] {
  const plane = h * w;
  const all = Array.from(data);
  return Array.from({ length: channels }, (_, c) => {
    const values = scaleMode === 'channel' ? all.slice(c * plane, (c + 1) * plane) : all;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return all.slice(c * plane, (c + 1) * plane).flatMap((v) => {
      const t = signed ? (v / m) * 127.5 + 127.5 : ((v - lo) * 255) / (hi - lo || 1);
      const i = Math.min(255, Math.max(0, Math.round(t)));
      return [lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255];
    });
  });
}

describe('feature grid', () => {
  it('lays 96 channels of 55x55 out in a near-square grid with 1-pixel gaps', () => {
    const l = gridLayout(96, 55, 55);
    expect([l.cols, l.rows, l.step]).toEqual([10, 10, 1]);
    expect(l.imageWidth).toBe(10 * 55 + 9);
  });

  it('reduces resolution of very large layers to the pixel budget', () => {
    const l = gridLayout(96, 111, 111, { maxPixels: 400_000 });
    expect(l.step).toBe(2);
    expect(l.cellWidth).toBe(56);
    expect(96 * l.cellWidth * l.cellHeight).toBeLessThanOrEqual(400_000);
  });

  it('draws each channel with its own range and maps clicks back to cells', () => {
    // 2 channels of 2x2: channel 0 ramps 0..3, channel 1 is 10..13.
    const data = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
    const { pixels, layout } = renderGrid(data, [1, 2, 2, 2], { colormap: 'greys', scaleMode: 'channel', sortByMean: false, gap: 1 });
    expect([layout.cols, layout.imageWidth, layout.imageHeight]).toEqual([2, 5, 2]);
    const grey = (x: number, y: number): number => pixels[(y * layout.imageWidth + x) * 4];
    expect([grey(0, 0), grey(1, 0), grey(0, 1), grey(1, 1)]).toEqual([0, 85, 170, 255]);
    expect([grey(3, 0), grey(4, 1)]).toEqual([0, 255]); // per-channel scaling
    expect(grey(2, 0)).toBe(24); // the gap
    expect(cellAt(layout, 4, 1)).toEqual({ channel: 1, row: 1, col: 1 });
    expect(cellAt(layout, 2, 0)).toBeNull();
  });

  it('per-layer scaling shares one range; sorting puts the strongest channel first', () => {
    const data = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
    const r = renderGrid(data, [2, 2, 2], { colormap: 'greys', scaleMode: 'layer', sortByMean: true, gap: 1 });
    expect(Array.from(r.layout.order)).toEqual([1, 0]);
    expect(r.pixels[0]).toBe(Math.round((10 / 13) * 255)); // channel 1 now drawn first
    expect(Array.from(orderByMean(channelStats(data, 2, 2, 2)))).toEqual([1, 0]);
  });

  it('renders one channel at full size and a first-layer filter as an RGB image in RGB order', () => {
    const px = renderChannel(Float32Array.from([0, 5, 10, 0]), [2, 1, 2], 1, 'greys');
    expect([px[0], px[4]]).toEqual([255, 0]);
    // One 3-channel 1x1 filter stored B, G, R = (1, 0, -1): R is the smallest, B the largest.
    const f = renderFilter(Float32Array.from([1, 0, -1]), [1, 3, 1, 1], 0, 'BGR');
    expect([f.width, f.height]).toEqual([1, 1]);
    expect(Array.from(f.pixels)).toEqual([0, 128, 255, 255]);
  });

  it('gives every pixel the colour Math.round and a clamp give, for each map and scale mode', () => {
    // 3 channels of 5x7 with values on and next to the rounding steps (x.5), zeros, and both signs.
    const [C, H, W] = [3, 5, 7];
    const data = Float32Array.from({ length: C * H * W }, (_, i) => [0, 0.5, -0.5, 1.5, 254.5, 255, -3, 2.4999][i % 8] * (1 + (i % 5)) - (i % 3));
    for (const [name, map] of Object.entries(colormaps())) {
      for (const scaleMode of ['channel', 'layer'] as const) {
        const { pixels, layout } = renderGrid(data, [C, H, W], { colormap: map.name, scaleMode, sortByMean: false, gap: 1 });
        const expected = plainGrid(data, C, H, W, map.signed, map.lut, scaleMode);
        for (let c = 0; c < C; c++) {
          const x0 = (c % layout.cols) * (W + 1);
          const y0 = Math.floor(c / layout.cols) * (H + 1);
          const got = Array.from({ length: H }, (_, y) => Array.from(pixels.subarray(((y0 + y) * layout.imageWidth + x0) * 4, ((y0 + y) * layout.imageWidth + x0 + W) * 4))).flat();
          expect(got, `${name} ${scaleMode} channel ${c}`).toEqual(expected[c]);
        }
      }
    }
  });

  it('draws a live refresh into the previous pixels when the size fits, and allocates when it does not', () => {
    const a = Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => Math.cos(i * 3));
    const options = { colormap: 'viridis', scaleMode: 'channel', sortByMean: true } as const;
    const first = renderGrid(a, [2, 4, 4], options);
    const again = renderGrid(b, [2, 4, 4], options, first.pixels);
    expect(again.pixels).toBe(first.pixels);
    expect(Array.from(again.pixels)).toEqual(Array.from(renderGrid(b, [2, 4, 4], options).pixels));
    const bigger = renderGrid(new Float32Array(3 * 4 * 4), [3, 4, 4], options, first.pixels);
    expect(bigger.pixels).not.toBe(first.pixels);
    expect(bigger.pixels).toHaveLength(bigger.layout.imageWidth * bigger.layout.imageHeight * 4);
  });

  it('accepts [N, F] vectors', () => {
    expect(chw([1, 1000])).toEqual([1, 1, 1000]);
  });
});

describe('frame geometry', () => {
  it('maps a 7x7 receptive field at the input origin back to a 1280x720 frame', () => {
    const g = cropGeometry(1280, 720, { resizeShortSide: 256, cropWidth: 227, cropHeight: 227, channelOrder: 'BGR', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] });
    const r = inputRectToFrame({ x0: 0, y0: 0, x1: 7, y1: 7 }, g.source, 227, 227);
    expect(g.resizedWidth).toBe(455);
    expect(r.x).toBeCloseTo(114 * (1280 / 455), 6);
    expect(r.y).toBeCloseTo(14 * (720 / 256), 6);
    expect(r.width).toBeCloseTo(7 * (1280 / 455), 6);
    expect(r.height).toBeCloseTo(7 * 2.8125, 6);
  });
});
