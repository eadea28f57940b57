// The command-line tools with --model: MobileNetV2 by id, an .onnx file whose labels and
// preprocessing come from its metadata, and the messages for a model that does not exist.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnx } from '../src/model/generated/onnx-pb.js';
import { MOBILENET_V2_PREPROCESS } from '../src/model/mobilenet-v2.js';
import { loadBuiltModel } from '../scripts/lib/default-model.js';
import { DEV_PHOTOS_DIR, NO_DEV_PHOTOS } from './helpers/data.js';
import { runScript } from './helpers/run-script.js';

const CHURCH = join(DEV_PHOTOS_DIR ?? '', 'n03028079/ILSVRC2012_val_00004912.JPEG');


describe('--model', () => {
  it('classify --model mobilenet_v2: church, at output 498 (ImageNet 497 + the background output)', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const r = await runScript('classify.ts', ['--model', 'mobilenet_v2', '--json', '--top', '2', CHURCH]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout.trim()) as { top: { index: number; label: string }[] };
    expect(parsed.top[0]).toMatchObject({ index: 498, label: 'church, church building' });
  }, 60_000);

  it('classify --model file.onnx reads cnn_lens.labels and cnn_lens.preprocessing from the metadata', async ({ skip }) => {
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
    const model = loadBuiltModel('mobilenet_v2');
    const proto = onnx.ModelProto.decode(model.bytes);
    const labels = model.manifest.labels.map((l, i) => (i === 498 ? 'a house of worship' : l));
    proto.metadataProps.push(
      onnx.StringStringEntryProto.create({ key: 'cnn_lens.labels', value: JSON.stringify(labels) }),
      onnx.StringStringEntryProto.create({ key: 'cnn_lens.preprocessing', value: JSON.stringify(MOBILENET_V2_PREPROCESS) }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'model-arg-'));
    const file = join(dir, 'taught.onnx');
    writeFileSync(file, onnx.ModelProto.encode(proto).finish());
    const r = await runScript('classify.ts', ['--model', file, '--top', '1', CHURCH]);
    expect(r.code).toBe(0);
    // Without the metadata preprocessing (torchvision's mean / std) the scores would differ; with it they match the bundled model's.
    const bundled = await runScript('classify.ts', ['--model', 'mobilenet_v2', '--top', '1', CHURCH]);
    expect(r.stdout.split('\n')[1]).toBe(bundled.stdout.split('\n')[1].replace('church  (498: church, church building)', 'a house of worship  (498: a house of worship)'));
  }, 90_000);

  it('names the bundled models when --model is neither one nor a file', async () => {
    const r = await runScript('classify.ts', ['--model', 'resnet50', CHURCH]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no built model "resnet50"');
    expect(r.stderr).toContain('built in: squeezenet1_0, mobilenet_v2');
    const b = await runScript('build-model.ts', ['--model', 'resnet50']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('--model must be one of squeezenet1_0, mobilenet_v2 or all, not "resnet50"');
  }, 60_000);

  it('build-model --model mobilenet_v2 --out DIR writes the converted model and its manifest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mnv2-'));
    const r = await runScript('build-model.ts', ['--model', 'mobilenet_v2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model mobilenet_v2: 101 nodes, 3489097 parameters converted from /);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ id: 'mobilenet_v2', inputShape: ['N', 3, 224, 224], outputNeedsSoftmax: false, imagenetOffset: 1, preprocess: MOBILENET_V2_PREPROCESS });
    expect(manifest.labels[0]).toBe('background');
    expect(manifest.labels[1]).toMatch(/^tench/);
    // 8-bit weights: within the 4.5 MB download budget even uncompressed.
    expect(statSync(join(out, 'model.onnx')).size).toBeLessThan(4.5e6);
  }, 60_000);
});
