import { describe, expect, it } from 'vitest';
import { cropGeometry } from '../preprocess/preprocess.js';
import { colormap } from './colormap.js';
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
});

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
