// Labels and preprocessing carried in an .onnx file's metadata (cnn_lens.labels,
// cnn_lens.preprocessing), and the manifest's crop rule validation.
import { describe, expect, it } from 'vitest';
import { MOBILENET_V2_PREPROCESS } from '../src/model/mobilenet-v2.js';
import { ManifestError, validateManifest, type ModelManifest } from '../src/model/manifest.js';
import { applyModelMetadata, METADATA_LABELS, METADATA_PREPROCESSING } from '../src/model/model-metadata.js';
import { torchvisionPreprocess } from '../src/validate/custom-model.js';

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

describe('model metadata', () => {
  it('applies labels and preprocessing from the metadata', () => {
    const m = applyModelMetadata(base, {
      [METADATA_LABELS]: JSON.stringify(['cat', 'dog', 'bird']),
      [METADATA_PREPROCESSING]: JSON.stringify(MOBILENET_V2_PREPROCESS),
    });
    expect(m.labels).toEqual(['cat', 'dog', 'bird']);
    expect(m.preprocess.crop).toEqual({ kind: 'central-fraction', fraction: 0.875 });
    expect(m.preprocess.mean).toEqual([128, 128, 128]);
  });

  it('leaves the manifest as it is without metadata', () => {
    expect(applyModelMetadata(base, { other: '1' })).toEqual(base);
  });

  it('names the key of bad metadata', () => {
    expect(() => applyModelMetadata(base, { [METADATA_LABELS]: '["a", "b"]' })).toThrow(/"cnn_lens.labels" has 2 names but the model has 3 outputs/);
    expect(() => applyModelMetadata(base, { [METADATA_LABELS]: '[1, 2, 3]' })).toThrow(/must be a JSON array of strings/);
    expect(() => applyModelMetadata(base, { [METADATA_PREPROCESSING]: '{' })).toThrow(/"cnn_lens.preprocessing" is not valid JSON/);
    expect(() => applyModelMetadata(base, { [METADATA_PREPROCESSING]: JSON.stringify({ ...MOBILENET_V2_PREPROCESS, cropWidth: 227, cropHeight: 227 }) })).toThrow(
      /crops 227x227 but the model's input is 224x224/,
    );
    expect(() => applyModelMetadata(base, { [METADATA_PREPROCESSING]: JSON.stringify({ ...MOBILENET_V2_PREPROCESS, channelOrder: 'GRB' }) })).toThrow(ManifestError);
  });
});

describe('manifest crop rule', () => {
  it('accepts both rules and refuses unknown ones or a bad fraction', () => {
    expect(validateManifest({ ...base, preprocess: MOBILENET_V2_PREPROCESS }).preprocess.crop?.kind).toBe('central-fraction');
    expect(() => validateManifest({ ...base, preprocess: { ...MOBILENET_V2_PREPROCESS, crop: { kind: 'central-fraction', fraction: 1.5 } } })).toThrow(/fraction/);
    expect(() => validateManifest({ ...base, preprocess: { ...MOBILENET_V2_PREPROCESS, crop: { kind: 'random' } } })).toThrow(/"preprocess.crop.kind"/);
  });
});
