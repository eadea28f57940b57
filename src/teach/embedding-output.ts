// Finds a classifier network's penultimate features (the input of its final classifier layer) and
// returns a copy of the model with them as an extra output, globally average-pooled where spatial,
// so that one onnxruntime run gives both the class scores and the embedding a taught head needs.
//
// The walk goes back from the first graph output through ops that only reshape, normalise or
// activate the scores (Softmax, Flatten, Reshape, Relu, GlobalAveragePool, a constant bias Add...)
// to the first Conv (a 1x1-conv classifier, as in SqueezeNet or MobileNetV2 from TFLite), Gemm or
// MatMul; that layer's data input is the feature tensor.
import { onnx } from '../model/generated/onnx-pb.js';
import { ModelError } from '../model/model-error.js';
import { node as makeNode, valueInfo } from '../model/onnx-write.js';
import { HEAD_METADATA_KEY, parseHeadMetadata } from './taught-metadata.js';

/** The graph output holding the embedding, [N, D]. */
export const EMBEDDING_OUTPUT = 'cnn_lens_embedding';
const POOL_OUTPUT = 'cnn_lens_embedding_pool';

/** Ops between the classifier layer and the graph output that do not mix in other features. */
const AFTER_CLASSIFIER = new Set(['Softmax', 'LogSoftmax', 'Flatten', 'Reshape', 'Squeeze', 'Identity', 'Dropout', 'Relu', 'Sigmoid', 'GlobalAveragePool', 'Add', 'Sub', 'Mul']);
/** Ops in front of the classifier whose output equals their input at inference time. */
const PASS_THROUGH = new Set(['Dropout', 'Identity']);
const CLASSIFIERS = new Set(['Conv', 'Gemm', 'MatMul']);
/** Ops that turn a stored weight initializer into the layer's weights without changing its shape. */
const WEIGHT_DECODERS = new Set(['DequantizeLinear', 'Cast', 'Identity']);

export interface EmbeddingInfo {
  /** The tensor the classifier reads (skipping inference-time no-ops such as Dropout). */
  featureTensor: string;
  /** True when the features are [N, C, H, W] and are globally average-pooled into the embedding. */
  spatial: boolean;
  /** Length of the embedding vector. */
  dim: number;
  classifierNode: string;
  classifierOp: string;
  /** The model's class-score output. */
  scoresOutput: string;
}

export interface EmbeddingModel {
  /** The model with EMBEDDING_OUTPUT appended to its outputs (all original outputs kept). */
  bytes: Uint8Array;
  info: EmbeddingInfo;
  /** Always EMBEDDING_OUTPUT. */
  embeddingOutput: string;
}

/** Locates the penultimate features of a decoded model without changing it. */
export function findEmbedding(model: onnx.IModelProto): EmbeddingInfo {
  const graph = model.graph;
  if (!graph || !graph.node?.length) throw new ModelError('invalid-model', 'the model has no graph nodes');
  const outputs = graph.output ?? [];
  if (outputs.length === 0) throw new ModelError('invalid-model', 'the model has no output');
  const scoresOutput = outputs[0].name ?? '';
  const nodes = graph.node;
  const producer = new Map<string, onnx.INodeProto>();
  for (const n of nodes) for (const o of n.output ?? []) if (o) producer.set(o, n);
  const constants = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', t);
  for (const n of nodes) {
    if (n.opType === 'Constant') {
      const value = n.attribute?.find((a) => a.name === 'value')?.t;
      if (value) constants.set(n.output?.[0] ?? '', value);
    }
  }
  const isConstant = (name: string): boolean => constants.has(name);

  const taught = model.metadataProps?.find((p) => p.key === HEAD_METADATA_KEY);
  if (taught?.value) {
    // A taught model keeps its embedding tensor by name: teaching more starts from the same features.
    const head = parseHeadMetadata(taught.value);
    if (!producer.has(head.embeddingTensor)) {
      throw new ModelError('invalid-model', `the taught model's embedding tensor "${head.embeddingTensor}" is not produced by any node`);
    }
    return { featureTensor: head.embeddingTensor, spatial: false, dim: head.embeddingDim, classifierNode: head.headNode, classifierOp: 'Gemm', scoresOutput };
  }

  const walked: string[] = [];
  let tensor = scoresOutput;
  for (let step = 0; step < 32; step++) {
    const n = producer.get(tensor);
    if (!n) break;
    const op = n.opType ?? '';
    walked.push(`${n.name || op} (${op})`);
    if (CLASSIFIERS.has(op)) return describeClassifier(n, constants, producer, scoresOutput);
    if (!AFTER_CLASSIFIER.has(op)) break;
    const inputs = (n.input ?? []).filter((i) => i && !isConstant(i));
    if (inputs.length !== 1) break; // e.g. an Add of two branches: not a classifier's tail
    tensor = inputs[0];
  }
  throw new ModelError(
    'invalid-model',
    `no final classifier (Conv, Gemm or MatMul) found walking back from output "${scoresOutput}"` +
      (walked.length ? ` through ${walked.join(' <- ')}` : '') +
      '; a model whose class scores come from such a layer is needed to teach new classes',
  );
}

function describeClassifier(
  n: onnx.INodeProto,
  constants: Map<string, onnx.ITensorProto>,
  producer: Map<string, onnx.INodeProto>,
  scoresOutput: string,
): EmbeddingInfo {
  const op = n.opType ?? '';
  const name = n.name || op;
  const [data, weightName] = n.input ?? [];
  let weight = constants.get(weightName ?? '');
  // 8-bit weights (e.g. MobileNetV2 converted from TFLite) reach the layer through DequantizeLinear.
  const dequantize = producer.get(weightName ?? '');
  if (!weight && dequantize && WEIGHT_DECODERS.has(dequantize.opType ?? '')) weight = constants.get(dequantize.input?.[0] ?? '');
  if (!weight || !weight.dims) {
    throw new ModelError('invalid-model', `the classifier "${name}" (${op}) has weights computed at run time; constant weights are needed to find its feature size`, name, op);
  }
  const dims = weight.dims.map(Number);
  const intAttr = (key: string, fallback: number): number => {
    const a = n.attribute?.find((x) => x.name === key);
    return a ? Number(a.i ?? fallback) : fallback;
  };
  let dim: number;
  if (op === 'Conv') dim = dims[1] * intAttr('group', 1);
  else if (op === 'Gemm') dim = intAttr('transB', 0) ? dims[1] : dims[0];
  else dim = dims[0];
  if (!(dim > 0) || (op === 'MatMul' && dims.length !== 2)) {
    throw new ModelError('invalid-model', `the classifier "${name}" (${op}) has weights of shape [${dims.join(', ')}]; cannot tell its feature size`, name, op);
  }
  let feature = data;
  for (let p = producer.get(feature); p && PASS_THROUGH.has(p.opType ?? ''); p = producer.get(feature)) feature = p.input?.[0] ?? feature;
  return { featureTensor: feature, spatial: op === 'Conv', dim, classifierNode: name, classifierOp: op, scoresOutput };
}

/** Nodes that turn the feature tensor into the [N, D] embedding (pooling when spatial). */
export function embeddingNodes(info: EmbeddingInfo, output = EMBEDDING_OUTPUT): onnx.INodeProto[] {
  if (info.spatial) {
    return [
      makeNode('GlobalAveragePool', 'cnn_lens/embedding_pool', [info.featureTensor], [POOL_OUTPUT]),
      makeNode('Flatten', 'cnn_lens/embedding', [POOL_OUTPUT], [output], { axis: 1 }),
    ];
  }
  return [makeNode('Flatten', 'cnn_lens/embedding', [info.featureTensor], [output], { axis: 1 })];
}

/** The model with the embedding as an extra output; a taught model just exposes its own embedding. */
export function withEmbeddingOutput(bytes: Uint8Array): EmbeddingModel {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError('not-onnx', `the file is not an ONNX model (${(err as Error).message})`);
  }
  const info = findEmbedding(model);
  const graph = model.graph as onnx.GraphProto;
  const hasOutput = (graph.output ?? []).some((o) => o.name === EMBEDDING_OUTPUT);
  const produced = (graph.node ?? []).some((n) => n.output?.includes(EMBEDDING_OUTPUT));
  if (!produced) graph.node = [...graph.node, ...(embeddingNodes(info) as onnx.NodeProto[])];
  if (!hasOutput) graph.output = [...graph.output, onnx.ValueInfoProto.fromObject(valueInfo(EMBEDDING_OUTPUT, ['N', info.dim]))];
  return { bytes: onnx.ModelProto.encode(model).finish(), info, embeddingOutput: EMBEDDING_OUTPUT };
}
