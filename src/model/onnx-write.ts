// Small builders for ONNX protobuf messages, shared by every model the project writes
// (SqueezeNet from the compressed weights, AlexNet, one-node op test models, all-outputs variants).
import { onnx } from './generated/onnx-pb.js';

export const OPSET = 13;
export const IR_VERSION = 7;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;

export type AttrValue = number | number[] | string | { ints: number[] } | { floats: number[] };

/** Integers are written as INT unless wrapped; floats need a fractional value or { floats } / float(). */
export interface FloatAttr { float: number }
export function float(f: number): FloatAttr {
  return { float: f };
}

export function attribute(name: string, value: AttrValue | FloatAttr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
  }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  return { name, type: T.FLOATS, floats: value.floats };
}

export function node(
  opType: string,
  name: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue | FloatAttr> = {},
): onnx.INodeProto {
  return {
    opType,
    name,
    input: inputs,
    output: outputs,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/** A float32 initializer stored as raw little-endian bytes (what ONNX tools write for large tensors). */
export function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== data.length) {
    throw new Error(`tensor ${name}: dims [${dims.join(',')}] need ${expected} values, got ${data.length}`);
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dims, dataType: FLOAT, rawData: littleEndian() ? bytes : swap32(bytes) };
}

export function int64Tensor(name: string, dims: number[], data: number[]): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: data };
}

/** Shape entries: a number is a fixed size, a string a named dynamic dimension (e.g. 'N'). */
export function valueInfo(name: string, shape: (number | string)[], elemType: number = FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelSpec {
  graphName: string;
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  docString?: string;
  metadata?: Record<string, string>;
  opset?: number;
}

export function modelProto(spec: ModelSpec): onnx.IModelProto {
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: spec.opset ?? OPSET }],
    producerName: 'cnn-lens',
    producerVersion: '0.1.0',
    docString: spec.docString,
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: spec.nodes,
      initializer: spec.initializers,
      input: spec.inputs,
      output: spec.outputs,
    },
  };
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}

function swap32(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    out[i] = bytes[i + 3]; out[i + 1] = bytes[i + 2]; out[i + 2] = bytes[i + 1]; out[i + 3] = bytes[i];
  }
  return out;
}
