// 8-bit weights stored as uint8 + DequantizeLinear (how the converted MobileNetV2 keeps its
// download small) are folded by the reader into float constants, per tensor and per axis; a
// DequantizeLinear of a runtime tensor is refused with a message that says what is supported.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { onnx } from '../../src/model/generated/onnx-pb.js';
import { decodeOnnx } from '../../src/model/onnx-read.js';
import { readOnnx } from '../../src/reference/load-graph.js';
import { encodeModel, floatTensor, modelProto, node, valueInfo } from '../../src/model/onnx-write.js';
import { ReferenceEngine } from '../../src/reference/engine.js';

const UINT8 = onnx.TensorProto.DataType.UINT8;

function convWithQuantizedWeights(perAxis: boolean): Uint8Array {
  // Weights [2, 1, 1, 2]: q = [10, 20, 30, 40]; per tensor scale 0.5, zp 20; per axis scales [0.5, 0.25], zps [20, 40].
  const scale = perAxis ? Float32Array.of(0.5, 0.25) : Float32Array.of(0.5);
  const zp = perAxis ? Uint8Array.of(20, 40) : Uint8Array.of(20);
  const sDims = perAxis ? [2] : [];
  return encodeModel(
    modelProto({
      graphName: 'dq',
      nodes: [
        node('DequantizeLinear', 'w/dq', ['w/q', 'w/scale', 'w/zp'], ['w'], perAxis ? { axis: 0 } : {}),
        node('Conv', 'conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }),
      ],
      initializers: [
        { name: 'w/q', dims: [2, 2, 1, 1], dataType: UINT8, rawData: Uint8Array.of(10, 20, 30, 40) },
        floatTensor('w/scale', sDims, scale),
        { name: 'w/zp', dims: sDims, dataType: UINT8, rawData: zp },
      ],
      inputs: [valueInfo('x', [1, 2, 1, 1])],
      outputs: [valueInfo('y', [1, 2, 1, 1])],
    }),
  );
}

describe('DequantizeLinear of initializers', () => {
  it.each([
    [false, [-5, 0, 5, 10]],
    [true, [-5, 0, -2.5, 0]],
  ])('per axis %s: folded into float weights the Conv reads as constants', async (perAxis, weights) => {
    const bytes = convWithQuantizedWeights(perAxis);
    const graph = readOnnx(bytes);
    expect(graph.nodes.map((n) => n.opType)).toEqual(['Conv']);
    const w = graph.initializers.get('w');
    expect(w?.kind === 'float' && Array.from(w.data)).toEqual(weights);
    const x = Float32Array.of(1, 2);
    const ref = ReferenceEngine.load(bytes).run(x).outputs.y.data;
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const trusted = (await session.run({ x: new ort.Tensor('float32', x, [1, 2, 1, 1]) })).y.data as Float32Array;
    await session.release();
    expect(Array.from(ref)).toEqual(Array.from(trusted));
    expect(Array.from(ref)).toEqual([weights[0] + 2 * weights[1], weights[2] + 2 * weights[3]]);
  });

  it('refuses a DequantizeLinear that reads a runtime tensor', () => {
    const bytes = encodeModel(
      modelProto({
        graphName: 'dq-runtime',
        nodes: [node('DequantizeLinear', 'dq', ['w/q', 'scale'], ['y'])],
        initializers: [{ name: 'w/q', dims: [2], dataType: UINT8, rawData: Uint8Array.of(1, 2) }],
        inputs: [valueInfo('scale', [])],
        outputs: [valueInfo('y', [2])],
      }),
    );
    expect(decodeOnnx(bytes).nodes).toHaveLength(1);
    expect(() => readOnnx(bytes)).toThrow(/unsupported op DequantizeLinear at node "dq" \(only DequantizeLinear of initializers/);
  });
});
