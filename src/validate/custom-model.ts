// Validates a user's own .onnx file before anything is replaced, and proposes a manifest for it:
// it must parse, use only ops the reference engine supports, take one 4-D float image input with
// 3 channels and give one output of class scores.
import { decodeOnnx, ModelError, type Graph, type ShapedGraph } from '../model/onnx-read.js';
import type { ModelManifest, PreprocessSpec } from '../model/manifest.js';
import { onnx } from '../model/generated/onnx-pb.js';
import { LABELS_METADATA_KEY, PREPROCESSING_METADATA_KEY } from '../model/metadata-keys.js';
import { readOnnx } from '../reference/load-graph.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

export class CustomModelError extends Error {
  constructor(message: string, readonly kind: string = 'invalid-model') {
    super(message);
    this.name = 'CustomModelError';
  }
}

export interface CustomModel {
  /** sha256 of the file as given: settings are remembered under it. */
  id: string;
  graph: ShapedGraph;
  manifest: ModelManifest;
  numClasses: number;
  /** True when the model's spatial input size is dynamic: the user may choose it. */
  dynamicSize: boolean;
  /**
   * The bytes both engines should load: the file itself, or for a dynamic spatial size a copy with
   * the chosen size written into the input's shape (so the reference engine can infer shapes).
   */
  bytes: Uint8Array;
}

/** A copy of the model with the input's spatial dimensions fixed to h x w (batch left as is). */
export function fixInputSize(bytes: Uint8Array, inputName: string, h: number, w: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const input = (model.graph?.input as onnx.ValueInfoProto[] | undefined)?.find((v) => v.name === inputName);
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!dims || dims.length !== 4) throw new CustomModelError(`input "${inputName}" has no 4-D shape to fix`, 'wrong-input');
  dims[2] = onnx.TensorShapeProto.Dimension.create({ dimValue: h });
  dims[3] = onnx.TensorShapeProto.Dimension.create({ dimValue: w });
  return onnx.ModelProto.encode(model).finish();
}

/** The usual ImageNet convention of torchvision-style models: RGB in 0..1, per-channel mean/std. */
export function torchvisionPreprocess(height: number, width = height): PreprocessSpec {
  return {
    // 256 / 224 as torchvision; the short side must cover both crop sides.
    resizeShortSide: Math.round((Math.max(height, width) * 256) / 224),
    cropWidth: width,
    cropHeight: height,
    channelOrder: 'RGB',
    scale: 1 / 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  };
}

export const DEFAULT_CUSTOM_INPUT_SIZE = 224;

/** A stable id for a model's bytes: settings are remembered under it. */
export async function modelId(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param inputSize used only when the model's spatial input size is dynamic.
 * @param imagenetLabels class names to use when the model has 1000 outputs.
 */
export async function inspectCustomModel(
  bytes: Uint8Array,
  fileName: string,
  options: { inputSize?: number; imagenetLabels?: string[] } = {},
): Promise<CustomModel> {
  if (bytes.byteLength === 0) throw new CustomModelError(`${fileName} is empty (0 bytes): not an ONNX model`, 'empty');
  const prefixed = (err: unknown): never => {
    if (err instanceof ModelError && err.kind === 'truncated' && /index out of range/.test(err.message)) {
      throw new CustomModelError(`${fileName} is truncated: the file ends after ${bytes.byteLength} bytes, before the model does (an interrupted download or copy?)`, err.kind);
    }
    if (err instanceof ModelError) throw new CustomModelError(`${fileName}: ${err.message}`, err.kind);
    throw err;
  };
  let raw: Graph;
  try {
    raw = decodeOnnx(bytes);
  } catch (err) {
    return prefixed(err);
  }
  if (raw.inputs.length !== 1) {
    throw new CustomModelError(`${fileName} has ${raw.inputs.length} inputs (${raw.inputs.map((i) => i.name).join(', ')}); one image input is needed`, 'wrong-input');
  }
  const input = raw.inputs[0];
  const dims = input.dims;
  if (!dims || dims.length !== 4) {
    throw new CustomModelError(
      `${fileName}: input "${input.name}" has rank ${dims ? dims.length : 'unknown'}${dims ? ` ([${dims.map((d) => d ?? '?').join(', ')}])` : ''}; a 4-D [N, 3, H, W] image input is needed`,
      'wrong-input',
    );
  }
  if (input.elemType !== FLOAT) {
    throw new CustomModelError(`${fileName}: input "${input.name}" holds ${elemTypeName(input.elemType)} values; a float32 image input is needed`, 'wrong-input');
  }
  if (dims[1] !== 3) {
    throw new CustomModelError(`${fileName}: input "${input.name}" has ${dims[1] ?? 'a dynamic number of'} channels ([${dims.map((d) => d ?? '?').join(', ')}]); 3 colour channels are needed`, 'wrong-input');
  }
  const size = options.inputSize ?? DEFAULT_CUSTOM_INPUT_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new CustomModelError(`input size ${size} is not a whole number of pixels between 1 and 4096`, 'settings');
  }
  const dynamicSize = dims.slice(2).some((d) => typeof d !== 'number' || d <= 0);
  let graph: ShapedGraph;
  let engineBytes = bytes;
  try {
    if (dynamicSize) {
      const [, , dh, dw] = dims;
      engineBytes = fixInputSize(bytes, input.name, typeof dh === 'number' && dh > 0 ? dh : size, typeof dw === 'number' && dw > 0 ? dw : size);
    }
    graph = readOnnx(engineBytes);
  } catch (err) {
    return prefixed(err);
  }
  const shape = graph.shapes.get(input.name) ?? [];
  const [, , h, w] = shape;
  if (raw.outputs.length !== 1) {
    throw new CustomModelError(`${fileName} has ${raw.outputs.length} outputs; one output of class scores is needed`, 'wrong-output');
  }
  const outShape = graph.shapes.get(raw.outputs[0].name) ?? [];
  const numClasses = outShape.slice(1).reduce((a, b) => a * b, 1);
  if (outShape.length < 2 || outShape.slice(2).some((d) => d !== 1) || numClasses < 2) {
    throw new CustomModelError(`${fileName}: output "${raw.outputs[0].name}" has shape [${outShape.join(', ')}]; class scores [N, K] are needed`, 'wrong-output');
  }
  const last = graph.nodes.at(-1);
  const id = await modelId(bytes);
  const fromFile = metadataSettings(raw.metadata, numClasses, h, w, fileName);
  const labels =
    fromFile.labels ?? (numClasses === 1000 && options.imagenetLabels?.length === 1000 ? options.imagenetLabels : Array.from({ length: numClasses }, (_, i) => `class ${i}`));
  const preprocess = fromFile.preprocess ?? torchvisionPreprocess(h, w);
  const manifest: ModelManifest = {
    id,
    name: fileName.replace(/\.onnx$/i, ''),
    file: fileName,
    sha256: id,
    source: `your file ${fileName} (loaded on this device only)`,
    licence: 'as given by the model author',
    citation: [],
    inputName: input.name,
    inputShape: ['N', 3, h, w],
    outputName: raw.outputs[0].name,
    outputNeedsSoftmax: last?.opType !== 'Softmax',
    preprocess,
    labels,
  };
  return { id, graph, manifest, numClasses, dynamicSize, bytes: engineBytes };
}

/**
 * Class names and preprocessing a file carries in its metadata (a model taught in this app):
 * used in place of the proposed ones. A key that is present but unusable is refused by name.
 */
function metadataSettings(metadata: Record<string, string>, numClasses: number, h: number, w: number, fileName: string): { labels?: string[]; preprocess?: PreprocessSpec } {
  const out: { labels?: string[]; preprocess?: PreprocessSpec } = {};
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw new CustomModelError(`${fileName}: metadata ${key} is not valid JSON`, 'metadata');
    }
  };
  if (metadata[LABELS_METADATA_KEY] !== undefined) {
    const labels = parse(LABELS_METADATA_KEY);
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string') || labels.length !== numClasses) {
      throw new CustomModelError(`${fileName}: metadata ${LABELS_METADATA_KEY} must be a JSON array of ${numClasses} class names (one per output)`, 'metadata');
    }
    out.labels = labels as string[];
  }
  if (metadata[PREPROCESSING_METADATA_KEY] !== undefined) {
    const pre = parse(PREPROCESSING_METADATA_KEY);
    if (!pre || typeof pre !== 'object' || Array.isArray(pre)) throw new CustomModelError(`${fileName}: metadata ${PREPROCESSING_METADATA_KEY} must be a JSON object`, 'metadata');
    // The crop is the model's input size, whatever the file says; the rest (resize, mean, std…) is the file's.
    out.preprocess = { ...torchvisionPreprocess(h, w), ...(pre as PreprocessSpec), cropWidth: w, cropHeight: h };
  }
  return out;
}

function elemTypeName(t: number): string {
  const name = (onnx.TensorProto.DataType as unknown as Record<number, string>)[t];
  return name ? name.toLowerCase() : `type ${t}`;
}
