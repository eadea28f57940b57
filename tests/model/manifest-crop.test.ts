// The manifest's crop rule and resampler: data, validated like every other field.
import { describe, expect, it } from 'vitest';
import { MOBILENET_V2_PREPROCESS } from '../../src/model/mobilenet-v2.js';
import { validateManifest, type ModelManifest } from '../../src/model/manifest.js';
import { torchvisionPreprocess } from '../../src/validate/custom-model.js';

const base: ModelManifest = {
  id: 'x',
  name: 'x',
  file: 'x.onnx',
  source: 's',
  licence: 'l',
  citation: [],
  inputName: 'input',
  inputShape: ['N', 3, 224, 224],
  outputName: 'out',
  outputNeedsSoftmax: true,
  preprocess: torchvisionPreprocess(224),
  labels: ['class 0', 'class 1', 'class 2'],
};

describe('manifest crop rule', () => {
  it('accepts both rules and refuses unknown ones or a bad fraction', () => {
    expect(validateManifest({ ...base, preprocess: MOBILENET_V2_PREPROCESS }).preprocess.crop?.kind).toBe('central-fraction');
    expect(() => validateManifest({ ...base, preprocess: { ...MOBILENET_V2_PREPROCESS, crop: { kind: 'central-fraction', fraction: 1.5 } } })).toThrow(/fraction/);
    expect(() => validateManifest({ ...base, preprocess: { ...MOBILENET_V2_PREPROCESS, crop: { kind: 'random' } } })).toThrow(/"preprocess.crop.kind"/);
  });

  it('accepts both resamplers or none (the antialiased default) and names a bad one', () => {
    expect(validateManifest({ ...base, preprocess: MOBILENET_V2_PREPROCESS }).preprocess.resample).toBe('bilinear');
    expect(validateManifest(base).preprocess.resample).toBeUndefined();
    expect(validateManifest({ ...base, preprocess: { ...base.preprocess, resample: 'bilinear-antialias' } }).preprocess.resample).toBe('bilinear-antialias');
    expect(() => validateManifest({ ...base, preprocess: { ...base.preprocess, resample: 'bicubic' } })).toThrow(
      '"preprocess.resample" must be "bilinear-antialias" or "bilinear", not "bicubic"',
    );
  });
});
