// Writes SqueezeNet v1.0 as an ONNX graph from decoded weights, with nodes named after the network.
import type { onnx } from './generated/onnx-pb.js';
import { encodeModel, floatTensor, modelProto, node, valueInfo } from './onnx-write.js';
import { FIRES, NUM_CLASSES, type DecodedConv } from './squeezenet.js';

export const SQUEEZENET_INPUT = 'data';
export const SQUEEZENET_OUTPUT = 'logits';

export function squeezenetOnnx(layers: DecodedConv[], metadata: Record<string, string> = {}): Uint8Array {
  const byName = new Map(layers.map((l) => [l.spec.name, l]));
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];

  const conv = (name: string, input: string): string => {
    const layer = byName.get(name);
    if (!layer) throw new Error(`no decoded weights for layer ${name}`);
    const { outChannels, inChannels, kernel, stride, pad } = layer.spec;
    initializers.push(
      floatTensor(`${name}/weight`, [outChannels, inChannels, kernel, kernel], layer.weights),
      floatTensor(`${name}/bias`, [outChannels], layer.bias),
    );
    nodes.push(
      node('Conv', name, [input, `${name}/weight`, `${name}/bias`], [name], {
        kernel_shape: [kernel, kernel],
        strides: [stride, stride],
        pads: [pad, pad, pad, pad],
        dilations: [1, 1],
        group: 1,
      }),
    );
    const relu = reluName(name);
    nodes.push(node('Relu', relu, [name], [relu]));
    return relu;
  };
  const maxPool = (name: string, input: string): string => {
    nodes.push(node('MaxPool', name, [input], [name], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0] }));
    return name;
  };

  let x = maxPool('pool1', conv('conv1', SQUEEZENET_INPUT));
  for (const f of FIRES) {
    const s = conv(`${f.name}/squeeze1x1`, x);
    const e1 = conv(`${f.name}/expand1x1`, s);
    const e3 = conv(`${f.name}/expand3x3`, s);
    nodes.push(node('Concat', `${f.name}/concat`, [e1, e3], [`${f.name}/concat`], { axis: 1 }));
    x = `${f.name}/concat`;
    if (f.name === 'fire4') x = maxPool('pool4', x);
    if (f.name === 'fire8') x = maxPool('pool8', x);
  }
  nodes.push(node('Dropout', 'drop9', [x], ['drop9']));
  x = conv('conv10', 'drop9');
  nodes.push(node('GlobalAveragePool', 'pool10', [x], ['pool10']));
  nodes.push(node('Flatten', 'flatten', ['pool10'], [SQUEEZENET_OUTPUT], { axis: 1 }));

  return encodeModel(
    modelProto({
      graphName: 'squeezenet1_0',
      docString:
        'SqueezeNet v1.0 (Iandola et al. 2016) with Deep Compression ImageNet weights (Han, Mao, Dally 2016), BSD licence.',
      nodes,
      initializers,
      inputs: [valueInfo(SQUEEZENET_INPUT, ['N', 3, 227, 227])],
      outputs: [valueInfo(SQUEEZENET_OUTPUT, ['N', NUM_CLASSES])],
      metadata,
    }),
  );
}

function reluName(conv: string): string {
  const slash = conv.lastIndexOf('/');
  return slash < 0 ? `relu_${conv}` : `${conv.slice(0, slash)}/relu_${conv.slice(slash + 1)}`;
}
