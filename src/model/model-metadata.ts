// Class names and preprocessing carried inside an .onnx file's metadata_props, so a model
// trained elsewhere opens with the right labels and input convention and no side files:
//   cnn_lens.labels         a JSON array of class names, one per output;
//   cnn_lens.preprocessing  a JSON object shaped like a manifest's "preprocess".
import { ManifestError, validateManifest, type ModelManifest } from './manifest.js';

export const METADATA_LABELS = 'cnn_lens.labels';
export const METADATA_PREPROCESSING = 'cnn_lens.preprocessing';

/** The manifest with whatever the metadata provides applied; bad metadata is refused, naming its key. */
export function applyModelMetadata(manifest: ModelManifest, metadata: Record<string, string>): ModelManifest {
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key]);
    } catch (err) {
      throw new ManifestError(`metadata "${key}" is not valid JSON (${(err as Error).message})`);
    }
  };
  let result = manifest;
  if (metadata[METADATA_LABELS] !== undefined) {
    const labels = parse(METADATA_LABELS);
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string')) throw new ManifestError(`metadata "${METADATA_LABELS}" must be a JSON array of strings`);
    if (labels.length !== manifest.labels.length) {
      throw new ManifestError(`metadata "${METADATA_LABELS}" has ${labels.length} names but the model has ${manifest.labels.length} outputs`);
    }
    result = { ...result, labels: labels as string[] };
  }
  if (metadata[METADATA_PREPROCESSING] !== undefined) {
    const preprocess = parse(METADATA_PREPROCESSING);
    try {
      result = validateManifest({ ...result, preprocess });
    } catch (err) {
      throw new ManifestError(`metadata "${METADATA_PREPROCESSING}": ${(err as Error).message.replace(/^model manifest: /, '')}`);
    }
    const [, , h, w] = result.inputShape;
    if (result.preprocess.cropWidth !== w || result.preprocess.cropHeight !== h) {
      throw new ManifestError(`metadata "${METADATA_PREPROCESSING}" crops ${result.preprocess.cropWidth}x${result.preprocess.cropHeight} but the model's input is ${w}x${h}`);
    }
  }
  return result;
}
