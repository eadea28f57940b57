// A small model that uses every op the reference engine supports (and several attribute
// variants), for parity tests and as a smoke model for the summary. Input [1, 3, 16, 16].
import type { onnx } from '../../src/model/generated/onnx-pb.js';
import { encodeModel, float, floatTensor, int64Tensor, modelProto, node, valueInfo, type AttrValue, type FloatAttr } from '../../src/model/onnx-write.js';
import { createRng } from '../../src/model/seeded-rng.js';

export const ALL_OPS_INPUT = 'input';
export const ALL_OPS_OUTPUT = 'probabilities';
export const ALL_OPS_INPUT_SHAPE = [1, 3, 16, 16];

export function allOpsOnnx(seed = 7): Uint8Array {
  const rng = createRng(seed);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const tensor = (name: string, dims: number[], scale: number, offset = 0): string => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = offset + scale * (2 * rng() - 1);
    initializers.push(floatTensor(name, dims, data));
    return name;
  };
  const op = (type: string, name: string, inputs: string[], attrs: Record<string, AttrValue | FloatAttr> = {}): string => {
    nodes.push(node(type, name, inputs, [name], attrs));
    return name;
  };
  const he = (fanIn: number): number => Math.sqrt(6 / fanIn);

  let x = op('Conv', 'conv1', [ALL_OPS_INPUT, tensor('conv1.w', [8, 3, 3, 3], he(27)), tensor('conv1.b', [8], 0.1)], { pads: [1, 1, 1, 1] });
  x = op('BatchNormalization', 'bn1', [x, tensor('bn1.scale', [8], 0.2, 1), tensor('bn1.bias', [8], 0.1), tensor('bn1.mean', [8], 0.1), tensor('bn1.var', [8], 0.3, 1)], { epsilon: float(1e-5) });
  x = op('Relu', 'relu1', [x]);
  x = op('LRN', 'norm1', [x], { size: 3, alpha: float(1e-3), beta: float(0.75), bias: float(1) });
  x = op('MaxPool', 'pool1', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 });
  // Two branches on the pooled features: depthwise dilated conv, and a strided-free 1x1 conv.
  const dw = op('LeakyRelu', 'dw_lrelu', [op('Conv', 'dwconv', [x, tensor('dw.w', [8, 1, 3, 3], he(9))], { group: 8, dilations: [2, 2], pads: [2, 2, 2, 2] })], { alpha: float(0.1) });
  const pw = op('Sigmoid', 'pw_sigmoid', [op('Conv', 'pwconv', [x, tensor('pw.w', [8, 8, 1, 1], he(8))])]);
  x = op('Add', 'merge_add', [dw, pw]);
  x = op('Mul', 'channel_scale', [x, tensor('channel_scale.s', [8, 1, 1], 0.5, 1)]);
  initializers.push(floatTensor('clip.min', [], Float32Array.of(-0.5)), floatTensor('clip.max', [], Float32Array.of(1.5)));
  x = op('Clip', 'clip', [x, 'clip.min', 'clip.max']);
  const grouped = op('Conv', 'gconv', [x, tensor('gconv.w', [8, 4, 2, 3], he(24)), tensor('gconv.b', [8], 0.1)], { group: 2, auto_pad: 'SAME_UPPER' });
  x = op('Concat', 'concat', [x, grouped], { axis: 1 });
  x = op('AveragePool', 'avgpool', [x], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 });
  const gap = op('GlobalAveragePool', 'gap', [x]);
  const gmp = op('GlobalMaxPool', 'gmp', [x]);
  const pooled = op('LpNormalization', 'l2norm', [op('Flatten', 'flatten', [op('Add', 'global_add', [gap, gmp])], { axis: 1 })], { axis: 1, p: 2 });
  initializers.push(int64Tensor('reshape.shape', [2], [0, -1]));
  const flat = op('Reshape', 'reshape', [x, 'reshape.shape']);
  const fc = op('Gemm', 'fc', [flat, tensor("fc.w", [10, 16 * 9 * 9], he(1296)), tensor('fc.b', [10], 0.1)], { transB: 1, alpha: float(0.5), beta: float(2) });
  const proj = op('MatMul', 'proj', [pooled, tensor('proj.w', [16, 10], he(16))]);
  x = op('Add', 'logits_add', [fc, proj]);
  x = op('Identity', 'identity', [op('Dropout', 'dropout', [x])]);
  nodes.push(node('Softmax', 'softmax', [x], [ALL_OPS_OUTPUT], { axis: 1 }));
  return encodeModel(
    modelProto({
      graphName: 'all_ops',
      docString: 'Every op the cnn-lens reference engine supports, with seeded random weights.',
      nodes,
      initializers,
      inputs: [valueInfo(ALL_OPS_INPUT, ALL_OPS_INPUT_SHAPE)],
      outputs: [valueInfo(ALL_OPS_OUTPUT, [1, 10])],
    }),
  );
}
