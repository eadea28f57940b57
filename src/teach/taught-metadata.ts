// What a taught ONNX file says about itself in its metadata_props, so that this app's loader,
// `npm run classify` and Import can use it without a manifest:
//   cnn_lens.labels         JSON array of the class names, in output order
//   cnn_lens.preprocessing  JSON of the manifest's preprocess object (src/model/manifest.ts)
//   cnn_lens.head           JSON of HeadMetadata: how to find the head and the examples again
import type { PreprocessSpec } from '../model/manifest.js';
import { TeachError } from './teach-error.js';
import type { HeadMethod } from './train-head.js';

import { LABELS_METADATA_KEY, PREPROCESSING_METADATA_KEY } from '../model/metadata-keys.js';

export { LABELS_METADATA_KEY, PREPROCESSING_METADATA_KEY };
export const HEAD_METADATA_KEY = 'cnn_lens.head';
/** Bumped when HeadMetadata changes incompatibly; readers refuse newer formats by name. */
export const HEAD_FORMAT = 1;

export interface StoredExamples {
  encoding: 'float16-base64';
  /** Examples per class, in class order; the data holds them one after another. */
  counts: number[];
  data: string;
}

export interface HeadMetadata {
  format: number;
  /** The base model the embeddings come from (its manifest id, or the sha256 of a custom file). */
  baseModel: string;
  /** The [N, D] embedding tensor inside the graph, the head's input. */
  embeddingTensor: string;
  embeddingDim: number;
  /** The Gemm node of the head and its initializers. */
  headNode: string;
  centreInitializer: string;
  weightsInitializer: string;
  biasInitializer: string;
  method: HeadMethod;
  unknownThreshold: number;
  /** The examples' embeddings, when stored: Import can then go on teaching. */
  examples?: StoredExamples;
}

export interface CnnLensMetadata {
  labels?: string[];
  preprocess?: PreprocessSpec;
  head?: HeadMetadata;
}

/** Reads the cnn_lens.* keys that are present; a key that is present but malformed throws. */
export function readCnnLensMetadata(metadata: Record<string, string>): CnnLensMetadata {
  const out: CnnLensMetadata = {};
  const labels = metadata[LABELS_METADATA_KEY];
  if (labels !== undefined) {
    const parsed = parseJson(labels, LABELS_METADATA_KEY);
    if (!Array.isArray(parsed) || parsed.some((l) => typeof l !== 'string')) {
      throw new TeachError('no-teachable-head', `metadata ${LABELS_METADATA_KEY} must be a JSON array of class names`);
    }
    out.labels = parsed as string[];
  }
  const pre = metadata[PREPROCESSING_METADATA_KEY];
  if (pre !== undefined) {
    const parsed = parseJson(pre, PREPROCESSING_METADATA_KEY);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new TeachError('no-teachable-head', `metadata ${PREPROCESSING_METADATA_KEY} must be a JSON object`);
    }
    out.preprocess = parsed as PreprocessSpec;
  }
  const head = metadata[HEAD_METADATA_KEY];
  if (head !== undefined) out.head = parseHeadMetadata(head);
  return out;
}

export function parseHeadMetadata(text: string): HeadMetadata {
  const h = parseJson(text, HEAD_METADATA_KEY) as Partial<HeadMetadata> | null;
  if (!h || typeof h !== 'object') throw new TeachError('no-teachable-head', `metadata ${HEAD_METADATA_KEY} is not a JSON object`);
  if (typeof h.format !== 'number') throw new TeachError('no-teachable-head', `metadata ${HEAD_METADATA_KEY} has no format version`);
  if (h.format > HEAD_FORMAT) {
    throw new TeachError('no-teachable-head', `the taught head is in format ${h.format}, newer than this app reads (${HEAD_FORMAT}); update the app`);
  }
  for (const key of ['baseModel', 'embeddingTensor', 'headNode', 'centreInitializer', 'weightsInitializer', 'biasInitializer', 'method'] as const) {
    if (typeof h[key] !== 'string' || !h[key]) throw new TeachError('no-teachable-head', `metadata ${HEAD_METADATA_KEY} lacks "${key}"`);
  }
  if (!Number.isInteger(h.embeddingDim) || h.embeddingDim! < 1) throw new TeachError('no-teachable-head', `metadata ${HEAD_METADATA_KEY} lacks "embeddingDim"`);
  if (typeof h.unknownThreshold !== 'number') throw new TeachError('no-teachable-head', `metadata ${HEAD_METADATA_KEY} lacks "unknownThreshold"`);
  return h as HeadMetadata;
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TeachError('no-teachable-head', `metadata ${key} is not valid JSON (${(err as Error).message})`);
  }
}

// --- float16 storage of embeddings: half the bytes of float32, ~3 significant digits, enough to retrain ---

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a float32, rounding to nearest even; overflow becomes ±Infinity. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflow to ±0
    mant |= 0x800000; // subnormal: make the leading 1 explicit and shift it into place
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Base64 of the float16 little-endian bytes of the values (btoa: in browsers, workers and Node). */
export function encodeFloat16Base64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, toFloat16Bits(values[i]), true);
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function decodeFloat16Base64(text: string): Float32Array {
  const binary = atob(text);
  if (binary.length % 2) throw new TeachError('no-teachable-head', 'the stored examples have an odd number of bytes: not float16 data');
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const out = new Float32Array(binary.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = fromFloat16Bits(view.getUint16(i * 2, true));
  return out;
}
