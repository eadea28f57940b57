// Layer-by-layer parity with onnxruntime-web: relative difference (max |diff| / max |value| of
// the layer) <= 1e-4 at every intermediate tensor.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/model/seeded-rng.js';
import { ALL_OPS_INPUT_SHAPE, allOpsOnnx } from '../builders/all-ops.js';
import { SUPPORTED_OPS } from '../../src/reference/op-table.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { formatLayerDiffs } from '../../src/reference/compare.js';
import { DEFAULT_MODEL, devPhotos, imageInput, parity, preprocessFor } from '../../scripts/parity.js';
import { loadBuiltModel } from '../../scripts/lib/default-model.js';
import { DEV_PHOTOS_DIR, NO_DEV_PHOTOS } from '../helpers/data.js';

const REL = 1e-4;

function expectParity(result: Awaited<ReturnType<typeof parity>>): void {
  const bad = result.diffs.filter((d) => d.shapeMismatch || !(d.maxRelDiff <= REL));
  expect(bad, formatLayerDiffs(result.diffs)).toEqual([]);
}

describe('parity with onnxruntime-web, every layer', () => {
  it.runIf(existsSync(DEFAULT_MODEL))('default model (SqueezeNet v1.0) on 3 dev photos', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const bytes = new Uint8Array(readFileSync(DEFAULT_MODEL));
    const engine = ReferenceEngine.load(bytes);
    const photos = devPhotos();
    // Three different classes: the first, middle and last photos of labels.csv.
    for (const photo of [photos[0], photos[Math.floor(photos.length / 2)], photos[photos.length - 1]]) {
      const result = await parity(bytes, imageInput(photo, preprocessFor(DEFAULT_MODEL, 227, 227)), engine);
      expect(result.diffs.length).toBe(engine.layers.length);
      expectParity(result);
    }
  });

  it('MobileNetV2 (converted from TFLite) on 3 dev photos', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const model = loadBuiltModel('mobilenet_v2');
    const engine = ReferenceEngine.load(model.bytes);
    // 17 depthwise convolutions go through the direct depthwise kernel.
    expect(engine.layers.filter((l) => l.node.name.endsWith('/depthwise'))).toHaveLength(17);
    const photos = devPhotos();
    for (const photo of [photos[0], photos[Math.floor(photos.length / 2)], photos[photos.length - 1]]) {
      const result = await parity(model.bytes, imageInput(photo, model.manifest.preprocess), engine);
      expect(result.diffs.length).toBe(engine.layers.length);
      expectParity(result);
    }
  }, 120_000);

  it('all-ops model uses every supported op and matches', async () => {
    const bytes = allOpsOnnx();
    const engine = ReferenceEngine.load(bytes);
    expect(new Set(engine.layers.map((l) => l.node.opType))).toEqual(new Set(SUPPORTED_OPS));
    const rng = createRng(3);
    const input = Float32Array.from({ length: ALL_OPS_INPUT_SHAPE.reduce((a, b) => a * b) }, () => 4 * rng() - 2);
    expectParity(await parity(bytes, input, engine));
  });

});
