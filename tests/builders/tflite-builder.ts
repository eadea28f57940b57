// Writes small TensorFlow Lite FlatBuffers for the converter's tests, with the `flatbuffers`
// Builder and the same schema slots the reader uses (see src/model/tflite/read-tflite.ts).
import { Builder } from 'flatbuffers';

export interface TensorSpec {
  name?: string;
  shape: number[];
  /** TensorType: 0 FLOAT32, 2 INT32, 3 UINT8, 9 INT8, ... */
  type: number;
  data?: Uint8Array;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export interface OpSpec {
  opcode: number;
  custom?: string;
  inputs: number[];
  outputs: number[];
  /** BuiltinOptions union type and its fields, in schema slot order (see writeOptions). */
  options?: { type: number; fields: Record<string, number> };
}

export interface ModelSpec {
  tensors: TensorSpec[];
  operators: OpSpec[];
  inputs: number[];
  outputs: number[];
}

const slot = (b: Builder, n: number, kind: 'int8' | 'int32' | 'float32' | 'offset', value: number): void => {
  if (kind === 'int8') b.addFieldInt8(n, value, 0x7fffffff);
  else if (kind === 'int32') b.addFieldInt32(n, value, 0x7fffffff);
  else if (kind === 'float32') b.addFieldFloat32(n, value, NaN);
  else b.addFieldOffset(n, value, 0);
};

function int32Vector(b: Builder, values: number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function tableVector(b: Builder, offsets: number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** Option fields by union type, as [name, kind] in slot order. */
const OPTION_FIELDS: Record<number, [string, 'int8' | 'int32' | 'float32'][]> = {
  1: [['padding', 'int8'], ['strideW', 'int32'], ['strideH', 'int32'], ['fused', 'int8'], ['dilationW', 'int32'], ['dilationH', 'int32']],
  2: [['padding', 'int8'], ['strideW', 'int32'], ['strideH', 'int32'], ['depthMultiplier', 'int32'], ['fused', 'int8'], ['dilationW', 'int32'], ['dilationH', 'int32']],
  5: [['padding', 'int8'], ['strideW', 'int32'], ['strideH', 'int32'], ['filterW', 'int32'], ['filterH', 'int32'], ['fused', 'int8']],
  9: [['beta', 'float32']],
  11: [['fused', 'int8']],
};

function writeOptions(b: Builder, type: number, fields: Record<string, number>): number {
  const layout = OPTION_FIELDS[type] ?? [];
  b.startObject(layout.length);
  layout.forEach(([name, kind], i) => {
    if (fields[name] !== undefined) slot(b, i, kind, fields[name]);
  });
  return b.endObject();
}

export function buildTflite(spec: ModelSpec): Uint8Array {
  const b = new Builder(1024);
  // Buffers: 0 is the empty sentinel, then one per constant tensor.
  const bufferOf: number[] = [];
  const buffers: number[] = [];
  b.startObject(1);
  buffers.push(b.endObject());
  for (const t of spec.tensors) {
    if (!t.data) {
      bufferOf.push(0);
      continue;
    }
    b.startVector(1, t.data.length, 16);
    for (let i = t.data.length - 1; i >= 0; i--) b.addInt8(t.data[i]);
    const data = b.endVector();
    b.startObject(1);
    b.addFieldOffset(0, data, 0);
    bufferOf.push(buffers.length);
    buffers.push(b.endObject());
  }
  const tensors = spec.tensors.map((t, i) => {
    const name = b.createString(t.name ?? `t${i}`);
    const shape = int32Vector(b, t.shape);
    let quant = 0;
    if (t.scale) {
      b.startVector(4, t.scale.length, 4);
      for (let k = t.scale.length - 1; k >= 0; k--) b.addFloat32(t.scale[k]);
      const scale = b.endVector();
      const zps = t.zeroPoint ?? t.scale.map(() => 0);
      b.startVector(8, zps.length, 8);
      for (let k = zps.length - 1; k >= 0; k--) b.addInt64(BigInt(zps[k]));
      const zp = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zp, 0);
      b.addFieldInt32(6, t.quantizedDimension ?? 0, 0);
      quant = b.endObject();
    }
    b.startObject(5);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, -1);
    b.addFieldInt32(2, bufferOf[i], -1);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });
  const codes: { opcode: number; custom?: string }[] = [];
  const codeIndex = (op: OpSpec): number => {
    let i = codes.findIndex((c) => c.opcode === op.opcode && c.custom === op.custom);
    if (i < 0) i = codes.push({ opcode: op.opcode, custom: op.custom }) - 1;
    return i;
  };
  const operators = spec.operators.map((op) => {
    const inputs = int32Vector(b, op.inputs);
    const outputs = int32Vector(b, op.outputs);
    const options = op.options ? writeOptions(b, op.options.type, op.options.fields) : 0;
    const index = codeIndex(op);
    b.startObject(5);
    b.addFieldInt32(0, index, -1);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (op.options) {
      b.addFieldInt8(3, op.options.type, -1);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });
  const operatorCodes = codes.map((c) => {
    const custom = c.custom !== undefined ? b.createString(c.custom) : 0;
    b.startObject(4);
    b.addFieldInt8(0, Math.min(c.opcode, 127), -1);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, 1, -1);
    b.addFieldInt32(3, c.opcode, -1);
    return b.endObject();
  });
  const tensorVec = tableVector(b, tensors);
  const inputs = int32Vector(b, spec.inputs);
  const outputs = int32Vector(b, spec.outputs);
  const opVec = tableVector(b, operators);
  b.startObject(4);
  b.addFieldOffset(0, tensorVec, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, opVec, 0);
  const subgraph = b.endObject();
  const codesVec = tableVector(b, operatorCodes);
  const subgraphs = tableVector(b, [subgraph]);
  const bufferVec = tableVector(b, buffers);
  b.startObject(5);
  b.addFieldInt32(0, 3, -1);
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, bufferVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}
