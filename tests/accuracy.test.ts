// Classifies all 200 dev photos (real ImageNet validation images) with each bundled model on
// onnxruntime-web, with the preprocessing its manifest carries, and checks the accuracy a correct
// decoder / converter + preprocessing must reach (each bound about 2 points under what was measured).
// Node decodes the JPEGs with libjpeg-turbo, as Chromium does (e2e/decoder.spec.ts), so these are
// the figures `npm run eval` gets through the app too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrtEngine } from '../src/engine/ort-engine.js';
import { preprocess } from '../src/preprocess/preprocess.js';
import { decodeImage } from '../scripts/lib/decode-image.js';
import { loadBuiltModel } from '../scripts/lib/default-model.js';
import { devPhotoLabels } from '../scripts/lib/dev-photos.js';
import { pairedComparison } from '../scripts/lib/paired-accuracy.js';
import { DEV_PHOTOS_DIR, HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL, NO_DEV_PHOTOS } from './helpers/data.js';

interface Accuracy {
  top1: number;
  top5: number;
  /** Per photo, in labels.csv's order: whether the top-1 is right. */
  hits: boolean[];
  /** ImageNet classes with at least one top-1 hit. */
  classesHit: number;
}

const measured = new Map<string, Promise<Accuracy>>();

/** Each model is measured once per run, whichever test asks first. */
function measure(id: string): Promise<Accuracy> {
  let m = measured.get(id);
  if (!m) measured.set(id, (m = measureOnce(id)));
  return m;
}

async function measureOnce(id: string): Promise<Accuracy> {
  const model = loadBuiltModel(id);
  // MobileNetV2's output 0 is "background": ImageNet class i is output i + 1.
  const offset = model.manifest.imagenetOffset ?? 0;
  const engine = await OrtEngine.create(model.bytes, model.manifest, { backend: 'wasm', threads: 1 });
  const rows = devPhotoLabels(DEV_PHOTOS_DIR!);
  expect(rows).toHaveLength(200);
  let top1 = 0;
  let top5 = 0;
  const hit = new Set<number>();
  const hits: boolean[] = [];
  try {
    for (const { file, index } of rows) {
      const label = index + offset;
      const input = preprocess(decodeImage(readFileSync(join(DEV_PHOTOS_DIR!, file))), model.manifest.preprocess);
      const { top } = await engine.classify(input, 5);
      hits.push(top[0].index === label);
      if (top[0].index === label) {
        top1++;
        hit.add(label);
      }
      if (top.some((p) => p.index === label)) top5++;
    }
  } finally {
    await engine.release();
  }
  const result = { top1: top1 / rows.length, top5: top5 / rows.length, hits, classesHit: hit.size };
  console.log(`${id} accuracy: top1=${result.top1.toFixed(4)} top5=${result.top5.toFixed(4)} n=${rows.length}`);
  return result;
}

describe('accuracy on the 200 dev photos', () => {
  it('SqueezeNet v1.0 reaches top-1 >= 57% and top-5 >= 78% (measured 59.0 / 80.0)', async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const a = await measure('squeezenet1_0');
    expect(a.top1).toBeGreaterThanOrEqual(0.57);
    expect(a.top5).toBeGreaterThanOrEqual(0.78);
    // Every one of the 10 classes is recognised at least sometimes: a channel-order or mean bug
    // tends to wipe out whole classes while leaving others.
    expect(a.classesHit).toBe(10);
  }, 300_000);

  it('MobileNetV2 reaches top-1 >= 65.5% and top-5 >= 89.5% (measured 67.5 / 91.5)', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const model = loadBuiltModel('mobilenet_v2');
    expect(model.manifest.labels).toHaveLength(1001);
    expect(model.manifest.imagenetOffset).toBe(1);
    const a = await measure('mobilenet_v2');
    expect(a.top1).toBeGreaterThanOrEqual(0.655);
    expect(a.top5).toBeGreaterThanOrEqual(0.895);
    expect(a.classesHit).toBe(10);
  }, 300_000);

  it('MobileNetV2 beats SqueezeNet photo by photo: +6.5 points or more, McNemar p < 0.05 (measured +8.5, 31 vs 14 photos, p = 0.016)', async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const c = pairedComparison((await measure('mobilenet_v2')).hits, (await measure('squeezenet1_0')).hits);
    console.log(`paired: ${(100 * c.diff).toFixed(1)} points (95 % interval ${(100 * c.interval[0]).toFixed(1)} to ${(100 * c.interval[1]).toFixed(1)}), ${c.onlyA} vs ${c.onlyB} photos, p = ${c.p.toPrecision(2)}`);
    expect(c.diff).toBeGreaterThanOrEqual(0.065);
    expect(c.onlyA).toBeGreaterThan(2 * c.onlyB);
    expect(c.p).toBeLessThan(0.05);
  }, 600_000);
});
