// A variant of any ONNX model in which every node output is also a graph output, so onnxruntime
// returns all intermediate tensors (for layer-by-layer parity with the reference engine).
// ORT needs each output's element type; shapes may stay unknown.
// Large models (AlexNet is 244 MB) are not re-encoded: the new output fields are spliced into the
// graph message at the protobuf wire level, which costs one copy of the bytes.
import protobuf from 'protobufjs/minimal.js';
import { onnx } from './generated/onnx-pb.js';

const { Reader, Writer } = protobuf;

export interface AllOutputsModel {
  bytes: Uint8Array;
  /** Every node output, in graph order. */
  outputs: string[];
}

const MODEL_GRAPH_FIELD = 7;
const GRAPH_NODE_FIELD = 1;
const GRAPH_OUTPUT_FIELD = 12;

export function withAllOutputs(bytes: Uint8Array): AllOutputsModel {
  const graphField = findField(bytes, MODEL_GRAPH_FIELD);
  if (!graphField) throw new Error('the model has no graph');
  // Only the nodes and outputs are decoded: the initializers (most of the bytes) are skipped.
  const graphBytes = bytes.subarray(graphField.start, graphField.end);
  const nodes: onnx.NodeProto[] = [];
  const existing = new Set<string>();
  forEachField(graphBytes, (field, start, end) => {
    if (field === GRAPH_NODE_FIELD) nodes.push(onnx.NodeProto.decode(graphBytes.subarray(start, end)));
    if (field === GRAPH_OUTPUT_FIELD) existing.add(onnx.ValueInfoProto.decode(graphBytes.subarray(start, end)).name);
  });
  const outputs: string[] = [];
  const extra: Uint8Array[] = [];
  for (const n of nodes) {
    if (n.opType === 'Constant') continue;
    for (const name of n.output) {
      if (!name) continue;
      outputs.push(name);
      if (existing.has(name)) continue;
      existing.add(name);
      const info = onnx.ValueInfoProto.encode({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }).finish();
      extra.push(lengthDelimited(GRAPH_OUTPUT_FIELD, info));
    }
  }
  const graphBody = concat([graphBytes, ...extra]);
  const result = concat([bytes.subarray(0, graphField.tagStart), lengthDelimited(MODEL_GRAPH_FIELD, graphBody), bytes.subarray(graphField.end)]);
  return { bytes: result, outputs };
}

// --- protobuf wire framing (protobufjs's Reader and Writer), to splice fields into large messages ---

/** Tag and length of a length-delimited field (wire type 2); the payload follows them. */
export function fieldHeader(field: number, length: number): Uint8Array {
  return Writer.create().uint32((field << 3) | 2).uint32(length).finish();
}

/** A length-delimited field: tag, length, payload. */
export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concat([fieldHeader(field, payload.length), payload]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function findField(bytes: Uint8Array, field: number): { tagStart: number; start: number; end: number } | null {
  let found: { tagStart: number; start: number; end: number } | null = null;
  forEachField(bytes, (number, start, end, tagStart) => {
    if (number === field && !found) found = { tagStart, start, end };
  });
  return found;
}

/** Calls back with every length-delimited top-level field of a message: number and payload range. */
function forEachField(bytes: Uint8Array, visit: (field: number, start: number, end: number, tagStart: number) => void): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tagStart = reader.pos;
    const tag = reader.uint32();
    if ((tag & 7) === 2) {
      const len = reader.uint32();
      if (reader.pos + len > reader.len) throw new Error('truncated protobuf message');
      visit(tag >>> 3, reader.pos, reader.pos + len, tagStart);
      reader.pos += len;
    } else {
      reader.skipType(tag & 7);
    }
  }
}
