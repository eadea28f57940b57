// Small classifier models in the shapes teaching must handle, written with the project's ONNX
// writer and seeded weights: an AlexNet-style Gemm head, a MatMul + bias head, a SqueezeNet-style
// 1x1-conv classifier and a MobileNetV2-from-TFLite-style pooled 1x1 conv with Reshape/Softmax.
import { createRng } from '../../src/model/seeded-rng.js';
import { onnx } from '../../src/model/generated/onnx-pb.js';
import { encodeModel, floatTensor, int64Tensor, modelProto, node, valueInfo } from '../../src/model/onnx-write.js';

export const INPUT = 'image';
export const INPUT_SHAPE = [1, 3, 12, 12];
export type BuilderKind = 'gemm' | 'matmul' | 'conv1x1' | 'pooled-conv' | 'dequantized' | 'no-classifier';

export interface BuiltModel {
  bytes: Uint8Array;
  /** The feature tensor the walk must find, its length and whether it is spatial. */
  feature: string;
  dim: number;
  spatial: boolean;
  classifier: string;
}

export function builderModel(kind: BuilderKind, seed = 5): BuiltModel {
  const rng = createRng(seed);
  const nodes: onnx.INodeProto[] = [];
  const inits: onnx.ITensorProto[] = [];
  const w = (name: string, dims: number[], scale = 0.5): string => {
    inits.push(floatTensor(name, dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => scale * (2 * rng() - 1))));
    return name;
  };
  const op = (type: string, name: string, inputs: string[], attrs: Record<string, number | number[]> = {}): string => {
    nodes.push(node(type, name, inputs, [name], attrs));
    return name;
  };
  const c1 = op('Relu', 'relu1', [op('Conv', 'conv1', [INPUT, w('conv1.w', [6, 3, 3, 3]), w('conv1.b', [6], 0.1)], { pads: [1, 1, 1, 1] })]);
  const feat = op('Relu', 'relu2', [op('Conv', 'conv2', [op('MaxPool', 'pool1', [c1], { kernel_shape: [2, 2], strides: [2, 2] }), w('conv2.w', [8, 6, 3, 3]), w('conv2.b', [8], 0.1)], { pads: [1, 1, 1, 1] })]);
  let out: string;
  let built: Omit<BuiltModel, 'bytes'>;
  switch (kind) {
    case 'gemm': {
      const flat = op('Flatten', 'flatten', [feat], { axis: 1 });
      const fc6 = op('Relu', 'relu6', [op('Gemm', 'fc6', [flat, w('fc6.w', [16, 8 * 6 * 6], 0.2), w('fc6.b', [16], 0.1)], { transB: 1 })]);
      out = op('Softmax', 'prob', [op('Gemm', 'fc8', [op('Dropout', 'drop7', [fc6]), w('fc8.w', [5, 16]), w('fc8.b', [5], 0.1)], { transB: 1 })], { axis: 1 });
      built = { feature: 'relu6', dim: 16, spatial: false, classifier: 'fc8' };
      break;
    }
    case 'matmul': {
      const pooled = op('Flatten', 'flatten', [op('GlobalAveragePool', 'gap', [feat])], { axis: 1 });
      out = op('Add', 'bias', [op('MatMul', 'fc', [pooled, w('fc.w', [8, 5])]), w('fc.b', [5], 0.1)]);
      built = { feature: 'flatten', dim: 8, spatial: false, classifier: 'fc' };
      break;
    }
    case 'conv1x1': {
      const cls = op('Relu', 'relu10', [op('Conv', 'conv10', [op('Dropout', 'drop9', [feat]), w('conv10.w', [5, 8, 1, 1]), w('conv10.b', [5], 0.1)])]);
      out = op('Flatten', 'logits', [op('GlobalAveragePool', 'pool10', [cls])], { axis: 1 });
      built = { feature: 'relu2', dim: 8, spatial: true, classifier: 'conv10' };
      break;
    }
    case 'pooled-conv': {
      const pooled = op('AveragePool', 'avgpool', [feat], { kernel_shape: [6, 6] });
      inits.push(int64Tensor('reshape.shape', [2], [1, 5]));
      const logits = op('Reshape', 'reshape', [op('Conv', 'conv_pred', [pooled, w('pred.w', [5, 8, 1, 1]), w('pred.b', [5], 0.1)]), 'reshape.shape']);
      out = op('Softmax', 'prob', [logits], { axis: 1 });
      built = { feature: 'avgpool', dim: 8, spatial: true, classifier: 'conv_pred' };
      break;
    }
    case 'dequantized': {
      // As pooled-conv (same features for the same seed), with 8-bit classifier weights as in
      // MobileNetV2 converted from TFLite: int8 initializer -> DequantizeLinear -> Conv.
      const pooled = op('AveragePool', 'avgpool', [feat], { kernel_shape: [6, 6] });
      const q = Int8Array.from({ length: 5 * 8 }, () => Math.round(254 * rng() - 127));
      inits.push(
        { name: 'pred.wq', dims: [5, 8, 1, 1], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(q.buffer) },
        floatTensor('pred.scale', [], Float32Array.of(0.004)),
        { name: 'pred.zero', dims: [], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(1) },
      );
      nodes.push(node('DequantizeLinear', 'pred.dequantize', ['pred.wq', 'pred.scale', 'pred.zero'], ['pred.w']));
      out = op('Softmax', 'prob', [op('Flatten', 'flat', [op('Conv', 'conv_pred', [pooled, 'pred.w', w('pred.b', [5], 0.1)])], { axis: 1 })], { axis: 1 });
      built = { feature: 'avgpool', dim: 8, spatial: true, classifier: 'conv_pred' };
      break;
    }
    case 'no-classifier': {
      const a = op('GlobalAveragePool', 'gap', [feat]);
      const b = op('GlobalMaxPool', 'gmp', [feat]);
      out = op('Flatten', 'flatten', [op('Add', 'merge', [a, b])], { axis: 1 });
      built = { feature: '', dim: 0, spatial: false, classifier: '' };
      break;
    }
  }
  const bytes = encodeModel(
    modelProto({
      graphName: `teach_${kind}`,
      nodes,
      initializers: inits,
      inputs: [valueInfo(INPUT, INPUT_SHAPE)],
      outputs: [valueInfo(out, [1, kind === 'no-classifier' ? 8 : 5])],
    }),
  );
  return { bytes, ...built };
}

/** Seeded images: class c is noise around its own colour pattern, so embeddings cluster by class. */
export function classImages(classes: number, perClass: number, seed = 9): Float32Array[][] {
  const rng = createRng(seed);
  const n = INPUT_SHAPE.reduce((a, b) => a * b, 1);
  const patterns = Array.from({ length: classes }, () => Float32Array.from({ length: n }, () => 2 * rng() - 1));
  return patterns.map((p) => Array.from({ length: perClass }, () => Float32Array.from(p, (v) => v + 0.3 * (2 * rng() - 1))));
}
