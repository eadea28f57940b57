// Resolves a command line's --model argument: a built model's id (public/models/<id>/) or an
// .onnx file. A file's class names and preprocessing come from its cnn_lens.* metadata (a model
// exported by Teach), else from a manifest.json beside it, else the custom-model defaults.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inspectCustomModel } from '../../src/validate/custom-model.js';
import { validateManifest, type ModelManifest } from '../../src/model/manifest.js';
import { decodeOnnx } from '../../src/model/onnx-read.js';
import { readCnnLensMetadata } from '../../src/teach/taught-metadata.js';
import { BUNDLED_MODELS, isBundledModel } from '../../src/model/bundled-models.js';
import { loadBuiltModel, loadDefaultModel, type LoadedModel } from './default-model.js';
import { DEFAULT_MODEL_DIR, modelDir } from './paths.js';

export async function loadModelForCli(idOrPath?: string): Promise<LoadedModel> {
  if (!idOrPath || idOrPath === basename(DEFAULT_MODEL_DIR)) return loadDefaultModel();
  const looksLikeFile = /\.onnx$/i.test(idOrPath) || idOrPath.includes('/') || idOrPath.includes('\\');
  // A bundled model is built (or rebuilt when stale) on demand.
  if (isBundledModel(idOrPath)) return loadBuiltModel(idOrPath);
  if (!looksLikeFile) {
    const manifestPath = join(modelDir(idOrPath), 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`no built model "${idOrPath}" (no ${manifestPath}; built in: ${BUNDLED_MODELS.join(', ')}); build it with npm run model, or pass an .onnx file`);
    const manifest = validateManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
    const path = join(modelDir(idOrPath), manifest.file);
    return { bytes: readFileSync(path), manifest, path };
  }
  if (!existsSync(idOrPath)) throw new Error(`${idOrPath}: no such file`);
  if (statSync(idOrPath).isDirectory()) throw new Error(`${idOrPath} is a directory, not an .onnx file`);
  const bytes = new Uint8Array(readFileSync(idOrPath));
  const model = await inspectCustomModel(bytes, basename(idOrPath));
  let manifest: ModelManifest = model.manifest;
  const beside = join(dirname(idOrPath), 'manifest.json');
  if (existsSync(beside)) {
    const m = validateManifest(JSON.parse(readFileSync(beside, 'utf8')));
    manifest = { ...manifest, id: m.id, name: m.name, preprocess: m.preprocess, labels: m.labels, outputNeedsSoftmax: m.outputNeedsSoftmax };
  }
  const meta = readCnnLensMetadata(decodeOnnx(bytes).metadata);
  if (meta.labels) {
    if (meta.labels.length !== model.numClasses) {
      throw new Error(`${idOrPath}: metadata cnn_lens.labels names ${meta.labels.length} classes but the model outputs ${model.numClasses}`);
    }
    manifest = { ...manifest, labels: meta.labels };
  }
  if (meta.preprocess) manifest = { ...manifest, preprocess: meta.preprocess };
  // Checks the metadata's preprocessing like any manifest's, naming the bad field.
  return { bytes: model.bytes, manifest: validateManifest(manifest), path: idOrPath };
}
