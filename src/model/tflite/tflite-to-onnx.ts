// TensorFlow Lite (NHWC, quantized) -> ONNX (NCHW, float activations) for feed-forward CNN
// classifiers: CONV_2D, DEPTHWISE_CONV_2D (a grouped Conv), ADD, AVERAGE_POOL_2D, RESHAPE (to a
// vector) and SOFTMAX, their fused activations (RELU, RELU6, RELU_N1_TO_1 -> Relu / Clip) and
// TensorFlow's SAME padding (asymmetric ONNX pads when the total is odd).
//
// Weights stay 8-bit in the file (uint8 / int8 initializers + DequantizeLinear with the tensor's
// own scale and zero point, per tensor or per output channel), which keeps MobileNetV2 at 3.5 MB.
// int32 biases are dequantized here to float32 (scale = input scale x weight scale, zero point 0).
// Activations run in float32: the quantized model's activation rounding is not reproduced.
// Everything else (another operator, option, activation, tensor type or quantization scheme) is
// refused with a TfliteError naming it, never approximated.
import { onnx } from '../generated/onnx-pb.js';
import { encodeModel, floatTensor, modelProto, node, valueInfo } from '../onnx-write.js';
import { dequantize } from '../quantization.js';
import { OPTIONS, TENSOR_TYPE, TENSOR_TYPE_NAMES, TfliteError, type TfliteModel, type TfliteOperator, type TfliteTensor } from './read-tflite.js';

export { TfliteError } from './read-tflite.js';

/** BuiltinOperator codes we convert. */
export const BUILTIN = { ADD: 0, AVERAGE_POOL_2D: 1, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, RESHAPE: 22, SOFTMAX: 25 } as const;

/** Names of common builtin operators, for refusal messages (others are reported by code). */
const BUILTIN_NAMES: Record<number, string> = {
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 5: 'DEPTH_TO_SPACE',
  6: 'DEQUANTIZE', 9: 'FULLY_CONNECTED', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6',
  22: 'RESHAPE', 23: 'RESIZE_BILINEAR', 25: 'SOFTMAX', 28: 'TANH', 32: 'CUSTOM', 34: 'PAD', 39: 'TRANSPOSE',
  40: 'MEAN', 41: 'SUB', 42: 'DIV', 45: 'STRIDED_SLICE', 49: 'SPLIT', 54: 'MAXIMUM', 65: 'SLICE', 67: 'TRANSPOSE_CONV',
  97: 'LEAKY_RELU', 98: 'SQUARED_DIFFERENCE', 99: 'MIRROR_PAD', 114: 'QUANTIZE', 117: 'HARD_SWISH',
};

export function builtinName(code: number): string {
  return BUILTIN_NAMES[code] ?? `builtin operator ${code}`;
}

const ACTIVATION_NAMES = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
const PADDING_SAME = 0;
const PADDING_VALID = 1;

/** Padding and output size of one spatial axis. */
export interface AxisPadding {
  out: number;
  begin: number;
  end: number;
}

/**
 * TensorFlow's SAME padding: out = ceil(in / stride); total = max((out - 1) * stride + k_eff - in, 0)
 * with k_eff = (k - 1) * dilation + 1; the smaller half before, the larger after.
 */
export function tfSamePadding(inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - inSize, 0);
  const begin = Math.floor(total / 2);
  return { out, begin, end: total - begin };
}

/** TensorFlow's VALID padding: no pads, out = ceil((in - k_eff + 1) / stride). */
export function tfValidPadding(inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  return { out: Math.ceil((inSize - ((kernel - 1) * dilation + 1) + 1) / stride), begin: 0, end: 0 };
}

/** Conv weights [O, kh, kw, I] (TFLite OHWI) -> [O, I, kh, kw] (ONNX OIHW). */
export function ohwiToOihw<T extends { length: number; [i: number]: number }>(w: T, out: T, o: number, kh: number, kw: number, i: number): T {
  for (let a = 0; a < o; a++)
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let c = 0; c < i; c++) out[((a * i + c) * kh + y) * kw + x] = w[((a * kh + y) * kw + x) * i + c];
  return out;
}

/** Depthwise weights [1, kh, kw, C] (TFLite) -> [C, 1, kh, kw] (ONNX grouped Conv, group = C / multiplier). */
export function ihwcToC1hw<T extends { length: number; [i: number]: number }>(w: T, out: T, kh: number, kw: number, c: number): T {
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let k = 0; k < c; k++) out[(k * kh + y) * kw + x] = w[(y * kw + x) * c + k];
  return out;
}

export interface ConvertOptions {
  /** Name of the ONNX graph. */
  graphName: string;
  docString?: string;
  metadata?: Record<string, string>;
  /** ONNX name of the graph input (default 'input'). */
  inputName?: string;
}

export interface ConvertedModel {
  bytes: Uint8Array;
  inputName: string;
  /** [N, C, H, W] with N dynamic. */
  inputShape: [string, number, number, number];
  outputName: string;
  /** Output shape with the batch dimension as 'N'. */
  outputShape: (string | number)[];
  /** Whether the graph ends in a softmax (probabilities) or in logits. */
  endsInSoftmax: boolean;
  /** ONNX node names in graph order (readable: stem/conv, block3/expand, block3/depthwise...). */
  nodeNames: string[];
  /** Weights and biases stored (as the ONNX file holds them). */
  parameters: number;
}

interface Activation {
  /** ONNX tensor name holding this TFLite tensor's value. */
  name: string;
  /** NCHW shape for 4-D tensors; the TFLite shape otherwise. */
  shape: number[];
}

/** Converts the first subgraph of a decoded TFLite model into ONNX bytes (opset 13). */
export function tfliteToOnnx(model: TfliteModel, options: ConvertOptions): ConvertedModel {
  if (model.subgraphCount !== 1) throw new TfliteError(`the model has ${model.subgraphCount} subgraphs; only single-subgraph models are supported`);
  if (model.inputs.length !== 1) throw new TfliteError(`the model has ${model.inputs.length} inputs; one image input is supported`);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const values = new Map<number, Activation>();
  const names = new Set<string>();
  let parameters = 0;

  const tensor = (i: number, op: TfliteOperator, what: string): TfliteTensor => {
    const t = model.tensors[i];
    if (!t) throw new TfliteError(`${opLabel(op)}: ${what} refers to tensor ${i}, which does not exist`);
    if (t.hasSparsity) throw new TfliteError(`tensor "${t.name}" is sparse; sparse tensors are not supported`);
    if (t.isVariable) throw new TfliteError(`tensor "${t.name}" is a variable (stateful) tensor, which is not supported`);
    if (t.quantization?.hasDetails) throw new TfliteError(`tensor "${t.name}" uses a custom quantization scheme (QuantizationDetails), which is not supported`);
    return t;
  };
  const activation = (i: number, op: TfliteOperator): Activation => {
    const v = values.get(i);
    if (v) return v;
    const t = tensor(i, op, 'input');
    throw new TfliteError(
      t.data ? `${opLabel(op)} takes the constant tensor "${t.name}" as a data input, which is not supported` : `${opLabel(op)} reads tensor "${t.name}" before any operator computes it`,
    );
  };
  const unique = (name: string): string => {
    let n = name;
    for (let k = 2; names.has(n); k++) n = `${name}_${k}`;
    names.add(n);
    return n;
  };

  // The image input: uint8 / int8 / float32 NHWC in TFLite, float32 NCHW in ONNX (the real
  // value after dequantization, which the manifest's preprocessing produces).
  const inputIndex = model.inputs[0];
  const inT = model.tensors[inputIndex];
  if (!inT || inT.shape.length !== 4) throw new TfliteError(`the input "${inT?.name}" must be a 4-D NHWC image, has shape [${inT?.shape.join(', ')}]`);
  checkActivationType(inT);
  const inputName = options.inputName ?? 'input';
  const [, inH, inW, inC] = inT.shape;
  values.set(inputIndex, { name: unique(inputName), shape: [1, inC, inH, inW] });

  // Readable names from the network's structure: a depthwise conv opens a new block; the conv
  // feeding it is that block's expansion, the conv after it the projection.
  const consumers = new Map<number, TfliteOperator[]>();
  for (const op of model.operators) for (const i of op.inputs) if (i >= 0) consumers.set(i, [...(consumers.get(i) ?? []), op]);
  const producer = new Map<number, TfliteOperator>();
  for (const op of model.operators) for (const o of op.outputs) producer.set(o, op);
  let block = -1;
  let pooled = false;
  const roleName = (op: TfliteOperator): string => {
    const inProducer = producer.get(op.inputs[0]);
    switch (op.opcode) {
      case BUILTIN.DEPTHWISE_CONV_2D:
        block++;
        return `block${block}/depthwise`;
      case BUILTIN.CONV_2D: {
        if (op.inputs[0] === inputIndex) return 'stem/conv';
        if (inProducer?.opcode === BUILTIN.DEPTHWISE_CONV_2D) return `block${block}/project`;
        if ((consumers.get(op.outputs[0]) ?? []).some((c) => c.opcode === BUILTIN.DEPTHWISE_CONV_2D)) return `block${block + 1}/expand`;
        return pooled ? 'head/logits' : 'head/conv';
      }
      case BUILTIN.ADD:
        return `block${block}/add`;
      case BUILTIN.AVERAGE_POOL_2D:
        pooled = true;
        return 'head/avgpool';
      case BUILTIN.RESHAPE:
        return 'head/reshape';
      case BUILTIN.SOFTMAX:
        return 'head/softmax';
      default:
        return `op${op.index}`;
    }
  };

  let endsInSoftmax = false;
  for (const op of model.operators) {
    checkOperator(op);
    const name = unique(roleName(op));
    if (op.outputs.length !== 1) throw new TfliteError(`${opLabel(op)} has ${op.outputs.length} outputs; one is supported`);
    const outT = tensor(op.outputs[0], op, 'output');
    checkActivationType(outT);
    let result: Activation;
    endsInSoftmax = false;
    switch (op.opcode) {
      case BUILTIN.CONV_2D:
      case BUILTIN.DEPTHWISE_CONV_2D: {
        const depthwise = op.opcode === BUILTIN.DEPTHWISE_CONV_2D;
        const x = activation(op.inputs[0], op);
        const inTensor = tensor(op.inputs[0], op, 'input');
        const w = tensor(op.inputs[1], op, 'weights');
        if (!w.data) throw new TfliteError(`${opLabel(op)}: weights "${w.name}" must be constant`);
        if (w.shape.length !== 4) throw new TfliteError(`${opLabel(op)}: weights "${w.name}" must be 4-D, have shape [${w.shape.join(', ')}]`);
        const [, c, h, wd] = x.shape;
        const o = op.options;
        const [kh, kw] = [w.shape[1], w.shape[2]];
        const outC = depthwise ? w.shape[3] : w.shape[0];
        if (depthwise) {
          if (w.shape[0] !== 1) throw new TfliteError(`${opLabel(op)}: depthwise weights "${w.name}" must be [1, kh, kw, C], have [${w.shape.join(', ')}]`);
          if (outC !== c * o.depthMultiplier!) {
            throw new TfliteError(`${opLabel(op)}: ${outC} output channels for ${c} input channels x depth multiplier ${o.depthMultiplier}`);
          }
        } else if (w.shape[3] !== c) {
          throw new TfliteError(`${opLabel(op)}: weights "${w.name}" expect ${w.shape[3]} input channels, the input has ${c}`);
        }
        const dil = [o.dilationH!, o.dilationW!];
        const [ph, pw] = [padding(op, h, kh, o.strideH!, dil[0]), padding(op, wd, kw, o.strideW!, dil[1])];
        const weightName = addWeights(name, w, depthwise);
        parameters += w.shape.reduce((a, b) => a * b, 1);
        const inputs = [x.name, weightName];
        if (op.inputs.length > 2 && op.inputs[2] >= 0) {
          const bias = tensor(op.inputs[2], op, 'bias');
          initializers.push(floatTensor(`${name}/bias`, [outC], biasValues(op, bias, inTensor, w, outC)));
          parameters += outC;
          inputs.push(`${name}/bias`);
        }
        nodes.push(
          node('Conv', name, inputs, [name], {
            kernel_shape: [kh, kw],
            strides: [o.strideH!, o.strideW!],
            pads: [ph.begin, pw.begin, ph.end, pw.end],
            dilations: dil,
            group: depthwise ? c : 1,
          }),
        );
        result = { name, shape: [1, outC, ph.out, pw.out] };
        result = fuse(op, name, result);
        break;
      }
      case BUILTIN.ADD: {
        if (op.inputs.length !== 2) throw new TfliteError(`${opLabel(op)} has ${op.inputs.length} inputs, expected 2`);
        const [a, b] = [activation(op.inputs[0], op), activation(op.inputs[1], op)];
        if (a.shape.join() !== b.shape.join()) {
          throw new TfliteError(`${opLabel(op)}: broadcasting [${a.shape.join(', ')}] + [${b.shape.join(', ')}] is not supported`);
        }
        nodes.push(node('Add', name, [a.name, b.name], [name]));
        result = fuse(op, name, { name, shape: a.shape });
        break;
      }
      case BUILTIN.AVERAGE_POOL_2D: {
        const x = activation(op.inputs[0], op);
        const o = op.options;
        const [, c, h, wd] = x.shape;
        const [ph, pw] = [padding(op, h, o.filterH!, o.strideH!, 1), padding(op, wd, o.filterW!, o.strideW!, 1)];
        // TensorFlow averages over the window's valid pixels only: count_include_pad = 0.
        nodes.push(
          node('AveragePool', name, [x.name], [name], {
            kernel_shape: [o.filterH!, o.filterW!],
            strides: [o.strideH!, o.strideW!],
            pads: [ph.begin, pw.begin, ph.end, pw.end],
            count_include_pad: 0,
          }),
        );
        result = fuse(op, name, { name, shape: [1, c, ph.out, pw.out] });
        break;
      }
      case BUILTIN.RESHAPE: {
        const x = activation(op.inputs[0], op);
        // NHWC and NCHW agree on the order of a [N, 1, 1, C] map, so it flattens without a transpose.
        const flat = x.shape.length === 4 && x.shape[2] === 1 && x.shape[3] === 1;
        const outShape = outT.shape;
        if (!flat || outShape.length !== 2 || outShape[1] !== x.shape[1]) {
          throw new TfliteError(
            `${opLabel(op)}: only a [N, 1, 1, C] -> [N, C] reshape is supported (this one goes from NCHW [${x.shape.join(', ')}] to [${outShape.join(', ')}])`,
          );
        }
        nodes.push(node('Flatten', name, [x.name], [name], { axis: 1 }));
        result = { name, shape: [1, x.shape[1]] };
        break;
      }
      case BUILTIN.SOFTMAX: {
        const x = activation(op.inputs[0], op);
        if (op.options.beta !== 1) throw new TfliteError(`${opLabel(op)}: beta ${op.options.beta} is not supported (only 1)`);
        if (x.shape.length !== 2) throw new TfliteError(`${opLabel(op)}: softmax over a ${x.shape.length}-D tensor is not supported (only [N, classes])`);
        nodes.push(node('Softmax', name, [x.name], [name], { axis: 1 }));
        result = { name, shape: x.shape };
        endsInSoftmax = true;
        break;
      }
      default:
        throw new TfliteError(`unsupported TensorFlow Lite operator ${builtinName(op.opcode)} (operator ${op.index})`);
    }
    const expected = outT.shape.length === 4 ? [outT.shape[0], outT.shape[3], outT.shape[1], outT.shape[2]] : outT.shape;
    if (expected.join() !== result.shape.join()) {
      throw new TfliteError(`${opLabel(op)}: computed output shape [${result.shape.join(', ')}] disagrees with tensor "${outT.name}" [${expected.join(', ')}] (NCHW)`);
    }
    values.set(op.outputs[0], result);
  }

  if (model.outputs.length !== 1) throw new TfliteError(`the model has ${model.outputs.length} outputs; one is supported`);
  const out = values.get(model.outputs[0]);
  if (!out) throw new TfliteError(`the model's output tensor ${model.outputs[0]} is not computed by any operator`);
  const outputShape = ['N', ...out.shape.slice(1)];
  const bytes = encodeModel(
    modelProto({
      graphName: options.graphName,
      docString: options.docString,
      nodes,
      initializers,
      inputs: [valueInfo(values.get(inputIndex)!.name, ['N', inC, inH, inW])],
      outputs: [valueInfo(out.name, outputShape)],
      metadata: options.metadata,
    }),
  );
  return {
    bytes,
    inputName: values.get(inputIndex)!.name,
    inputShape: ['N', inC, inH, inW],
    outputName: out.name,
    outputShape,
    endsInSoftmax,
    nodeNames: nodes.filter((n) => n.opType !== 'DequantizeLinear').map((n) => n.name!),
    parameters,
  };

  /** Writes the weights in ONNX layout (8-bit + DequantizeLinear, or float32) and returns the float tensor's name. */
  function addWeights(name: string, w: TfliteTensor, depthwise: boolean): string {
    const [d0, kh, kw, d3] = w.shape;
    const dims = depthwise ? [d3, 1, kh, kw] : [d0, d3, kh, kw];
    const count = dims.reduce((a, b) => a * b, 1);
    const data = w.data!;
    if (w.type === TENSOR_TYPE.FLOAT32) {
      if (w.quantization && w.quantization.scale.length > 0) throw new TfliteError(`weights "${w.name}" are float32 with quantization parameters, which is not supported`);
      const src = new Float32Array(data.slice(0, count * 4).buffer);
      const out = new Float32Array(count);
      initializers.push(floatTensor(`${name}/weight`, dims, depthwise ? ihwcToC1hw(src, out, kh, kw, d3) : ohwiToOihw(src, out, d0, kh, kw, d3)));
      return `${name}/weight`;
    }
    if (w.type !== TENSOR_TYPE.UINT8 && w.type !== TENSOR_TYPE.INT8) {
      throw new TfliteError(`weights "${w.name}" have type ${typeName(w.type)}; uint8, int8 and float32 weights are supported`);
    }
    const q = w.quantization;
    if (!q) throw new TfliteError(`weights "${w.name}" are ${typeName(w.type)} without quantization parameters`);
    const outAxis = depthwise ? 3 : 0;
    const perAxis = q.scale.length > 1;
    if (perAxis && (q.quantizedDimension !== outAxis || q.scale.length !== w.shape[outAxis])) {
      throw new TfliteError(
        `weights "${w.name}": ${q.scale.length} scales along dimension ${q.quantizedDimension}; per-tensor or per-output-channel (dimension ${outAxis}) quantization is supported`,
      );
    }
    if (q.zeroPoint.length !== q.scale.length) throw new TfliteError(`weights "${w.name}": ${q.zeroPoint.length} zero points for ${q.scale.length} scales`);
    if (data.length < count) throw new TfliteError(`weights "${w.name}" hold ${data.length} bytes, need ${count}`);
    const signed = w.type === TENSOR_TYPE.INT8;
    const [lo, hi] = signed ? [-128, 127] : [0, 255];
    if (q.zeroPoint.some((z) => z < lo || z > hi)) throw new TfliteError(`weights "${w.name}": zero point out of the ${typeName(w.type)} range`);
    const raw = new Uint8Array(count);
    if (depthwise) ihwcToC1hw(data, raw, kh, kw, d3);
    else ohwiToOihw(data, raw, d0, kh, kw, d3);
    const elem = signed ? onnx.TensorProto.DataType.INT8 : onnx.TensorProto.DataType.UINT8;
    const zpBytes = Uint8Array.from(q.zeroPoint, (z) => z & 0xff);
    const sDims = perAxis ? [q.scale.length] : [];
    initializers.push(
      { name: `${name}/weight_quantized`, dims, dataType: elem, rawData: raw },
      floatTensor(`${name}/weight_scale`, sDims, Float32Array.from(q.scale)),
      { name: `${name}/weight_zero_point`, dims: sDims, dataType: elem, rawData: zpBytes },
    );
    nodes.push(
      node(
        'DequantizeLinear',
        `${name}/weight_dequantize`,
        [`${name}/weight_quantized`, `${name}/weight_scale`, `${name}/weight_zero_point`],
        [`${name}/weight`],
        perAxis ? { axis: 0 } : {},
      ),
    );
    return `${name}/weight`;
  }

  function fuse(op: TfliteOperator, name: string, value: Activation): Activation {
    const f = op.options.fusedActivation ?? 0;
    if (f === 0) return value;
    const actName = unique(`${name}/${f === 1 ? 'relu' : f === 3 ? 'relu6' : 'relu_n1_to_1'}`);
    if (f === 1) nodes.push(node('Relu', actName, [value.name], [actName]));
    else {
      const [lo, hi] = f === 3 ? [0, 6] : [-1, 1];
      initializers.push(floatTensor(`${actName}/min`, [], Float32Array.of(lo)), floatTensor(`${actName}/max`, [], Float32Array.of(hi)));
      nodes.push(node('Clip', actName, [value.name, `${actName}/min`, `${actName}/max`], [actName]));
    }
    return { name: actName, shape: value.shape };
  }
}

function opLabel(op: TfliteOperator): string {
  return `${builtinName(op.opcode)} (operator ${op.index})`;
}

function typeName(type: number): string {
  return TENSOR_TYPE_NAMES[type] ?? `type ${type}`;
}

function checkActivationType(t: TfliteTensor): void {
  if (t.type !== TENSOR_TYPE.UINT8 && t.type !== TENSOR_TYPE.INT8 && t.type !== TENSOR_TYPE.FLOAT32) {
    throw new TfliteError(`tensor "${t.name}" has type ${typeName(t.type)}; uint8, int8 and float32 activations are supported`);
  }
}

/** Refuses operators and options outside the supported set before anything is converted. */
function checkOperator(op: TfliteOperator): void {
  if (op.customCode !== null) throw new TfliteError(`unsupported custom operator "${op.customCode}" (operator ${op.index})`);
  if (!Object.values(BUILTIN).includes(op.opcode as never)) {
    throw new TfliteError(`unsupported TensorFlow Lite operator ${builtinName(op.opcode)} (operator ${op.index})`);
  }
  if (op.hasCustomOptions) throw new TfliteError(`${opLabel(op)} carries custom options, which are not supported`);
  if (op.hasOptions2) throw new TfliteError(`${opLabel(op)} carries builtin_options_2, which are not supported`);
  if (op.intermediates.length > 0) throw new TfliteError(`${opLabel(op)} has intermediate tensors (quantized LSTM-style), which are not supported`);
  const expected: Record<number, number[]> = {
    [BUILTIN.CONV_2D]: [OPTIONS.Conv2D],
    [BUILTIN.DEPTHWISE_CONV_2D]: [OPTIONS.DepthwiseConv2D],
    [BUILTIN.AVERAGE_POOL_2D]: [OPTIONS.Pool2D],
    [BUILTIN.ADD]: [OPTIONS.Add, 0],
    [BUILTIN.RESHAPE]: [OPTIONS.Reshape, 0],
    [BUILTIN.SOFTMAX]: [OPTIONS.Softmax],
  };
  const o = op.options;
  if (!expected[op.opcode].includes(o.type)) throw new TfliteError(`${opLabel(op)} has options of union type ${o.type}, expected ${expected[op.opcode][0]}`);
  const f = o.fusedActivation ?? 0;
  if (f !== 0 && f !== 1 && f !== 2 && f !== 3) {
    throw new TfliteError(`${opLabel(op)}: fused activation ${ACTIVATION_NAMES[f] ?? f} is not supported (NONE, RELU, RELU_N1_TO_1, RELU6 are)`);
  }
  if (o.padding !== undefined && o.padding !== PADDING_SAME && o.padding !== PADDING_VALID) throw new TfliteError(`${opLabel(op)}: unknown padding ${o.padding}`);
  for (const [k, v] of [['stride_h', o.strideH], ['stride_w', o.strideW], ['dilation_h', o.dilationH], ['dilation_w', o.dilationW], ['filter_h', o.filterH], ['filter_w', o.filterW], ['depth_multiplier', o.depthMultiplier]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new TfliteError(`${opLabel(op)}: ${k} ${v} must be a positive integer`);
  }
  if (o.quantizedBiasType) throw new TfliteError(`${opLabel(op)}: quantized_bias_type ${typeName(o.quantizedBiasType)} is not supported`);
}

function padding(op: TfliteOperator, inSize: number, kernel: number, stride: number, dilation: number): AxisPadding {
  const p = op.options.padding === PADDING_SAME ? tfSamePadding(inSize, kernel, stride, dilation) : tfValidPadding(inSize, kernel, stride, dilation);
  if (p.out < 1) throw new TfliteError(`${opLabel(op)}: a ${kernel}-wide window does not fit an input of ${inSize}`);
  return p;
}

/** The bias as float32: int32 with scale = input scale x weight scale (per channel), or float32 as is. */
function biasValues(op: TfliteOperator, bias: TfliteTensor, input: TfliteTensor, weights: TfliteTensor, channels: number): Float32Array {
  if (!bias.data) throw new TfliteError(`${opLabel(op)}: bias "${bias.name}" must be constant`);
  if (bias.shape.join() !== String(channels)) throw new TfliteError(`${opLabel(op)}: bias "${bias.name}" has shape [${bias.shape.join(', ')}], expected [${channels}]`);
  if (bias.type === TENSOR_TYPE.FLOAT32) return new Float32Array(bias.data.slice(0, channels * 4).buffer);
  if (bias.type !== TENSOR_TYPE.INT32) throw new TfliteError(`bias "${bias.name}" has type ${typeName(bias.type)}; int32 and float32 biases are supported`);
  const q = bias.quantization;
  const inScale = input.quantization?.scale;
  const wScale = weights.quantization?.scale;
  if (!q || !inScale || inScale.length !== 1 || !wScale) throw new TfliteError(`bias "${bias.name}" is int32 but its input or weights carry no quantization scale`);
  if (q.zeroPoint.some((z) => z !== 0)) throw new TfliteError(`bias "${bias.name}" has a non-zero zero point, which int32 biases must not have`);
  if (q.scale.length !== 1 && q.scale.length !== channels) throw new TfliteError(`bias "${bias.name}" has ${q.scale.length} scales for ${channels} channels`);
  // The stored scale must be input scale x weight scale (TFLite's integer kernels assume it).
  for (let c = 0; c < q.scale.length; c++) {
    const expected = inScale[0] * wScale[wScale.length === 1 ? 0 : c];
    if (Math.abs(q.scale[c] - expected) > 1e-6 * expected) {
      throw new TfliteError(`bias "${bias.name}": scale ${q.scale[c]} is not input scale x weight scale (${expected})`);
    }
  }
  const ints = new Int32Array(bias.data.slice(0, channels * 4).buffer);
  return dequantize(ints, [channels], q.scale, null, 0);
}
