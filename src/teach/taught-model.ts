// The taught model as one ONNX file: the base network up to its embedding, then the head as
// ordinary layers (Add of -centre, LpNormalization, Gemm, Softmax) whose output is the taught
// classes' probabilities. Class names, preprocessing and the head (with the examples' embeddings,
// as float16) travel in metadata_props, so any onnxruntime runs the file unchanged and this app
// can read it back for more teaching.
import type { PreprocessSpec } from '../model/manifest.js';
import { onnx } from '../model/generated/onnx-pb.js';
import { decodeOnnx, type ConstantTensor } from '../model/onnx-read.js';
import { floatTensor, node, valueInfo } from '../model/onnx-write.js';
import type { TeachClass } from './classes.js';
import { validateClasses, validateClassNames } from './classes.js';
import { EMBEDDING_OUTPUT, embeddingNodes, findEmbedding } from './embedding-output.js';
import {
  decodeFloat16Base64,
  encodeFloat16Base64,
  HEAD_FORMAT,
  HEAD_METADATA_KEY,
  LABELS_METADATA_KEY,
  PREPROCESSING_METADATA_KEY,
  readCnnLensMetadata,
  type HeadMetadata,
} from './taught-metadata.js';
import { TeachError } from './teach-error.js';
import type { TrainedHead } from './train-head.js';

export const TAUGHT_OUTPUT = 'taught_probabilities';
/** Every node and initializer of the head carries this prefix (a re-taught model drops the old ones). */
const HEAD_PREFIX = 'cnn_lens/head/';
const CENTRE = `${HEAD_PREFIX}minus_centre`;
const WEIGHTS = `${HEAD_PREFIX}weights`;
const BIAS = `${HEAD_PREFIX}bias`;
const GEMM = `${HEAD_PREFIX}gemm`;

export interface TaughtModelSpec {
  /** The base model's bytes (a model with a classifier, or an earlier taught model). */
  base: Uint8Array;
  baseModelId: string;
  preprocess: PreprocessSpec;
  head: TrainedHead;
  /** The examples behind the head; stored so that Import can go on teaching. */
  examples?: readonly TeachClass[];
}

/** Builds the taught ONNX file. Nodes the taught output does not need (the old classifier) are dropped. */
export function buildTaughtModel(spec: TaughtModelSpec): Uint8Array {
  const { head } = spec;
  const k = head.classes.length;
  if (spec.examples) {
    validateClasses(spec.examples, 'export');
    const names = spec.examples.map((c) => c.name.trim());
    if (names.join('\n') !== head.classes.join('\n')) throw new TeachError('no-examples', 'the examples do not belong to this head (class names differ): train again before exporting');
  } else {
    validateClassNames(head.classes, 'export');
  }
  const model = onnx.ModelProto.decode(spec.base);
  const info = findEmbedding(model);
  if (info.dim !== head.dim) {
    throw new TeachError('embedding-size', `the head was trained on ${head.dim}-long embeddings but this base model gives ${info.dim}: train again on this model`);
  }
  const graph = model.graph!;
  const nodes = (graph.node as onnx.INodeProto[]).filter((n) => !(n.name ?? '').startsWith(HEAD_PREFIX));
  if (!nodes.some((n) => n.output?.includes(EMBEDDING_OUTPUT))) nodes.push(...embeddingNodes(info));
  const negCentre = Float32Array.from(head.centre, (v) => -v);
  nodes.push(
    node('Add', `${HEAD_PREFIX}centre`, [EMBEDDING_OUTPUT, CENTRE], [`${HEAD_PREFIX}centred`]),
    node('LpNormalization', `${HEAD_PREFIX}l2norm`, [`${HEAD_PREFIX}centred`], [`${HEAD_PREFIX}normalised`], { axis: 1, p: 2 }),
    node('Gemm', GEMM, [`${HEAD_PREFIX}normalised`, WEIGHTS, BIAS], [`${HEAD_PREFIX}logits`], { transB: 1 }),
    node('Softmax', `${HEAD_PREFIX}softmax`, [`${HEAD_PREFIX}logits`], [TAUGHT_OUTPUT], { axis: 1 }),
  );
  const initializers = (graph.initializer as onnx.ITensorProto[]).filter((t) => !(t.name ?? '').startsWith(HEAD_PREFIX));
  initializers.push(floatTensor(CENTRE, [head.dim], negCentre), floatTensor(WEIGHTS, [k, head.dim], head.weights), floatTensor(BIAS, [k], head.bias));

  const kept = liveNodes(nodes, TAUGHT_OUTPUT);
  const used = new Set(kept.flatMap((n) => n.input ?? []));
  const dropped = new Set((graph.initializer as onnx.ITensorProto[]).map((t) => t.name ?? '').filter((name) => !used.has(name)));
  const headMeta: HeadMetadata = {
    format: HEAD_FORMAT,
    baseModel: spec.baseModelId,
    embeddingTensor: EMBEDDING_OUTPUT,
    embeddingDim: head.dim,
    headNode: GEMM,
    centreInitializer: CENTRE,
    weightsInitializer: WEIGHTS,
    biasInitializer: BIAS,
    method: head.method,
    unknownThreshold: head.unknownThreshold,
    examples: spec.examples ? storeExamples(spec.examples) : undefined,
  };
  const metadata = (model.metadataProps as onnx.IStringStringEntryProto[]).filter((p) => !(p.key ?? '').startsWith('cnn_lens.'));
  metadata.push(
    { key: LABELS_METADATA_KEY, value: JSON.stringify(head.classes) },
    { key: PREPROCESSING_METADATA_KEY, value: JSON.stringify(spec.preprocess) },
    { key: HEAD_METADATA_KEY, value: JSON.stringify(headMeta) },
  );
  const out: onnx.IModelProto = {
    ...model,
    metadataProps: metadata,
    docString: `${model.docString ? `${model.docString}\n` : ''}Taught with CNN Lens: ${k} classes (${head.classes.join(', ')}) on the ${EMBEDDING_OUTPUT} features.`,
    graph: {
      ...graph,
      node: kept,
      initializer: initializers.filter((t) => used.has(t.name ?? '')),
      // Older exporters also list initializers as graph inputs: a dropped one must not become a runtime input.
      input: (graph.input as onnx.IValueInfoProto[]).filter((v) => !dropped.has(v.name ?? '')),
      output: [valueInfo(TAUGHT_OUTPUT, ['N', k])],
      valueInfo: [],
    },
  };
  return onnx.ModelProto.encode(out).finish();
}

/** The nodes the output depends on, in their original order. */
function liveNodes(nodes: onnx.INodeProto[], output: string): onnx.INodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.output?.forEach((o) => o && producer.set(o, i)));
  const live = new Set<number>();
  const stack = [output];
  while (stack.length) {
    const p = producer.get(stack.pop()!);
    if (p === undefined || live.has(p)) continue;
    live.add(p);
    for (const i of nodes[p].input ?? []) if (i) stack.push(i);
  }
  return nodes.filter((_, i) => live.has(i));
}

function storeExamples(classes: readonly TeachClass[]): HeadMetadata['examples'] {
  const dim = classes[0].embeddings[0].length;
  const all = new Float32Array(classes.reduce((n, c) => n + c.embeddings.length, 0) * dim);
  let o = 0;
  for (const c of classes) for (const e of c.embeddings) all.set(e, (o++) * dim);
  return { encoding: 'float16-base64', counts: classes.map((c) => c.embeddings.length), data: encodeFloat16Base64(all) };
}

export interface TaughtModel {
  classes: string[];
  preprocess?: PreprocessSpec;
  head: TrainedHead;
  metadata: HeadMetadata;
  /** The stored examples' embeddings per class (float16 precision), or null when none were stored. */
  examples: TeachClass[] | null;
  inputName: string;
  outputName: string;
}

const NO_HEAD =
  'this ONNX model has no taught head (no cnn_lens.head metadata): only files exported from Teach can be imported to go on teaching; open it as a model instead';

/** Reads a taught model back; refuses any ONNX file without a head this app wrote. */
export function readTaughtModel(bytes: Uint8Array): TaughtModel {
  const graph = decodeOnnx(bytes);
  const meta = readCnnLensMetadata(graph.metadata);
  if (!meta.head) throw new TeachError('no-teachable-head', NO_HEAD);
  const h = meta.head;
  const bad = (why: string): never => {
    throw new TeachError('no-teachable-head', `the taught head in this file is damaged: ${why}`);
  };
  const gemm = graph.nodes.find((n) => n.name === h.headNode);
  if (!gemm || gemm.opType !== 'Gemm') bad(`its Gemm node "${h.headNode}" is missing`);
  const floats = (name: string, count: number): Float32Array => {
    const t: ConstantTensor | undefined = graph.initializers.get(name);
    if (!t || t.kind !== 'float' || t.data.length !== count) return bad(`initializer "${name}" is missing or has the wrong size`);
    return t.data;
  };
  const labels = meta.labels ?? bad(`metadata ${LABELS_METADATA_KEY} is missing`);
  const k = labels.length;
  const dim = h.embeddingDim;
  const head: TrainedHead = {
    method: h.method,
    classes: labels,
    dim,
    centre: Float32Array.from(floats(h.centreInitializer, dim), (v) => -v),
    weights: floats(h.weightsInitializer, k * dim),
    bias: floats(h.biasInitializer, k),
    unknownThreshold: h.unknownThreshold,
    iterations: 0,
    loss: NaN,
  };
  let examples: TeachClass[] | null = null;
  if (h.examples) {
    const { counts, data } = h.examples;
    const all = decodeFloat16Base64(data);
    if (counts.length !== k || counts.reduce((a, b) => a + b, 0) * dim !== all.length) bad('the stored examples do not match the classes');
    let o = 0;
    examples = labels.map((name, c) => ({
      name,
      embeddings: Array.from({ length: counts[c] }, () => all.slice((o++) * dim, o * dim)),
    }));
  }
  return {
    classes: labels,
    preprocess: meta.preprocess,
    head,
    metadata: h,
    examples,
    inputName: graph.inputs[0]?.name ?? '',
    outputName: graph.outputs[0]?.name ?? '',
  };
}
