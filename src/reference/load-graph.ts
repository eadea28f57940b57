// Graph -> ShapedGraph: the supported-op check and shape inference, both driven by the op table.
// The reference engine, the summary and the custom-model validator all start from this graph.
import { decodeOnnx, type Graph, type ReadOptions, type Shape, type ShapedGraph, type ValueInfo } from '../model/onnx-read.js';
import { ModelError } from '../model/model-error.js';
import { onnx } from '../model/generated/onnx-pb.js';
import { bindNode, checkSupported } from './op-table.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** decodeOnnx + the supported-op check + shape inference: what the reference engine and summary need. */
export function readOnnx(bytes: Uint8Array, options: ReadOptions = {}): ShapedGraph {
  const graph = decodeOnnx(bytes);
  const unsupported = checkSupported(graph);
  if (unsupported.length > 0) {
    const u = unsupported[0];
    throw new ModelError('unsupported-op', u.message, u.nodeName, u.opType);
  }
  return inferShapes(graph, options);
}

/** Resolves input shapes and runs every op's shape function in graph order. */
export function inferShapes(graph: Graph, options: ReadOptions = {}): ShapedGraph {
  const shapes = new Map<string, Shape>();
  if (graph.inputs.length === 0) throw new ModelError('invalid-model', 'the model has no runtime input');
  for (const input of graph.inputs) {
    if (input.elemType !== FLOAT) {
      const typeName = onnx.TensorProto.DataType[input.elemType] ?? String(input.elemType);
      throw new ModelError('non-float-input', `input "${input.name}" has element type ${typeName}; only float32 inputs are supported`);
    }
    shapes.set(input.name, resolveInputShape(input, options));
  }
  for (const node of graph.nodes) {
    let outShapes: Shape[];
    try {
      outShapes = bindNode(node, graph, shapes).op.outputShapes;
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError('invalid-model', `node "${node.name}" (${node.opType}): ${(err as Error).message}`, node.name, node.opType);
    }
    node.outputs.forEach((o, i) => {
      if (o && outShapes[i]) shapes.set(o, outShapes[i]);
    });
  }
  for (const out of graph.outputs) {
    if (!shapes.has(out.name) && !graph.initializers.has(out.name)) {
      throw new ModelError('invalid-model', `graph output "${out.name}" is not produced by any node`);
    }
  }
  return { ...graph, shapes };
}

function resolveInputShape(input: ValueInfo, options: ReadOptions): Shape {
  if (!input.dims) throw new ModelError('dynamic-dimension', `input "${input.name}" has no shape; give it one in the model`);
  return input.dims.map((d, axis) => {
    if (typeof d === 'number' && d > 0) return d;
    if (typeof d === 'string' && options.dims?.[d] !== undefined) return options.dims[d];
    // A leading dynamic dimension is the batch: the engine runs one image at a time.
    if (axis === 0) return 1;
    throw new ModelError(
      'dynamic-dimension',
      `input "${input.name}" has dynamic dimension ${axis} (${d === null ? 'unknown' : `"${d}"`}) that cannot be resolved; pass its size in options.dims`,
    );
  });
}
