import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../model/manifest';
import { cropGeometry } from '../preprocess/preprocess';
import { MAX_IMAGE_SIDE, planImage } from './image-input';

const caffe: PreprocessSpec = { resizeShortSide: 256, cropWidth: 227, cropHeight: 227, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] };

/** Source pixels per model pixel across the crop, once the plan's bitmap is resized and cropped. */
function cropPixels(plan: ReturnType<typeof planImage>): number {
  const crop = cropGeometry(plan.width, plan.height, caffe).source;
  return Math.min(crop.width, crop.height);
}

describe('planImage', () => {
  it('sends an image that fits as it is', () => {
    expect(planImage(1280, 720, caffe)).toEqual({ window: { x: 0, y: 0, width: 1280, height: 720 }, width: 1280, height: 720 });
  });

  it('downscales a huge ordinary photo whole (its crop keeps far more than 227 pixels)', () => {
    const plan = planImage(8000, 6000, caffe);
    expect(plan).toEqual({ window: { x: 0, y: 0, width: 8000, height: 6000 }, width: MAX_IMAGE_SIDE, height: 1536 });
  });

  for (const [name, w, h] of [
    ['landscape', 24000, 400],
    ['portrait', 400, 24000],
  ] as const) {
    it(`cuts a ${name} panorama (${w}x${h}) to the crop's window first, so the crop keeps its pixels`, () => {
      const plan = planImage(w, h, caffe);
      // Downscaled whole (to 2048 on the long side) the crop would have had 30 pixels.
      expect(Math.round((400 * MAX_IMAGE_SIDE) / 24000 * (227 / 256))).toBe(30);
      const { window } = plan;
      expect(Math.min(window.width, window.height)).toBe(400);
      expect(Math.max(window.width, window.height)).toBeLessThan(460);
      // Centred on the long side.
      const offset = w > h ? window.x : window.y;
      expect(Math.abs(offset + Math.max(window.width, window.height) / 2 - 12000)).toBeLessThanOrEqual(1);
      expect({ width: plan.width, height: plan.height }).toEqual({ width: window.width, height: window.height });
      expect(cropPixels(plan)).toBeGreaterThanOrEqual(227 * (400 / 256) - 1);
    });
  }

  it('downscales a window that is itself huge (the guard applies to the crop)', () => {
    const plan = planImage(60000, 5000, caffe);
    expect(plan.window.height).toBe(5000);
    expect(Math.max(plan.width, plan.height)).toBe(MAX_IMAGE_SIDE);
    expect(cropPixels(plan)).toBeGreaterThan(227);
  });
});
