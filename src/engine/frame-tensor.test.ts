// The worker's check on a live frame the page preprocessed: the tensor is used as it is when it has
// the model's input size, and refused with both sizes when it does not (e.g. a frame prepared for
// another model); the warm-up's canvas and values, on a stand-in canvas. Reading bitmaps needs a
// browser: e2e/camera-classify.spec.ts covers that path.
import { describe, expect, it, vi } from 'vitest';
import type { PreprocessSpec } from '../model/manifest.js';
import { MOBILENET_V2_PREPROCESS } from '../model/mobilenet-v2.js';
import { FrameTensor, preparedTensor, type PreparedInput } from './frame-tensor.js';

const caffe: PreprocessSpec = { resizeShortSide: 256, cropWidth: 227, cropHeight: 227, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] };
const crop = { x: 0, y: 0, width: 240, height: 240, frameWidth: 320, frameHeight: 240 };

const prepared = (values: number): PreparedInput => ({ input: new Float32Array(values).map((_, i) => i), crop, preprocessMs: 1 });

describe('preparedTensor', () => {
  it('returns the page’s own buffer, values untouched, when the size is the model’s', () => {
    const p = prepared(3 * 227 * 227);
    const tensor = preparedTensor(p, caffe);
    expect(tensor).toBe(p.input);
    expect(tensor[3 * 227 * 227 - 1]).toBe(3 * 227 * 227 - 1);
  });

  it('refuses a tensor prepared for another model, naming both sizes', () => {
    expect(() => preparedTensor(prepared(3 * 224 * 224), caffe)).toThrow('the prepared input has 150528 values; this model takes 227x227x3 = 154587');
    expect(() => preparedTensor(prepared(3 * 227 * 227), MOBILENET_V2_PREPROCESS)).toThrow('this model takes 224x224x3 = 150528');
  });
});

describe('FrameTensor.warm', () => {
  /** A stand-in OffscreenCanvas: a black w x h image, opaque, as a cleared 2D canvas reads back. */
  class FakeCanvas {
    static made: FakeCanvas[] = [];
    readonly calls: string[] = [];
    constructor(
      readonly width: number,
      readonly height: number,
    ) {
      FakeCanvas.made.push(this);
    }
    getContext(): unknown {
      return {
        fillRect: () => this.calls.push('fillRect'),
        getImageData: (_x: number, _y: number, w: number, h: number) => {
          this.calls.push(`getImageData ${w}x${h}`);
          const data = new Uint8ClampedArray(w * h * 4);
          for (let i = 3; i < data.length; i += 4) data[i] = 255;
          return { data, width: w, height: h };
        },
      };
    }
  }

  it('makes the canvas at the crop size, reads it back once and normalises black', () => {
    vi.stubGlobal('OffscreenCanvas', FakeCanvas);
    try {
      const frames = new FrameTensor();
      const input = frames.warm(caffe);
      expect(FakeCanvas.made.map((c) => [c.width, c.height])).toEqual([[227, 227]]);
      expect(FakeCanvas.made[0].calls).toEqual(['fillRect', 'getImageData 227x227']);
      const plane = 227 * 227;
      expect(input.length).toBe(3 * plane);
      // BGR planes of (0 - mean) / 1: -104, -117, -123 everywhere.
      expect([input[0], input[plane - 1], input[plane], input[2 * plane], input[3 * plane - 1]]).toEqual([-104, -104, -117, -123, -123]);
      // MobileNetV2's (x - 128) / 128 on black: -1; a second model gets a canvas of its own size.
      const mnv2 = frames.warm(MOBILENET_V2_PREPROCESS);
      expect(mnv2.length).toBe(3 * 224 * 224);
      expect(new Set(mnv2)).toEqual(new Set([-1]));
      expect(FakeCanvas.made.map((c) => c.width)).toEqual([227, 224]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
