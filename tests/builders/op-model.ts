// One-node ONNX models for operator tests: a test case written as data (op, attributes, inputs,
// expected outputs) becomes a model both the reference and onnxruntime-web can run.
import { onnx } from '../../src/model/generated/onnx-pb.js';
import type { ModelErrorKind } from '../../src/model/model-error.js';
import { encodeModel, float, floatTensor, int64Tensor, modelProto, node, valueInfo, type AttrValue, type FloatAttr } from '../../src/model/onnx-write.js';
import { createRng } from '../../src/model/seeded-rng.js';
import { hashSeed } from './seed.js';

export interface OpCaseInput {
  /** Defaults to in0, in1, ... */
  name?: string;
  dims: number[];
  /** Float values; omitted with `random` for seeded uniform values in [-1, 1) (or [min, max)). */
  data?: number[];
  random?: boolean | { min: number; max: number };
  /** An int64 tensor (always an initializer), e.g. Reshape's shape. */
  int64?: number[];
  /** Stored as an initializer (weights, bias, Clip bounds) instead of a runtime input. */
  initializer?: boolean;
}

export interface OpCaseOutput {
  dims?: number[];
  data?: number[];
}

export interface OpCase {
  name: string;
  attributes?: Record<string, AttrValue | FloatAttr>;
  /** null leaves an optional input out (an empty input name). */
  inputs: (OpCaseInput | null)[];
  /** Expected outputs when written by hand; otherwise only the number of outputs matters. */
  outputs?: OpCaseOutput[];
  tolerance?: { atol: number; rtol: number };
  /** Why onnxruntime cannot run this case (the reference is then checked against `outputs` only). */
  skipOnnxruntime?: string;
}

/** A node the reference must refuse: building it fails with a ModelError naming the problem. */
export interface OpErrorCase {
  name: string;
  attributes?: Record<string, AttrValue | FloatAttr>;
  inputs: (OpCaseInput | null)[];
  /** Text the error message must contain (after the node's name, which the reference prefixes). */
  error: string;
  kind: ModelErrorKind;
  /** Why onnxruntime accepts this node although the reference refuses it; by default it must refuse too. */
  onnxruntimeAccepts?: string;
}

export interface OpTest {
  op: string;
  opset?: number;
  cases: OpCase[];
  errors?: OpErrorCase[];
}

/** Attributes ONNX types as float: JSON cannot tell 1 from 1.0, so these are always written as FLOAT. */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'bias', 'epsilon', 'min', 'max', 'ratio', 'momentum']);

export interface OpModel {
  bytes: Uint8Array;
  /** Runtime inputs by name with their dims. */
  feeds: { name: string; dims: number[]; data: Float32Array }[];
  outputNames: string[];
}

export function opModel(op: string, c: Pick<OpCase, 'name' | 'attributes' | 'inputs' | 'outputs'>, opset = 13): OpModel {
  const rng = createRng(hashSeed(`${op}/${c.name}`));
  const inputNames: string[] = [];
  const feeds: OpModel['feeds'] = [];
  const initializers: onnx.ITensorProto[] = [];
  c.inputs.forEach((input, i) => {
    if (!input) {
      inputNames.push('');
      return;
    }
    const name = input.name ?? `in${i}`;
    inputNames.push(name);
    if (input.int64) {
      initializers.push(int64Tensor(name, input.dims, input.int64));
      return;
    }
    const count = input.dims.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (input.data) data = Float32Array.from(input.data);
    else {
      const r: { min: number; max: number; zeros?: number } = typeof input.random === 'object' ? input.random : { min: -1, max: 1 };
      data = new Float32Array(count);
      for (let k = 0; k < count; k++) {
        data[k] = r.min + (r.max - r.min) * rng();
        // A second draw only when asked, so cases without `zeros` keep their values.
        if (r.zeros !== undefined && rng() < r.zeros) data[k] = 0;
      }
    }
    if (data.length !== count) throw new Error(`case ${c.name}: input ${name} has ${data.length} values for dims [${input.dims.join(', ')}]`);
    if (input.initializer) initializers.push(floatTensor(name, input.dims, data));
    else feeds.push({ name, dims: input.dims, data });
  });
  const outputCount = c.outputs?.length ?? 1;
  const outputNames = Array.from({ length: outputCount }, (_, i) => `out${i}`);
  const attrs: Record<string, AttrValue | FloatAttr> = {};
  for (const [k, v] of Object.entries(c.attributes ?? {})) attrs[k] = FLOAT_ATTRIBUTES.has(k) && typeof v === 'number' ? float(v) : v;
  const bytes = encodeModel(
    modelProto({
      graphName: `${op}_${c.name}`,
      nodes: [node(op, op.toLowerCase(), inputNames, outputNames, attrs)],
      initializers,
      inputs: feeds.map((f) => valueInfo(f.name, f.dims)),
      outputs: outputNames.map((n) => ({ name: n, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })),
      opset,
    }),
  );
  return { bytes, feeds, outputNames };
}
