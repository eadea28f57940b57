// The worker's check on a live frame the page preprocessed: the tensor is used as it is when it has
// the model's input size, and refused with both sizes when it does not (e.g. a frame prepared for
// another model). Reading bitmaps needs a browser: e2e/camera-classify.spec.ts covers that path.
import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../model/manifest.js';
import { MOBILENET_V2_PREPROCESS } from '../model/mobilenet-v2.js';
import { preparedTensor, type PreparedInput } from './frame-tensor.js';

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
