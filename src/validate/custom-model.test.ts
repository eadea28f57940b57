import { describe, expect, it } from 'vitest';
import { CustomModelError, inspectCustomModel } from './custom-model.js';
import { encodeModel, floatTensor, modelProto, node, valueInfo } from '../model/onnx-write.js';

/** A tiny classifier: conv 3->4 (k3) -> global average pool -> flatten -> [N, 4]. */
function tinyModel(opts: { op?: string; inputShape?: (number | string)[]; outputs?: number; elemType?: number; metadata?: Record<string, string> } = {}): Uint8Array {
  const nodes = [
    node('Conv', 'conv', ['x', 'w'], ['c'], { kernel_shape: [3, 3] }),
    node(opts.op ?? 'GlobalAveragePool', 'gap', ['c'], ['g']),
    node('Flatten', 'flat', ['g'], ['y'], { axis: 1 }),
  ];
  const outputs = [valueInfo('y', ['N', 4])];
  if (opts.outputs === 2) outputs.push(valueInfo('c', ['N', 4, 6, 6]));
  return encodeModel(
    modelProto({
      graphName: 'tiny',
      nodes,
      initializers: [floatTensor('w', [4, 3, 3, 3], new Float32Array(108).fill(0.1))],
      inputs: [valueInfo('x', opts.inputShape ?? ['N', 3, 8, 8], opts.elemType)],
      outputs,
      metadata: opts.metadata,
    }),
  );
}

describe('custom model validation', () => {
  it('accepts a small CNN and proposes torchvision preprocessing at its input size', async () => {
    const m = await inspectCustomModel(tinyModel(), 'tiny.onnx');
    expect(m.numClasses).toBe(4);
    expect(m.manifest.inputShape).toEqual(['N', 3, 8, 8]);
    expect(m.manifest.preprocess).toMatchObject({ cropWidth: 8, cropHeight: 8, channelOrder: 'RGB', resizeShortSide: 9 });
    expect(m.manifest.labels).toEqual(['class 0', 'class 1', 'class 2', 'class 3']);
    expect(m.manifest.outputNeedsSoftmax).toBe(true);
    expect(m.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resolves a dynamic spatial size to the chosen input size', async () => {
    const m = await inspectCustomModel(tinyModel({ inputShape: ['N', 3, 'H', 'W'] }), 'dyn.onnx', { inputSize: 32 });
    expect(m.manifest.inputShape).toEqual(['N', 3, 32, 32]);
    expect(m.dynamicSize).toBe(true);
    // The engines get a copy with the size written in: the reference reads it without options.
    const again = await inspectCustomModel(m.bytes, 'fixed.onnx');
    expect(again.dynamicSize).toBe(false);
    expect(again.manifest.inputShape).toEqual(['N', 3, 32, 32]);
    expect(again.id).not.toBe(m.id);
  });

  it('keeps the bytes and reports a fixed size as not dynamic', async () => {
    const bytes = tinyModel();
    const m = await inspectCustomModel(bytes, 'tiny.onnx');
    expect(m.dynamicSize).toBe(false);
    expect(m.bytes).toBe(bytes);
  });

  it.each([
    ['a 0-byte file', new Uint8Array(0), /empty \(0 bytes\)/],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /not an ONNX model/],
    ['a truncated model', tinyModel().subarray(0, 300), /truncated|not an ONNX model/],
    ['an unsupported op', tinyModel({ op: 'Erf' }), /Erf/],
    ['the wrong input rank', tinyModel({ inputShape: ['N', 64] }), /input "x" has rank 2 \(\[N, 64\]\); a 4-D \[N, 3, H, W\] image input is needed/],
    ['a uint8 input', tinyModel({ elemType: 2 }), /input "x" holds uint8 values; a float32 image input is needed/],
    ['1-channel input', tinyModel({ inputShape: ['N', 1, 8, 8] }), /has 1 channels/],
    ['two outputs', tinyModel({ outputs: 2 }), /has 2 outputs; one output of class scores is needed/],
  ])('refuses %s with a specific message', async (_, bytes, message) => {
    const err = await inspectCustomModel(bytes, 'bad.onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustomModelError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('labels and preprocessing from the file (cnn_lens.* metadata)', () => {
  const pre = { resizeShortSide: 10, cropWidth: 99, cropHeight: 99, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] };

  it('uses the class names and preprocessing a taught file carries (the crop stays the input size)', async () => {
    const bytes = tinyModel({ metadata: { 'cnn_lens.labels': JSON.stringify(['keys', 'cup', 'pen', 'mug']), 'cnn_lens.preprocessing': JSON.stringify(pre) } });
    const m = await inspectCustomModel(bytes, 'taught.onnx');
    expect(m.manifest.labels).toEqual(['keys', 'cup', 'pen', 'mug']);
    expect(m.manifest.preprocess).toEqual({ ...pre, cropWidth: 8, cropHeight: 8 });
  });

  it('refuses labels that do not match the outputs, by key', async () => {
    const bytes = tinyModel({ metadata: { 'cnn_lens.labels': JSON.stringify(['keys', 'cup']) } });
    await expect(inspectCustomModel(bytes, 'taught.onnx')).rejects.toThrow('taught.onnx: metadata cnn_lens.labels must be a JSON array of 4 class names (one per output)');
    await expect(inspectCustomModel(tinyModel({ metadata: { 'cnn_lens.preprocessing': '{oops' } }), 'x.onnx')).rejects.toThrow('x.onnx: metadata cnn_lens.preprocessing is not valid JSON');
  });
});
