// The model manifest: everything downstream (preprocessing, engines, labels, UI) reads the model's
// conventions from here, never from constants, so any CNN can plug in.

export type ChannelOrder = 'RGB' | 'BGR';

/**
 * Which part of the image the model sees, as data (no model-name branches downstream):
 * - 'resize-short-then-center' (the default when `crop` is absent): resize so the short side is
 *   resizeShortSide, aspect ratio kept, then take the central cropWidth x cropHeight (Caffe,
 *   torchvision);
 * - 'central-fraction': take the central `fraction` of the image's width and of its height, then
 *   resize that to cropWidth x cropHeight, aspect ratio not kept (TF-slim's ImageNet evaluation).
 */
export type CropRule = { kind: 'resize-short-then-center' } | { kind: 'central-fraction'; fraction: number };

/**
 * How the resize samples the source, as the model's training / evaluation pipeline did:
 * - 'bilinear-antialias' (the default when `resample` is absent): a triangle filter widened by the
 *   shrink factor, every source pixel counted (PIL / torchvision's bilinear);
 * - 'bilinear': TensorFlow 1's resize_bilinear (align_corners=False, no half-pixel centres): each
 *   output pixel interpolates its two nearest source pixels per axis, no antialiasing.
 */
export type Resample = 'bilinear-antialias' | 'bilinear';

export interface PreprocessSpec {
  crop?: CropRule;
  resample?: Resample;
  /** For 'resize-short-then-center': resize so the short side equals this many pixels, bilinear. */
  resizeShortSide: number;
  /** The model's input size: the crop's size after the resize. */
  cropWidth: number;
  cropHeight: number;
  /** Order of the three input channels. */
  channelOrder: ChannelOrder;
  /** Pixel values 0..255 are multiplied by this first (1 for Caffe models, 1/255 for torchvision). */
  scale: number;
  /** Per input channel, in channelOrder order: value = (pixel * scale - mean[c]) / std[c]. */
  mean: [number, number, number];
  std: [number, number, number];
}

export interface ModelManifest {
  id: string;
  name: string;
  /** The .onnx file, relative to the manifest. */
  file: string;
  sha256?: string;
  source: string;
  licence: string;
  citation: string[];
  inputName: string;
  /** [N, 3, H, W]; N is dynamic. */
  inputShape: [string | number, 3, number, number];
  outputName: string;
  /** True when the output holds logits that need a softmax to become probabilities. */
  outputNeedsSoftmax: boolean;
  preprocess: PreprocessSpec;
  labels: string[];
  /**
   * Output index of ImageNet class 0, for scoring against ImageNet indices: 1 when output 0 is
   * an extra "background" class (TensorFlow's 1001-way models, shown as "background" like any
   * other class); absent means 0.
   */
  imagenetOffset?: number;
}

export class ManifestError extends Error {}

/** Checks a parsed manifest (from disk, the network or a user's settings) and names the first bad field. */
export function validateManifest(value: unknown): ModelManifest {
  const m = value as Partial<ModelManifest> | null;
  const fail = (msg: string): never => {
    throw new ManifestError(`model manifest: ${msg}`);
  };
  if (!m || typeof m !== 'object') fail('not a JSON object');
  const mm = m as Partial<ModelManifest>;
  for (const key of ['id', 'name', 'file', 'inputName', 'outputName'] as const) {
    if (typeof mm[key] !== 'string' || !mm[key]) fail(`"${key}" must be a non-empty string`);
  }
  if (!Array.isArray(mm.inputShape) || mm.inputShape.length !== 4 || mm.inputShape[1] !== 3) {
    fail('"inputShape" must be [N, 3, H, W]');
  }
  const p = mm.preprocess;
  if (!p) return fail('"preprocess" is missing');
  for (const key of ['resizeShortSide', 'cropWidth', 'cropHeight'] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) fail(`"preprocess.${key}" must be a positive integer`);
  }
  const crop = p.crop ?? { kind: 'resize-short-then-center' };
  if (crop.kind === 'central-fraction') {
    if (!(typeof crop.fraction === 'number' && crop.fraction > 0 && crop.fraction <= 1)) fail('"preprocess.crop.fraction" must be a number in (0, 1]');
  } else if (crop.kind !== 'resize-short-then-center') {
    fail(`"preprocess.crop.kind" must be "resize-short-then-center" or "central-fraction", not ${JSON.stringify((crop as { kind: unknown }).kind)}`);
  } else if (p.resizeShortSide < Math.min(p.cropWidth, p.cropHeight)) {
    fail(`"preprocess.resizeShortSide" (${p.resizeShortSide}) is smaller than the crop ${p.cropWidth}x${p.cropHeight}`);
  }
  if (p.resample !== undefined && p.resample !== 'bilinear-antialias' && p.resample !== 'bilinear') {
    fail(`"preprocess.resample" must be "bilinear-antialias" or "bilinear", not ${JSON.stringify(p.resample)}`);
  }
  if (p.channelOrder !== 'RGB' && p.channelOrder !== 'BGR') fail('"preprocess.channelOrder" must be "RGB" or "BGR"');
  if (!(typeof p.scale === 'number' && p.scale > 0)) fail('"preprocess.scale" must be a positive number');
  for (const key of ['mean', 'std'] as const) {
    const v = p[key];
    if (!Array.isArray(v) || v.length !== 3 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      fail(`"preprocess.${key}" must be three numbers`);
    }
  }
  if (p.std.some((s) => s === 0)) fail('"preprocess.std" must not contain 0');
  if (!Array.isArray(mm.labels) || mm.labels.some((l) => typeof l !== 'string')) fail('"labels" must be a list of strings');
  if (mm.imagenetOffset !== undefined && !(Number.isInteger(mm.imagenetOffset) && mm.imagenetOffset >= 0)) {
    fail('"imagenetOffset" must be a non-negative integer');
  }
  return mm as ModelManifest;
}

/** The short display name of a class: the first of its comma-separated synonyms. */
export function shortLabel(label: string): string {
  return label.split(',')[0].trim();
}
