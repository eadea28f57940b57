// Reads the parts of a TensorFlow Lite FlatBuffer that a CNN classifier needs into plain objects,
// with the `flatbuffers` runtime doing the byte-level work (vtables, offsets, vectors).
//
// Hand-written instead of flatc-generated: we need 12 of the schema's ~200 tables, and Debian's
// flatc rejects the pinned schema (see ../shared/.../SOURCE.md). Field slots follow schema.fbs of
// tensorflow/tflite-micro @ 90b983c2: a table's n-th field (a union counts twice: its type, then
// its value) sits at vtable offset 4 + 2n. Fields we do not convert are still read when their
// presence changes the meaning (sparsity, quantization details, custom options), so that the
// converter can refuse them instead of mis-reading the model.
import { ByteBuffer } from 'flatbuffers';

export class TfliteError extends Error {}

export interface TfliteQuantization {
  scale: Float32Array;
  zeroPoint: number[];
  quantizedDimension: number;
  /** A QuantizationDetails union member is present (custom / blockwise / multi-axis schemes). */
  hasDetails: boolean;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** TensorType enum value; see TENSOR_TYPE_NAMES. */
  type: number;
  /** The tensor's constant bytes, or null for a runtime tensor. */
  data: Uint8Array | null;
  quantization: TfliteQuantization | null;
  isVariable: boolean;
  hasSparsity: boolean;
}

/** The builtin options of the operators we convert; other option tables are reported by union type only. */
export interface TfliteOptions {
  /** BuiltinOptions union type (0 = none). */
  type: number;
  padding?: number;
  strideW?: number;
  strideH?: number;
  dilationW?: number;
  dilationH?: number;
  depthMultiplier?: number;
  filterW?: number;
  filterH?: number;
  fusedActivation?: number;
  quantizedBiasType?: number;
  newShape?: number[];
  beta?: number;
}

export interface TfliteOperator {
  index: number;
  /** Builtin operator code (the larger of deprecated_builtin_code and builtin_code). */
  opcode: number;
  /** Set for custom operators. */
  customCode: string | null;
  inputs: number[];
  outputs: number[];
  options: TfliteOptions;
  hasCustomOptions: boolean;
  /** builtin_options_2 (newer operators' options) is present. */
  hasOptions2: boolean;
  intermediates: number[];
}

export interface TfliteModel {
  version: number;
  description: string;
  subgraphCount: number;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export const TENSOR_TYPE = { FLOAT32: 0, INT32: 2, UINT8: 3, INT64: 4, INT8: 9 } as const;
export const TENSOR_TYPE_NAMES = [
  'FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'COMPLEX64', 'INT8', 'FLOAT64',
  'COMPLEX128', 'UINT64', 'RESOURCE', 'VARIANT', 'UINT32', 'UINT16', 'INT4', 'BFLOAT16', 'INT2', 'UINT4', 'FLOAT8_E4M3FN',
];

/** BuiltinOptions union members we read (their index in the union, NONE = 0). */
export const OPTIONS = { Conv2D: 1, DepthwiseConv2D: 2, Pool2D: 5, Softmax: 9, Add: 11, Reshape: 17 } as const;

/** vtable offset of a table's n-th field. */
const slot = (n: number): number => 4 + 2 * n;

class Table {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  private field(n: number): number {
    return this.bb.__offset(this.pos, slot(n));
  }
  has(n: number): boolean {
    return this.field(n) !== 0;
  }
  int8(n: number, fallback = 0): number {
    const o = this.field(n);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }
  uint8(n: number, fallback = 0): number {
    const o = this.field(n);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }
  int32(n: number, fallback = 0): number {
    const o = this.field(n);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }
  uint32(n: number, fallback = 0): number {
    const o = this.field(n);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }
  uint64(n: number): bigint {
    const o = this.field(n);
    return o ? this.bb.readUint64(this.pos + o) : 0n;
  }
  float32(n: number, fallback = 0): number {
    const o = this.field(n);
    return o ? this.bb.readFloat32(this.pos + o) : fallback;
  }
  string(n: number): string | null {
    const o = this.field(n);
    return o ? (this.bb.__string(this.pos + o) as string) : null;
  }
  table(n: number): Table | null {
    const o = this.field(n);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }
  /** The start (absolute byte position) and length of a vector field, or null when absent. */
  vector(n: number): { start: number; length: number } | null {
    const o = this.field(n);
    return o ? { start: this.bb.__vector(this.pos + o), length: this.bb.__vector_len(this.pos + o) } : null;
  }
  tables(n: number): Table[] {
    const v = this.vector(n);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => new Table(this.bb, this.bb.__indirect(v.start + 4 * i)));
  }
  int32s(n: number): number[] {
    const v = this.vector(n);
    return v ? Array.from({ length: v.length }, (_, i) => this.bb.readInt32(v.start + 4 * i)) : [];
  }
  float32s(n: number): Float32Array {
    const v = this.vector(n);
    return v ? Float32Array.from({ length: v.length }, (_, i) => this.bb.readFloat32(v.start + 4 * i)) : new Float32Array(0);
  }
  int64s(n: number): number[] {
    const v = this.vector(n);
    return v ? Array.from({ length: v.length }, (_, i) => Number(this.bb.readInt64(v.start + 8 * i))) : [];
  }
  bytes(n: number): Uint8Array | null {
    const v = this.vector(n);
    return v ? this.bb.bytes().subarray(v.start, v.start + v.length) : null;
  }
}

/** Decodes a .tflite file's first subgraph. Throws TfliteError for anything that is not a readable TFLite model. */
export function readTflite(bytes: Uint8Array): TfliteModel {
  if (bytes.length < 8) throw new TfliteError(`the file is ${bytes.length} bytes, too short for a TensorFlow Lite model`);
  // A plain view: Node's Buffer.slice shares memory, which the readers' copies rely on not doing.
  const bb = new ByteBuffer(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!bb.__has_identifier('TFL3')) {
    throw new TfliteError(`not a TensorFlow Lite model: file identifier "${bb.getBufferIdentifier()}", expected "TFL3"`);
  }
  try {
    return decode(bb);
  } catch (err) {
    if (err instanceof TfliteError) throw err;
    // The runtime reads past the end of a truncated or corrupt buffer as a RangeError.
    throw new TfliteError(`the TensorFlow Lite file is truncated or corrupt (${(err as Error).message})`);
  }
}

function decode(bb: ByteBuffer): TfliteModel {
  const model = new Table(bb, bb.readInt32(bb.position()) + bb.position());
  // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4.
  const codes = model.tables(1).map((c) => {
    // OperatorCode: deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 (int).
    const code = Math.max(c.int8(0), c.int32(3));
    return { code, custom: c.string(1) };
  });
  const buffers = model.tables(4).map((b) => {
    // Buffer: data 0, offset 1, size 2 (offset/size point outside the FlatBuffer for >2 GB models).
    if (b.uint64(1) !== 0n) return 'external' as const;
    return b.bytes(0);
  });
  const subgraphs = model.tables(2);
  if (subgraphs.length === 0) throw new TfliteError('the model has no subgraph');
  const sg = subgraphs[0];
  // SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
  const tensors = sg.tables(0).map((t, index): TfliteTensor => {
    // Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6.
    const bufferIndex = t.uint32(2);
    const buffer = buffers[bufferIndex];
    const name = t.string(3) ?? `tensor_${index}`;
    if (buffer === 'external') throw new TfliteError(`tensor "${name}" keeps its data outside the FlatBuffer (buffer offset), which is not supported`);
    if (bufferIndex !== 0 && buffer === undefined) throw new TfliteError(`tensor "${name}" refers to buffer ${bufferIndex}, which does not exist`);
    const q = t.table(4);
    return {
      index,
      name,
      shape: t.int32s(0),
      type: t.int8(1),
      data: buffer && buffer.length > 0 ? buffer : null,
      // QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details_type 4, details 5, quantized_dimension 6.
      quantization: q && q.has(2) ? { scale: q.float32s(2), zeroPoint: q.int64s(3), quantizedDimension: q.int32(6), hasDetails: q.uint8(4) !== 0 } : null,
      isVariable: t.uint8(5) !== 0,
      hasSparsity: t.has(6),
    };
  });
  const operators = sg.tables(3).map((op, index): TfliteOperator => {
    // Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4,
    // custom_options 5, custom_options_format 6, mutating_variable_inputs 7, intermediates 8,
    // large_custom_options_offset 9, large_custom_options_size 10, builtin_options_2_type 11.
    const opcodeIndex = op.uint32(0);
    const code = codes[opcodeIndex];
    if (!code) throw new TfliteError(`operator ${index} uses operator code ${opcodeIndex}, which does not exist`);
    const optionsType = op.uint8(3);
    const table = op.table(4);
    return {
      index,
      opcode: code.code,
      customCode: code.custom,
      inputs: op.int32s(1),
      outputs: op.int32s(2),
      options: table ? readOptions(optionsType, table) : { type: optionsType },
      hasCustomOptions: op.has(5) || op.has(9),
      hasOptions2: op.uint8(11) !== 0,
      intermediates: op.int32s(8),
    };
  });
  return {
    version: model.uint32(0),
    description: model.string(3) ?? '',
    subgraphCount: subgraphs.length,
    tensors,
    inputs: sg.int32s(1),
    outputs: sg.int32s(2),
    operators,
  };
}

function readOptions(type: number, t: Table): TfliteOptions {
  switch (type) {
    case OPTIONS.Conv2D:
      // padding 0, stride_w 1, stride_h 2, fused_activation_function 3, dilation_w 4, dilation_h 5, quantized_bias_type 6.
      return { type, padding: t.int8(0), strideW: t.int32(1), strideH: t.int32(2), fusedActivation: t.int8(3), dilationW: t.int32(4, 1), dilationH: t.int32(5, 1), quantizedBiasType: t.int8(6) };
    case OPTIONS.DepthwiseConv2D:
      // padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused_activation_function 4, dilation_w 5, dilation_h 6.
      return { type, padding: t.int8(0), strideW: t.int32(1), strideH: t.int32(2), depthMultiplier: t.int32(3), fusedActivation: t.int8(4), dilationW: t.int32(5, 1), dilationH: t.int32(6, 1) };
    case OPTIONS.Pool2D:
      // padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused_activation_function 5.
      return { type, padding: t.int8(0), strideW: t.int32(1), strideH: t.int32(2), filterW: t.int32(3), filterH: t.int32(4), fusedActivation: t.int8(5) };
    case OPTIONS.Add:
      // fused_activation_function 0, pot_scale_int16 1.
      return { type, fusedActivation: t.int8(0) };
    case OPTIONS.Reshape:
      return { type, newShape: t.int32s(0) };
    case OPTIONS.Softmax:
      return { type, beta: t.float32(0) };
    default:
      return { type };
  }
}
