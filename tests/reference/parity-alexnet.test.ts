// AlexNet parity (both variants) in its own file so it runs beside the other heavy tests.
import { describe, expect, it } from 'vitest';
import { alexnetInputSize, alexnetOnnx, type AlexnetVariant } from '../../src/model/alexnet.js';
import { formatLayerDiffs } from '../../src/reference/compare.js';
import { torchvisionPreprocess } from '../../src/validate/custom-model.js';
import { devPhotos, imageInput, parity } from '../../scripts/parity.js';
import { DEV_PHOTOS_DIR, NO_DEV_PHOTOS } from '../helpers/data.js';

const REL = 1e-4;

describe('AlexNet parity with onnxruntime-web, every layer', () => {
  for (const variant of ['torchvision', 'paper'] as AlexnetVariant[]) {
    it(`AlexNet (${variant}) on a dev photo`, async ({ skip }) => {
      skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
      const bytes = alexnetOnnx(variant, 1);
      const size = alexnetInputSize(variant);
      const input = imageInput(devPhotos()[20], torchvisionPreprocess(size, size));
      const result = await parity(bytes, input);
      const bad = result.diffs.filter((d) => d.shapeMismatch || !(d.maxRelDiff <= REL));
      expect(bad, formatLayerDiffs(result.diffs)).toEqual([]);
      // He scaling keeps activations alive to the end: the logits are neither 0 nor huge.
      const logits = result.diffs[result.diffs.length - 1];
      expect(logits.maxMagnitude).toBeGreaterThan(1e-2);
      expect(logits.maxMagnitude).toBeLessThan(1e3);
    });
  }
});
