// AlexNet written as ONNX with seeded random weights, in two variants:
// - 'torchvision': convs 64-192-384-256-256 on 224x224, classifier Dropout-Linear-ReLU-Dropout-
//   Linear-ReLU-Linear (61,100,840 parameters). AdaptiveAvgPool2d(6) is the identity at 224
//   (the features are already 6x6), so it is left out.
// - 'paper': Krizhevsky et al. 2012 with LRN and two groups, 96-256-384-384-256 on 227x227
//   (60,965,224 parameters; 227 makes conv1's (227 - 11) / 4 + 1 = 55 exact).
// Weights are He-uniform (variance 2 / fan_in) so ReLU activations keep their scale through depth.
import { onnx } from './generated/onnx-pb.js';
import { concat, fieldHeader } from './all-outputs.js';
import { float, floatTensor, int64Tensor, modelProto, node, valueInfo } from './onnx-write.js';
import { createRng } from './seeded-rng.js';

export type AlexnetVariant = 'torchvision' | 'paper';
export const ALEXNET_VARIANTS: readonly AlexnetVariant[] = ['torchvision', 'paper'];
export const ALEXNET_INPUT = 'input';
export const ALEXNET_OUTPUT = 'logits';

interface ConvSpec {
  name: string;
  out: number;
  kernel: number;
  stride: number;
  pad: number;
  group: number;
}

const TORCHVISION_CONVS: ConvSpec[] = [
  { name: 'conv1', out: 64, kernel: 11, stride: 4, pad: 2, group: 1 },
  { name: 'conv2', out: 192, kernel: 5, stride: 1, pad: 2, group: 1 },
  { name: 'conv3', out: 384, kernel: 3, stride: 1, pad: 1, group: 1 },
  { name: 'conv4', out: 256, kernel: 3, stride: 1, pad: 1, group: 1 },
  { name: 'conv5', out: 256, kernel: 3, stride: 1, pad: 1, group: 1 },
];

// Two groups where the paper splits the network across two GPUs (conv2, conv4, conv5).
const PAPER_CONVS: ConvSpec[] = [
  { name: 'conv1', out: 96, kernel: 11, stride: 4, pad: 0, group: 1 },
  { name: 'conv2', out: 256, kernel: 5, stride: 1, pad: 2, group: 2 },
  { name: 'conv3', out: 384, kernel: 3, stride: 1, pad: 1, group: 1 },
  { name: 'conv4', out: 384, kernel: 3, stride: 1, pad: 1, group: 2 },
  { name: 'conv5', out: 256, kernel: 3, stride: 1, pad: 1, group: 2 },
];

export function alexnetInputSize(variant: AlexnetVariant): number {
  return variant === 'paper' ? 227 : 224;
}

export function alexnetOnnx(variant: AlexnetVariant, seed = 1): Uint8Array {
  const rng = createRng(seed);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const heUniform = (n: number, fanIn: number): Float32Array => {
    const a = Math.sqrt(6 / fanIn);
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = (2 * rng() - 1) * a;
    return w;
  };
  const smallBias = (n: number): Float32Array => {
    const b = new Float32Array(n);
    for (let i = 0; i < n; i++) b[i] = 0.01 * (2 * rng() - 1);
    return b;
  };

  let x = ALEXNET_INPUT;
  let channels = 3;
  const paper = variant === 'paper';
  const convs = paper ? PAPER_CONVS : TORCHVISION_CONVS;
  const op = (type: string, name: string, inputs: string[], attrs: Parameters<typeof node>[4] = {}): string => {
    nodes.push(node(type, name, inputs, [name], attrs));
    return name;
  };
  convs.forEach((c, i) => {
    const fanIn = (channels / c.group) * c.kernel * c.kernel;
    initializers.push(
      floatTensor(`${c.name}.weight`, [c.out, channels / c.group, c.kernel, c.kernel], heUniform(c.out * fanIn, fanIn)),
      floatTensor(`${c.name}.bias`, [c.out], smallBias(c.out)),
    );
    x = op('Conv', c.name, [x, `${c.name}.weight`, `${c.name}.bias`], {
      kernel_shape: [c.kernel, c.kernel],
      strides: [c.stride, c.stride],
      pads: [c.pad, c.pad, c.pad, c.pad],
      group: c.group,
    });
    channels = c.out;
    x = op('Relu', `relu${i + 1}`, [x]);
    // The paper normalises after the first two convs (k = 2, n = 5, alpha = 1e-4, beta = 0.75).
    if (paper && i < 2) x = op('LRN', `norm${i + 1}`, [x], { size: 5, alpha: float(1e-4), beta: float(0.75), bias: float(2) });
    if (i === 0 || i === 1 || i === 4) x = op('MaxPool', `pool${i + 1}`, [x], { kernel_shape: [3, 3], strides: [2, 2] });
  });
  initializers.push(int64Tensor('flatten.shape', [2], [0, -1]));
  x = op('Reshape', 'flatten', [x, 'flatten.shape']);
  const linear = (name: string, input: string, inFeatures: number, outFeatures: number): string => {
    initializers.push(
      floatTensor(`${name}.weight`, [outFeatures, inFeatures], heUniform(outFeatures * inFeatures, inFeatures)),
      floatTensor(`${name}.bias`, [outFeatures], smallBias(outFeatures)),
    );
    return op('Gemm', name, [input, `${name}.weight`, `${name}.bias`], { transB: 1 });
  };
  const features = channels * 6 * 6;
  if (paper) {
    x = op('Dropout', 'drop6', [op('Relu', 'relu6', [linear('fc6', x, features, 4096)])]);
    x = op('Dropout', 'drop7', [op('Relu', 'relu7', [linear('fc7', x, 4096, 4096)])]);
  } else {
    x = op('Relu', 'relu6', [linear('fc6', op('Dropout', 'drop6', [x]), features, 4096)]);
    x = op('Relu', 'relu7', [linear('fc7', op('Dropout', 'drop7', [x]), 4096, 4096)]);
  }
  // The last layer writes the graph output under its public name.
  const last = linear('fc8', x, 4096, 1000);
  nodes[nodes.length - 1].output = [ALEXNET_OUTPUT];
  void last;
  const size = alexnetInputSize(variant);
  return encodeLargeModel(
    modelProto({
      graphName: paper ? 'alexnet_paper' : 'alexnet',
      docString: paper
        ? `AlexNet as in Krizhevsky, Sutskever, Hinton 2012 (LRN, two groups), seeded random weights (seed ${seed}).`
        : `AlexNet as in torchvision.models.alexnet, seeded random weights (seed ${seed}).`,
      nodes,
      initializers,
      inputs: [valueInfo(ALEXNET_INPUT, ['N', 3, size, size])],
      outputs: [valueInfo(ALEXNET_OUTPUT, ['N', 1000])],
    }),
  );
}

/**
 * Encodes like encodeModel, but copies each initializer's raw bytes once, straight into the
 * output: the graph message is assembled from encoded parts (field order does not matter).
 */
function encodeLargeModel(model: onnx.IModelProto): Uint8Array {
  const { graph, ...rest } = model;
  if (!graph) return onnx.ModelProto.encode(model).finish();
  const { initializer, ...graphRest } = graph;
  const graphParts: Uint8Array[] = [onnx.GraphProto.encode(graphRest).finish()];
  for (const t of initializer ?? []) {
    const { rawData, ...meta } = t;
    const head = onnx.TensorProto.encode(meta).finish();
    const raw = rawData ?? new Uint8Array(0);
    // An empty raw_data field would read as "the data is raw and empty": leave it out entirely.
    const rawHeader = rawData ? fieldHeader(9, raw.length) : new Uint8Array(0);
    graphParts.push(fieldHeader(5, head.length + rawHeader.length + raw.length), head, rawHeader, raw);
  }
  const graphLength = graphParts.reduce((n, p) => n + p.length, 0);
  return concat([onnx.ModelProto.encode(rest).finish(), fieldHeader(7, graphLength), ...graphParts]);
}
