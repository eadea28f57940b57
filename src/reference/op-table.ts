// The one table from ONNX op name to implementation. Everything that asks "is this op supported"
// (the reader, the custom-model validator, the summary) reads it from here.
import { ModelError } from '../model/model-error.js';
import type { ConstantTensor, Graph, GraphNode, Shape } from '../model/onnx-read.js';
import type { BoundOp, OpEntry } from './op.js';
import { Clip, LeakyRelu, Relu, Sigmoid } from './ops/activation.js';
import { Conv } from './ops/conv.js';
import { Add, Mul } from './ops/elementwise.js';
import { Concat, Dropout, Flatten, Identity, Reshape } from './ops/layout.js';
import { LpNormalization } from './ops/lp-normalization.js';
import { Gemm, MatMul } from './ops/matmul.js';
import { BatchNormalization, LRN } from './ops/normalization.js';
import { AveragePool, GlobalAveragePool, GlobalMaxPool, MaxPool } from './ops/pool.js';
import { Softmax } from './ops/softmax.js';

export const OP_TABLE: ReadonlyMap<string, OpEntry> = new Map<string, OpEntry>([
  ['Conv', Conv],
  ['Relu', Relu],
  ['LeakyRelu', LeakyRelu],
  ['Clip', Clip],
  ['Sigmoid', Sigmoid],
  ['LRN', LRN],
  ['MaxPool', MaxPool],
  ['AveragePool', AveragePool],
  ['GlobalAveragePool', GlobalAveragePool],
  ['GlobalMaxPool', GlobalMaxPool],
  ['BatchNormalization', BatchNormalization],
  ['LpNormalization', LpNormalization],
  ['Add', Add],
  ['Mul', Mul],
  ['Concat', Concat],
  ['Flatten', Flatten],
  ['Reshape', Reshape],
  ['Gemm', Gemm],
  ['MatMul', MatMul],
  ['Dropout', Dropout],
  ['Softmax', Softmax],
  ['Identity', Identity],
]);

/** Op types the reference engine runs (default ONNX domain). Constant nodes are folded by the reader. */
export const SUPPORTED_OPS: readonly string[] = [...OP_TABLE.keys()];

export interface UnsupportedNode {
  nodeName: string;
  opType: string;
  message: string;
}

/** Lists every node whose op the reference cannot run, in graph order; empty when all are supported. */
export function checkSupported(graph: Pick<Graph, 'nodes'>): UnsupportedNode[] {
  const problems: UnsupportedNode[] = [];
  for (const node of graph.nodes) {
    const foreignDomain = node.domain !== '' && node.domain !== 'ai.onnx';
    if (foreignDomain || !OP_TABLE.has(node.opType)) {
      const op = foreignDomain ? `${node.domain}.${node.opType}` : node.opType;
      // The reader folds DequantizeLinear of constants (8-bit weights); one left here reads a runtime tensor.
      const why = op === 'DequantizeLinear' ? ' (only DequantizeLinear of initializers, i.e. quantized weights, is supported)' : '';
      problems.push({ nodeName: node.name, opType: node.opType, message: `unsupported op ${op} at node "${node.name}"${why}` });
    }
  }
  return problems;
}

export interface BoundNode {
  op: BoundOp;
  /** Per input: the runtime tensor's shape, else the initializer's dims; [] for an absent optional input. */
  inputShapes: Shape[];
}

/**
 * Binds one node to its op: looks it up in the table and gives it its input shapes (runtime
 * tensors from `shapes`, initializers by their dims) and constants. Shape inference, the
 * interpreter and the summary all bind nodes through here. Errors that are not ModelErrors come
 * from the op's own checks (the caller adds the node's name).
 */
export function bindNode(node: GraphNode, graph: Pick<Graph, 'initializers' | 'opset'>, shapes: ReadonlyMap<string, Shape>): BoundNode {
  const entry = OP_TABLE.get(node.opType);
  if (!entry) throw new ModelError('unsupported-op', `unsupported op ${node.opType} at node "${node.name}"`, node.name, node.opType);
  const inputShapes: Shape[] = [];
  const constants: (ConstantTensor | undefined)[] = [];
  for (const name of node.inputs) {
    const c = name ? graph.initializers.get(name) : undefined;
    const s = name ? (shapes.get(name) ?? c?.dims) : [];
    if (s === undefined) {
      throw new ModelError('invalid-model', `node "${node.name}" reads "${name}", which no input, initializer or node provides`, node.name, node.opType);
    }
    inputShapes.push(s);
    constants.push(c);
  }
  return { op: entry.bind({ node, inputShapes, constants, opset: graph.opset }), inputShapes };
}
