// Embedding-output surgery: the walk finds each classifier shape's feature tensor, and the
// modified model gives, in one onnxruntime run, the unchanged class scores plus the pooled
// features (checked against the reference engine's copy of the feature tensor).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/model/model-error.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { EMBEDDING_OUTPUT, withEmbeddingOutput } from '../../src/teach/embedding-output.js';
import { imageInput } from '../../scripts/parity.js';
import { DEFAULT_MODEL_DIR, SHARED_DEV_PHOTOS_DIR } from '../../scripts/lib/paths.js';
import { expectClose } from '../reference/expect-close.js';
import { ortRun, ortSession } from '../reference/ort.js';
import { builderModel, classImages, INPUT, INPUT_SHAPE, type BuilderKind } from '../builders/classifiers.js';
import { validateManifest } from '../../src/model/manifest.js';

/** Mean over H x W of an [1, C, H, W] tensor, or the tensor itself when it is [1, D]. */
function pooled(dims: number[], data: Float32Array): Float32Array {
  if (dims.length !== 4) return data;
  const [, c, h, w] = dims;
  return Float32Array.from({ length: c }, (_, ch) => data.subarray(ch * h * w, (ch + 1) * h * w).reduce((a, b) => a + b, 0) / (h * w));
}

async function checkModel(bytes: Uint8Array, inputName: string, input: Float32Array, dims: number[]): Promise<{ feature: string; dim: number }> {
  const model = withEmbeddingOutput(bytes);
  const base = await ortRun(await ortSession(bytes), [{ name: inputName, dims, data: input }]);
  const withEmb = await ortRun(await ortSession(model.bytes), [{ name: inputName, dims, data: input }]);
  // The class scores are untouched and the embedding comes from the same run.
  const scores = model.info.scoresOutput;
  expect(Array.from(withEmb[scores].data)).toEqual(Array.from(base[scores].data));
  expect(withEmb[EMBEDDING_OUTPUT].dims).toEqual([1, model.info.dim]);
  const engine = ReferenceEngine.load(bytes);
  const ref = engine.run(input, { want: [model.info.featureTensor] }).tensors[model.info.featureTensor];
  expectClose(withEmb[EMBEDDING_OUTPUT].data, pooled(ref.dims, ref.data), { atol: 1e-5, rtol: 1e-4 }, 'embedding vs reference features');
  return { feature: model.info.featureTensor, dim: model.info.dim };
}

describe('withEmbeddingOutput', () => {
  const image = classImages(1, 1)[0][0];
  for (const kind of ['gemm', 'matmul', 'conv1x1', 'pooled-conv'] as BuilderKind[]) {
    it(`finds the features of a ${kind} classifier and outputs them in the same run`, async () => {
      const built = builderModel(kind);
      const model = withEmbeddingOutput(built.bytes);
      expect(model.info).toMatchObject({ featureTensor: built.feature, dim: built.dim, spatial: built.spatial, classifierNode: built.classifier });
      await checkModel(built.bytes, INPUT, image, INPUT_SHAPE);
    });
  }

  it('finds the features behind a classifier with 8-bit weights (DequantizeLinear), as in MobileNetV2 from TFLite', async () => {
    const built = builderModel('dequantized');
    const model = withEmbeddingOutput(built.bytes);
    expect(model.info).toMatchObject({ featureTensor: 'avgpool', dim: 8, spatial: true, classifierNode: 'conv_pred', scoresOutput: 'prob' });
    // Same features as the float pooled-conv model built from the same seed.
    const float = withEmbeddingOutput(builderModel('pooled-conv').bytes);
    const feed = [{ name: INPUT, dims: INPUT_SHAPE, data: image }];
    const a = await ortRun(await ortSession(model.bytes), feed);
    const b = await ortRun(await ortSession(float.bytes), feed);
    expect(a.prob.dims).toEqual([1, 5]);
    expectClose(a[EMBEDDING_OUTPUT].data, b[EMBEDDING_OUTPUT].data, { atol: 0, rtol: 0 }, 'embedding');
  });

  it('refuses a model without a final Conv, Gemm or MatMul, naming the path it walked', () => {
    let err: unknown;
    try {
      withEmbeddingOutput(builderModel('no-classifier').bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toBe(
      'no final classifier (Conv, Gemm or MatMul) found walking back from output "flatten" through flatten (Flatten) <- merge (Add); a model whose class scores come from such a layer is needed to teach new classes',
    );
  });

  it('refuses bytes that are not ONNX', () => {
    expect(() => withEmbeddingOutput(new TextEncoder().encode('not a model at all'))).toThrow(ModelError);
  });

  const squeezenet = `${DEFAULT_MODEL_DIR}/model.onnx`;
  it.runIf(existsSync(squeezenet) && existsSync(SHARED_DEV_PHOTOS_DIR))('SqueezeNet: fire9/concat pooled, 512 features (needs the built model and the dev photos)', async () => {
    const bytes = new Uint8Array(readFileSync(squeezenet));
    const manifest = validateManifest(JSON.parse(readFileSync(`${DEFAULT_MODEL_DIR}/manifest.json`, 'utf8')));
    const model = withEmbeddingOutput(bytes);
    expect(model.info).toEqual({ featureTensor: 'fire9/concat', spatial: true, dim: 512, classifierNode: 'conv10', classifierOp: 'Conv', scoresOutput: 'logits' });
    const photo = `${SHARED_DEV_PHOTOS_DIR}/${readFileSync(`${SHARED_DEV_PHOTOS_DIR}/labels.csv`, 'utf8').split('\n')[1].split(',')[0]}`;
    const input = imageInput(photo, manifest.preprocess);
    expect(await checkModel(bytes, manifest.inputName, input, [1, 3, 227, 227])).toEqual({ feature: 'fire9/concat', dim: 512 });
  });
});
