// An end-to-end check of the MobileNetV2 conversion that needs no other converter: the quantized
// TFLite file records, for every operator's output, the range its values were calibrated to
// (scale x (0 - zero point) .. scale x (255 - zero point)). Mixed-up input channels or a mis-read
// bias scale send activations outside those ranges (both tried: the test fails); the converted
// float model, run on real photos by the reference engine, stays inside them at every layer.
// Subtler slips (a 3x3 filter flipped in space) stay in range: tests/model/tflite-convert.test.ts
// catches those with hand-worked layouts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTflite } from '../../src/model/tflite/read-tflite.js';
import { preprocess } from '../../src/preprocess/preprocess.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { decodeImage } from '../../scripts/lib/decode-image.js';
import { loadBuiltModel } from '../../scripts/lib/default-model.js';
import { resolvePinned, type PinnedFile } from '../../scripts/fetch-pinned.js';
import { devPhotoLabels } from '../../scripts/lib/dev-photos.js';
import { MODEL_SOURCES_FILE } from '../../scripts/lib/paths.js';
import { DEV_PHOTOS_DIR, NO_DEV_PHOTOS } from '../helpers/data.js';

describe('converted MobileNetV2 against the TFLite file\'s own calibration', () => {
  it('keeps every layer inside its quantized output range on 3 dev photos', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const pin = (JSON.parse(readFileSync(MODEL_SOURCES_FILE, 'utf8')) as { mobilenet_v2: { tflite: PinnedFile } }).mobilenet_v2.tflite;
    const tflite = readTflite((await resolvePinned(pin, undefined, 'CNN_LENS_TFLITE')).data);
    const model = loadBuiltModel('mobilenet_v2');
    const engine = ReferenceEngine.load(model.bytes);
    // The TFLite operators in order, each matched to the ONNX node that ends it (its fused activation, if any).
    const ends = engine.layers.filter((l, i) => !(engine.layers[i + 1]?.node.opType === 'Clip' && engine.layers[i + 1].node.inputs[0] === l.node.outputs[0]));
    expect(ends).toHaveLength(tflite.operators.length);
    const rows = devPhotoLabels(DEV_PHOTOS_DIR!);
    for (const row of [rows[0], rows[100], rows[199]]) {
      const image = decodeImage(readFileSync(join(DEV_PHOTOS_DIR!, row.file)));
      const run = engine.run(preprocess(image, model.manifest.preprocess), { want: 'all' });
      tflite.operators.forEach((op, k) => {
        const q = tflite.tensors[op.outputs[0]].quantization!;
        const [s, z] = [q.scale[0], q.zeroPoint[0]];
        // One quantization step of slack: the file's integer arithmetic rounds, ours does not.
        const [lo, hi] = [s * (0 - z) - s, s * (255 - z) + s];
        const data = run.tensors[ends[k].node.outputs[0]].data;
        let min = Infinity;
        let max = -Infinity;
        for (const v of data) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        expect([ends[k].node.name, min >= lo && max <= hi], `${ends[k].node.name}: [${min}, ${max}] vs [${lo}, ${hi}]`).toEqual([ends[k].node.name, true]);
        // And the layer uses a good part of its range (a zeroed layer would pass the test above).
        expect(max - min, ends[k].node.name).toBeGreaterThan(0.1 * (hi - lo));
      });
    }
  }, 120_000);
});
