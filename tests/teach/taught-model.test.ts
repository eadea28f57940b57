// The taught ONNX file: runs unchanged in onnxruntime with the head's own probabilities, matches
// the reference engine layer by layer, carries labels/preprocessing/head/examples in its metadata,
// reads back, re-teaches, and refuses what it should with specific messages.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { torchvisionPreprocess } from '../../src/validate/custom-model.js';
import { onnx } from '../../src/model/generated/onnx-pb.js';
import { decodeOnnx } from '../../src/model/onnx-read.js';
import { valueInfo } from '../../src/model/onnx-write.js';
import { readOnnx } from '../../src/reference/load-graph.js';
import type { TeachClass } from '../../src/teach/classes.js';
import { EMBEDDING_OUTPUT, withEmbeddingOutput } from '../../src/teach/embedding-output.js';
import { decodeFloat16Base64, encodeFloat16Base64, fromFloat16Bits, toFloat16Bits } from '../../src/teach/taught-metadata.js';
import { buildTaughtModel, readTaughtModel, TAUGHT_OUTPUT } from '../../src/teach/taught-model.js';
import { predictHead, trainHead } from '../../src/teach/train-head.js';
import { parity } from '../../scripts/parity.js';
import { DEFAULT_MODEL_DIR, modelDir } from '../../scripts/lib/paths.js';
import { expectClose } from '../reference/expect-close.js';
import { ortRun, ortSession } from '../reference/ort.js';
import { builderModel, classImages, INPUT, INPUT_SHAPE, type BuilderKind } from '../builders/classifiers.js';
import { clusters } from '../../scripts/lib/synthetic-embeddings.js';
import { teachError } from './teach-error-of.js';

const NAMES = ['mug', 'keys', 'cat'];
const PRE = torchvisionPreprocess(12);

async function embed(bytes: Uint8Array, images: Float32Array[][]): Promise<TeachClass[]> {
  const model = withEmbeddingOutput(bytes);
  const session = await ortSession(model.bytes);
  const out: TeachClass[] = [];
  for (const [c, list] of images.entries()) {
    const embeddings: Float32Array[] = [];
    for (const img of list) embeddings.push((await ortRun(session, [{ name: INPUT, dims: INPUT_SHAPE, data: img }]))[EMBEDDING_OUTPUT].data);
    out.push({ name: NAMES[c], embeddings });
  }
  return out;
}

describe('taught model', () => {
  // 8 training and 2 test images per class, from the same class patterns.
  const all = classImages(3, 10);
  const images = all.map((list) => list.slice(0, 8));
  const test = all.map((list) => list.slice(8));

  for (const kind of ['gemm', 'conv1x1', 'pooled-conv'] as BuilderKind[]) {
    it(`${kind} base: onnxruntime gives the head's probabilities, the reference matches every layer`, async () => {
      const base = builderModel(kind).bytes;
      const classes = await embed(base, images);
      const head = trainHead(classes.map((c) => ({ ...c, embeddings: c.embeddings.slice(0, kind === 'gemm' ? 2 : 8) })));
      expect(head.method).toBe(kind === 'gemm' ? 'nearest-class-mean' : 'softmax-regression');
      const bytes = buildTaughtModel({ base, baseModelId: `builder-${kind}`, preprocess: PRE, head });
      const graph = readOnnx(bytes);
      expect(graph.outputs.map((o) => o.name)).toEqual([TAUGHT_OUTPUT]);
      expect(graph.shapes.get(TAUGHT_OUTPUT)).toEqual([1, 3]);
      expect(graph.nodes.slice(-4).map((n) => n.opType)).toEqual(['Add', 'LpNormalization', 'Gemm', 'Softmax']);
      // The base's own classifier is gone: nothing the taught output does not need is kept.
      expect(graph.nodes.some((n) => n.name === builderModel(kind).classifier)).toBe(false);
      const session = await ortSession(bytes);
      const embSession = await ortSession(withEmbeddingOutput(base).bytes);
      for (const img of test.flat()) {
        const probs = (await ortRun(session, [{ name: INPUT, dims: INPUT_SHAPE, data: img }]))[TAUGHT_OUTPUT].data;
        const emb = (await ortRun(embSession, [{ name: INPUT, dims: INPUT_SHAPE, data: img }]))[EMBEDDING_OUTPUT].data;
        expectClose(probs, predictHead(head, emb).probabilities, { atol: 1e-5, rtol: 1e-4 }, 'onnxruntime vs predictHead');
      }
      const result = await parity(bytes, test[1][0]);
      expect(result.diffs.map((d) => d.name)).toContain(TAUGHT_OUTPUT);
      expect(result.worstRelDiff).toBeLessThanOrEqual(1e-4);
    });
  }

  it('carries labels, preprocessing and head in metadata and reads back with its examples', async () => {
    const base = builderModel('conv1x1').bytes;
    const classes = await embed(base, images);
    const head = trainHead(classes, { unknownThreshold: 0.6 });
    const bytes = buildTaughtModel({ base, baseModelId: 'builder', preprocess: PRE, head, examples: classes });
    const meta = decodeOnnx(bytes).metadata;
    expect(JSON.parse(meta['cnn_lens.labels'])).toEqual(NAMES);
    expect(JSON.parse(meta['cnn_lens.preprocessing'])).toEqual(PRE);
    expect(JSON.parse(meta['cnn_lens.head'])).toMatchObject({ format: 1, baseModel: 'builder', embeddingTensor: EMBEDDING_OUTPUT, embeddingDim: 8, method: 'softmax-regression', unknownThreshold: 0.6 });
    const read = readTaughtModel(bytes);
    expect(read.classes).toEqual(NAMES);
    expect(read.preprocess).toEqual(PRE);
    expect(read.inputName).toBe(INPUT);
    expect(read.outputName).toBe(TAUGHT_OUTPUT);
    expectClose(read.head.weights, head.weights, { atol: 0, rtol: 0 }, 'weights');
    expectClose(read.head.centre, head.centre, { atol: 1e-7, rtol: 1e-6 }, 'centre');
    expect(read.head.unknownThreshold).toBe(0.6);
    expect(read.examples!.map((c) => c.embeddings.length)).toEqual([8, 8, 8]);
    read.examples!.forEach((c, i) => c.embeddings.forEach((e, j) => expectClose(e, classes[i].embeddings[j], { atol: 1e-4, rtol: 1e-3 }, 'float16 example')));
    // Teaching goes on from the imported file: its embedding is exposed, and a re-taught model
    // replaces the old head instead of stacking a second one.
    const again = withEmbeddingOutput(bytes);
    expect(again.info).toMatchObject({ featureTensor: EMBEDDING_OUTPUT, dim: 8 });
    const more = [...read.examples!, { name: 'dog', embeddings: read.examples![0].embeddings.map((e) => e.map((v) => v * 0.5 + 1)) }];
    const retaught = buildTaughtModel({ base: bytes, baseModelId: 'builder', preprocess: PRE, head: trainHead(more), examples: more });
    const g = readOnnx(retaught);
    expect(g.nodes.filter((n) => n.opType === 'Gemm').length).toBe(1);
    expect(g.shapes.get(TAUGHT_OUTPUT)).toEqual([1, 4]);
    expect(readTaughtModel(retaught).classes).toEqual([...NAMES, 'dog']);
  });

  it('drops the old classifier weights from the graph inputs when an older exporter listed them there', async () => {
    const base = builderModel('conv1x1').bytes;
    const model = onnx.ModelProto.decode(base);
    const graph = model.graph as onnx.GraphProto;
    for (const t of graph.initializer as onnx.TensorProto[]) graph.input.push(onnx.ValueInfoProto.fromObject(valueInfo(t.name, t.dims.map(Number))));
    const legacy = onnx.ModelProto.encode(model).finish();
    const classes = await embed(legacy, images);
    const bytes = buildTaughtModel({ base: legacy, baseModelId: 'legacy', preprocess: PRE, head: trainHead(classes) });
    const inputs = (onnx.ModelProto.decode(bytes).graph as onnx.GraphProto).input.map((v) => v.name);
    expect(inputs).toContain('conv1.w');
    expect(inputs).not.toContain('conv10.w');
    const session = await ortSession(bytes);
    expect(session.inputNames).toEqual([INPUT]);
    const probs = (await ortRun(session, [{ name: INPUT, dims: INPUT_SHAPE, data: test[0][0] }]))[TAUGHT_OUTPUT].data;
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('refuses to import an ONNX file without a teachable head', () => {
    const err = teachError(() => readTaughtModel(builderModel('gemm').bytes));
    expect(err.kind).toBe('no-teachable-head');
    expect(err.message).toBe(
      'this ONNX model has no taught head (no cnn_lens.head metadata): only files exported from Teach can be imported to go on teaching; open it as a model instead',
    );
  });

  it('refuses to export one class, or a head trained on another model', () => {
    const head = trainHead(clusters({ classes: 2, perClass: 4, dim: 8, spread: 0.5 }));
    const one = { ...head, classes: ['mug'], weights: head.weights.slice(0, 8), bias: head.bias.slice(0, 1) };
    expect(teachError(() => buildTaughtModel({ base: builderModel('conv1x1').bytes, baseModelId: 'b', preprocess: PRE, head: one })).message).toBe(
      'cannot export a model with only one class ("mug"): a classifier needs at least 2 classes to choose between',
    );
    const err = teachError(() => buildTaughtModel({ base: builderModel('gemm').bytes, baseModelId: 'b', preprocess: PRE, head }));
    expect(err.kind).toBe('embedding-size');
    expect(err.message).toBe('the head was trained on 8-long embeddings but this base model gives 16: train again on this model');
  });

  const mobilenet = `${modelDir('mobilenet_v2')}/model.onnx`;
  it.runIf(existsSync(mobilenet))('MobileNetV2 base (8-bit weights, 1280 features): onnxruntime runs the taught file and the reference matches every layer (needs the built model)', async () => {
    const base = new Uint8Array(readFileSync(mobilenet));
    const synthetic = clusters({ classes: 3, perClass: 5, dim: 1280, spread: 0.5 }).map((c, i) => ({ ...c, name: NAMES[i] }));
    const bytes = buildTaughtModel({ base, baseModelId: 'mobilenet_v2', preprocess: PRE, head: trainHead(synthetic), examples: synthetic });
    const input = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.001));
    const result = await parity(bytes, input);
    expect(result.diffs.map((d) => d.name)).toEqual(expect.arrayContaining(['head/avgpool', EMBEDDING_OUTPUT, TAUGHT_OUTPUT]));
    expect(result.diffs.map((d) => d.name)).not.toContain('head/logits');
    expect(result.worstRelDiff).toBeLessThanOrEqual(1e-4);
  });

  const squeezenet = `${DEFAULT_MODEL_DIR}/model.onnx`;
  it.runIf(existsSync(squeezenet))('SqueezeNet base: the taught file matches the reference at every layer (needs the built model)', async () => {
    const base = new Uint8Array(readFileSync(squeezenet));
    const synthetic = clusters({ classes: 3, perClass: 5, dim: 512, spread: 0.5 }).map((c, i) => ({ ...c, name: NAMES[i] }));
    const bytes = buildTaughtModel({ base, baseModelId: 'squeezenet1_0', preprocess: PRE, head: trainHead(synthetic), examples: synthetic });
    const input = Float32Array.from({ length: 3 * 227 * 227 }, (_, i) => 60 * Math.sin(i * 0.001));
    const result = await parity(bytes, input);
    expect(result.diffs.map((d) => d.name)).toEqual(expect.arrayContaining(['fire9/concat', EMBEDDING_OUTPUT, TAUGHT_OUTPUT]));
    expect(result.diffs.map((d) => d.name)).not.toContain('conv10');
    expect(result.worstRelDiff).toBeLessThanOrEqual(1e-4);
  });
});

describe('float16 storage', () => {
  it('encodes known values exactly and rounds to nearest even', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to the even mantissa
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(fromFloat16Bits(0x3555)).toBeCloseTo(0.33325, 5);
  });

  it('round-trips embeddings through base64 within float16 precision', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i % 7) * Math.exp((i % 13) - 6));
    const back = decodeFloat16Base64(encodeFloat16Base64(values));
    expect(back).toHaveLength(1000);
    expectClose(back, values, { atol: 1e-7, rtol: 1e-3 }, 'float16');
  });
});
