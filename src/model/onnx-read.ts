// ONNX bytes -> a small typed graph: nodes in topological order, attributes as plain values,
// initializers as typed arrays (DequantizeLinear of 8-bit weight initializers folded into float
// ones, like Constant nodes). Pure format decoding: which ops are supported and the shape of
// every tensor need the op table, so they live in src/reference/load-graph.ts (readOnnx).
import { onnx } from './generated/onnx-pb.js';
import { ModelError } from './model-error.js';
import { dequantize } from './quantization.js';

export { ModelError } from './model-error.js';
export type { ModelErrorKind } from './model-error.js';

export type Shape = number[];

export type ConstantTensor =
  | { name: string; dims: Shape; kind: 'float'; data: Float32Array }
  | { name: string; dims: Shape; kind: 'int'; data: number[] };

export type AttributeValue = number | number[] | string | string[] | ConstantTensor;

export interface GraphNode {
  name: string;
  opType: string;
  domain: string;
  /** '' marks an optional input that is absent. */
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttributeValue>;
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** A number is fixed, a string a named dynamic dimension, null unknown; null for no shape at all. */
  dims: (number | string | null)[] | null;
}

export interface Graph {
  name: string;
  /** Version of the default ('' / ai.onnx) opset; op semantics change with it (Clip, Softmax). */
  opset: number;
  nodes: GraphNode[];
  initializers: Map<string, ConstantTensor>;
  /** Runtime inputs only (initializers some exporters also list as inputs are left out). */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  metadata: Record<string, string>;
}

export interface ShapedGraph extends Graph {
  /** Shape of every runtime tensor: inputs and every node output. */
  shapes: Map<string, Shape>;
}

export interface ReadOptions {
  /** Sizes for named dynamic dimensions (e.g. { N: 1, H: 224 }). A leading dynamic dimension defaults to 1. */
  dims?: Record<string, number>;
}

/** Decodes bytes into a Graph without checking ops or shapes (the validator's first step). */
export function decodeOnnx(bytes: Uint8Array): Graph {
  let model: onnx.ModelProto;
  try {
    // In Node a Buffer makes protobufjs return raw_data as views instead of copies.
    const input = typeof Buffer !== 'undefined' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
    model = onnx.ModelProto.decode(input);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // protobufjs reports reading past the end as "index out of range"; anything else is not protobuf.
    if (/index out of range/i.test(msg)) {
      throw new ModelError('truncated', `the ONNX file is truncated (${bytes.length} bytes read; ${msg})`);
    }
    throw new ModelError('not-onnx', `the file is not an ONNX model (${msg})`);
  }
  // Decoded messages are class instances whose repeated fields default to [] and scalars to ''/0.
  const g = model.graph as onnx.GraphProto | null;
  if (!g || (g.node.length === 0 && g.input.length === 0) || model.irVersion === 0) {
    throw new ModelError('not-onnx', 'the file is not an ONNX model (no graph or IR version found)');
  }
  const opsetEntry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? Number(opsetEntry.version) : 1;

  const initializers = new Map<string, ConstantTensor>();
  for (const t of g.initializer as onnx.TensorProto[]) initializers.set(t.name, decodeTensor(t));

  const rawNodes: GraphNode[] = [];
  (g.node as onnx.NodeProto[]).forEach((n, i) => {
    const node: GraphNode = {
      name: n.name || `${n.opType}_${i}`,
      opType: n.opType,
      domain: n.domain ?? '',
      inputs: [...n.input],
      outputs: [...n.output],
      attributes: new Map((n.attribute as onnx.AttributeProto[]).map((a) => [a.name, decodeAttribute(a)])),
    };
    // Constant nodes are folded into initializers: they hold data, not computation.
    if (node.opType === 'Constant' && (!node.domain || node.domain === 'ai.onnx')) {
      const value = node.attributes.get('value');
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        throw new ModelError('unsupported-op', `Constant node "${node.name}" has no tensor "value" attribute`, node.name, 'Constant');
      }
      initializers.set(node.outputs[0], { ...value, name: node.outputs[0] });
      return;
    }
    rawNodes.push(node);
  });

  const computed = foldDequantize(rawNodes, initializers);
  const inputs = (g.input as onnx.ValueInfoProto[]).filter((v) => !initializers.has(v.name)).map(decodeValueInfo);
  const outputs = (g.output as onnx.ValueInfoProto[]).map(decodeValueInfo);
  const metadata = Object.fromEntries((model.metadataProps as onnx.StringStringEntryProto[]).map((p) => [p.key, p.value]));
  const nodes = topologicalOrder(computed, new Set([...inputs.map((v) => v.name), ...initializers.keys()]));
  return { name: g.name, opset, nodes, initializers, inputs, outputs, metadata };
}

/**
 * DequantizeLinear nodes whose inputs are all initializers (8-bit weights stored to keep a file
 * small) are folded into float initializers, like Constant nodes: they hold data, not computation,
 * and the ops that read weights (Conv, Gemm) then see them as constants. Returns the other nodes.
 */
function foldDequantize(nodes: GraphNode[], initializers: Map<string, ConstantTensor>): GraphNode[] {
  return nodes.filter((node) => {
    if (node.opType !== 'DequantizeLinear' || (node.domain && node.domain !== 'ai.onnx')) return true;
    const [x, scale, zeroPoint] = node.inputs.map((n) => (n ? initializers.get(n) : undefined));
    if (!x || !scale || (node.inputs[2] && !zeroPoint)) return true;
    const axis = node.attributes.get('axis');
    try {
      const data = dequantize(x.data, x.dims, scale.data, zeroPoint ? zeroPoint.data : null, typeof axis === 'number' ? axis : 1);
      initializers.set(node.outputs[0], { name: node.outputs[0], dims: x.dims, kind: 'float', data });
    } catch (err) {
      throw new ModelError('invalid-model', `node "${node.name}" (DequantizeLinear): ${(err as Error).message}`, node.name, node.opType);
    }
    return false;
  });
}

function topologicalOrder(nodes: GraphNode[], available: Set<string>): GraphNode[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const state = new Uint8Array(nodes.length); // 0 new, 1 visiting, 2 done
  const order: GraphNode[] = [];
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) throw new ModelError('invalid-model', `the graph has a cycle through node "${nodes[i].name}"`);
    state[i] = 1;
    for (const name of nodes[i].inputs) {
      if (!name || available.has(name)) continue;
      const p = producer.get(name);
      if (p === undefined) {
        throw new ModelError('invalid-model', `node "${nodes[i].name}" reads "${name}", which no input, initializer or node provides`, nodes[i].name, nodes[i].opType);
      }
      visit(p);
    }
    state[i] = 2;
    order.push(nodes[i]);
  };
  // Iterating in file order keeps an already-sorted graph in its original order.
  for (let i = 0; i < nodes.length; i++) visit(i);
  return order;
}

function decodeValueInfo(v: onnx.IValueInfoProto): ValueInfo {
  const t = v.type?.tensorType;
  const dims = t?.shape ? (t.shape.dim ?? []).map((d) => (d.dimValue ? Number(d.dimValue) : d.dimParam ? d.dimParam : null)) : null;
  return { name: v.name ?? '', elemType: t?.elemType ?? 0, dims };
}

function decodeAttribute(a: onnx.IAttributeProto): AttributeValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT:
      return a.f ?? 0;
    case T.INT:
      return Number(a.i ?? 0);
    case T.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.FLOATS:
      return [...(a.floats ?? [])];
    case T.INTS:
      return (a.ints ?? []).map(Number);
    case T.STRINGS:
      return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case T.TENSOR:
      if (a.t) return decodeTensor(a.t);
      break;
    default:
      break;
  }
  // Old files omit the type field: infer it from whichever value is set.
  if (a.ints && a.ints.length) return a.ints.map(Number);
  if (a.floats && a.floats.length) return [...a.floats];
  if (a.t) return decodeTensor(a.t);
  if (a.s && a.s.length) return new TextDecoder().decode(a.s);
  if (a.i) return Number(a.i);
  return a.f ?? 0;
}

function decodeTensor(t: onnx.ITensorProto): ConstantTensor {
  const D = onnx.TensorProto.DataType;
  const name = t.name ?? '';
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new ModelError('invalid-model', `initializer "${name}" uses external data, which a single .onnx file cannot carry`);
  }
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  const need = (bytesPer: number): DataView => {
    if (!view || view.byteLength < count * bytesPer) {
      throw new ModelError('truncated', `initializer "${name}" holds ${view?.byteLength ?? 0} bytes, needs ${count * bytesPer}`);
    }
    return view;
  };
  let result: ConstantTensor;
  switch (t.dataType) {
    case D.FLOAT: {
      let data: Float32Array;
      if (view) {
        need(4);
        // Copying the bytes gives an aligned buffer (in Node, raw may be a view into a pooled
        // Buffer); ONNX raw data is little-endian, like every host we run on.
        const bytes = new Uint8Array(count * 4);
        bytes.set(raw!.subarray(0, count * 4));
        data = new Float32Array(bytes.buffer);
      } else data = Float32Array.from(t.floatData ?? []);
      result = { name, dims, kind: 'float', data };
      break;
    }
    case D.DOUBLE: {
      const data = view ? Float32Array.from({ length: count }, (_, i) => need(8).getFloat64(i * 8, true)) : Float32Array.from(t.doubleData ?? []);
      result = { name, dims, kind: 'float', data };
      break;
    }
    case D.INT64: {
      const data = view ? Array.from({ length: count }, (_, i) => Number(need(8).getBigInt64(i * 8, true))) : (t.int64Data ?? []).map(Number);
      result = { name, dims, kind: 'int', data };
      break;
    }
    case D.INT32:
    case D.INT16:
    case D.INT8:
    case D.UINT8:
    case D.UINT16:
    case D.BOOL: {
      const size = t.dataType === D.INT32 ? 4 : t.dataType === D.INT16 || t.dataType === D.UINT16 ? 2 : 1;
      const read = (v: DataView, i: number): number =>
        size === 4 ? v.getInt32(i * 4, true) : size === 2 ? (t.dataType === D.INT16 ? v.getInt16(i * 2, true) : v.getUint16(i * 2, true)) : t.dataType === D.INT8 ? v.getInt8(i) : v.getUint8(i);
      // Bytes copy straight across (8-bit weights are millions of values).
      const data =
        view && t.dataType === D.UINT8
          ? Array.from(raw!.subarray(0, need(1) && count))
          : view
            ? Array.from({ length: count }, (_, i) => read(need(size), i))
            : (t.int32Data ?? []).map(Number);
      result = { name, dims, kind: 'int', data };
      break;
    }
    default: {
      const typeName = D[t.dataType ?? 0] ?? String(t.dataType);
      throw new ModelError('invalid-model', `initializer "${name}" has element type ${typeName}, which the reference engine does not read`);
    }
  }
  if (result.data.length !== count) {
    throw new ModelError('truncated', `initializer "${name}" has ${result.data.length} values for dims [${dims.join(', ')}] (${count})`);
  }
  return result;
}
