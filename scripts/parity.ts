// npm run parity -- [--model ID|model.onnx] [model.onnx] [image]
// Runs a model in the reference engine and in onnxruntime-web (wasm, 1 thread) with every
// intermediate tensor as an output, and prints per layer the max absolute difference and the
// max difference relative to the layer's largest magnitude.
// Defaults: the default model (preprocessed per its manifest) and the first dev photo. --model
// takes a bundled model id (squeezenet1_0, mobilenet_v2) or a file. Other models use ImageNet
// torchvision preprocessing unless a manifest.json sits beside them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { withAllOutputs } from '../src/model/all-outputs.js';
import { torchvisionPreprocess } from '../src/validate/custom-model.js';
import { validateManifest, type PreprocessSpec } from '../src/model/manifest.js';
import { plainTensors } from '../src/engine/ort-tensor.js';
import { preprocess } from '../src/preprocess/preprocess.js';
import { compareLayers, formatLayerDiffs, type LayerDiff } from '../src/reference/compare.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { decodeImage } from './lib/decode-image.js';
import { devPhotoLabels, requireDevPhotosDir } from './lib/dev-photos.js';
import { DEFAULT_MODEL_FILE } from './lib/paths.js';
import type { Tensor } from '../src/reference/tensor.js';
import { isBundledModel } from '../src/model/bundled-models.js';
import { loadBuiltModel } from './lib/default-model.js';

export const DEFAULT_MODEL = DEFAULT_MODEL_FILE;

/** Dev photo paths in labels.csv order (../shared or the per-user cache; throws saying where it looked). */
export function devPhotos(): string[] {
  const dir = requireDevPhotosDir();
  return devPhotoLabels(dir).map((row) => join(dir, row.file));
}

/** The preprocessing a model file expects: its manifest.json when one sits beside it. */
export function preprocessFor(modelPath: string, height: number, width: number): PreprocessSpec {
  const manifest = join(dirname(modelPath), 'manifest.json');
  if (existsSync(manifest)) return validateManifest(JSON.parse(readFileSync(manifest, 'utf8'))).preprocess;
  return torchvisionPreprocess(height, width);
}

export function imageInput(imagePath: string, spec: PreprocessSpec): Float32Array {
  return preprocess(decodeImage(readFileSync(imagePath)), spec);
}

export interface ParityResult {
  diffs: LayerDiff[];
  worstRelDiff: number;
}

/** Layer-by-layer comparison of the reference and onnxruntime-web on one input. */
export async function parity(modelBytes: Uint8Array, input: Float32Array, engine = ReferenceEngine.load(modelBytes)): Promise<ParityResult> {
  const inputName = engine.inputNames[0];
  const dims = engine.shapeOf(inputName)!;
  const ref = engine.run(input, { want: 'all' });
  const variant = withAllOutputs(modelBytes);
  ort.env.wasm.numThreads = 1;
  // Optimisations off: every node's own output is what is compared (and session creation is 3x faster).
  const session = await ort.InferenceSession.create(variant.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
  try {
    const feed = new ort.Tensor('float32', input, dims);
    const out = await session.run({ [inputName]: feed });
    const trusted: Record<string, Tensor> = plainTensors(out);
    // Outputs the reader folded into constants (DequantizeLinear of 8-bit weights) are weights, not layers.
    const layers = variant.outputs.filter((name) => !engine.graph.initializers.has(name));
    const diffs = compareLayers(ref.tensors, trusted, layers);
    return { diffs, worstRelDiff: Math.max(...diffs.map((d) => d.maxRelDiff)) };
  } finally {
    await session.release();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { model: { type: 'string' } } });
  const [first, second] = positionals;
  const modelArg = values.model ?? first;
  const imageArg = values.model ? first : second;
  const modelPath = modelArg && isBundledModel(modelArg) ? loadBuiltModel(modelArg).path : resolve(modelArg ?? DEFAULT_MODEL);
  if (!existsSync(modelPath)) throw new Error(`${modelPath} does not exist (run npm run model, or name a bundled model with --model)`);
  const imagePath = resolve(imageArg ?? devPhotos()[0]);
  const bytes = new Uint8Array(readFileSync(modelPath));
  const engine = ReferenceEngine.load(bytes);
  const [, , h, w] = engine.shapeOf(engine.inputNames[0])!;
  const input = imageInput(imagePath, preprocessFor(modelPath, h, w));
  const { diffs, worstRelDiff } = await parity(bytes, input, engine);
  console.log(`model ${modelPath}\nimage ${imagePath}\n`);
  console.log(formatLayerDiffs(diffs));
  console.log(`\nworst relative difference: ${worstRelDiff.toExponential(2)} (${worstRelDiff <= 1e-4 ? 'within' : 'OVER'} 1e-4)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
