// Classifies all 200 dev photos (real ImageNet validation images) with the default model on
// onnxruntime-web and checks the accuracy a correct decoder + preprocessing must reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrtEngine } from '../src/engine/ort-engine.js';
import { preprocess } from '../src/preprocess/preprocess.js';
import { decodeImage } from '../scripts/lib/decode-image.js';
import { devPhotoLabels } from '../scripts/lib/dev-photos.js';
import { loadDefaultModel } from '../scripts/lib/default-model.js';
import { DEV_PHOTOS_DIR, HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL, NO_DEV_PHOTOS } from './helpers/data.js';

describe('default model accuracy on the 200 dev photos', () => {
  it('reaches top-1 >= 55% and top-5 >= 76%', async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const model = loadDefaultModel();
    const engine = await OrtEngine.create(model.bytes, model.manifest, { backend: 'wasm', threads: 1 });
    const rows = devPhotoLabels(DEV_PHOTOS_DIR!);
    expect(rows).toHaveLength(200);
    let top1 = 0;
    let top5 = 0;
    const perClass = new Map<number, number>();
    for (const { file, index: label } of rows) {
      const input = preprocess(decodeImage(readFileSync(join(DEV_PHOTOS_DIR!, file))), model.manifest.preprocess);
      const { top } = await engine.classify(input, 5);
      if (top[0].index === label) {
        top1++;
        perClass.set(label, (perClass.get(label) ?? 0) + 1);
      }
      if (top.some((p) => p.index === label)) top5++;
    }
    await engine.release();
    console.log(`accuracy: top1=${(top1 / 200).toFixed(4)} top5=${(top5 / 200).toFixed(4)} n=200`);
    expect(top1 / 200).toBeGreaterThanOrEqual(0.55);
    expect(top5 / 200).toBeGreaterThanOrEqual(0.76);
    // Every one of the 10 classes is recognised at least sometimes: a channel-order or mean bug
    // tends to wipe out whole classes while leaving others.
    expect(perClass.size).toBe(10);
  });
});
