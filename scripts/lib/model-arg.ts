// Resolves a CLI's --model: a bundled model id (built when missing or stale) or a path to an
// .onnx file, whose labels and preprocessing come from a manifest.json beside it, else from its
// cnn_lens.* metadata, else torchvision's ImageNet convention (with ImageNet names for 1000 outputs).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, isBundledModel } from '../../src/model/bundled-models.js';
import { inspectCustomModel } from '../../src/validate/custom-model.js';
import { validateManifest } from '../../src/model/manifest.js';
import { applyModelMetadata } from '../../src/model/model-metadata.js';
import { decodeOnnx } from '../../src/model/onnx-read.js';
import { loadBuiltModel, type LoadedModel } from './default-model.js';

export class ModelArgError extends Error {}

export async function loadModelArg(arg: string | undefined): Promise<LoadedModel> {
  const value = arg ?? DEFAULT_MODEL_ID;
  if (isBundledModel(value)) return loadBuiltModel(value);
  const path = resolve(value);
  if (!existsSync(path) || statSync(path).isDirectory()) {
    throw new ModelArgError(`--model "${value}" is neither a bundled model (${BUNDLED_MODELS.join(', ')}) nor an .onnx file`);
  }
  const bytes = new Uint8Array(readFileSync(path));
  const beside = join(dirname(path), 'manifest.json');
  if (existsSync(beside)) {
    const manifest = validateManifest(JSON.parse(readFileSync(beside, 'utf8')));
    if (manifest.file === basename(path)) return { bytes, manifest, path };
  }
  const imagenet = loadBuiltModel(DEFAULT_MODEL_ID).manifest.labels;
  const custom = await inspectCustomModel(bytes, basename(path), { imagenetLabels: imagenet });
  const manifest = applyModelMetadata(custom.manifest, decodeOnnx(bytes).metadata);
  return { bytes: custom.bytes, manifest, path };
}
