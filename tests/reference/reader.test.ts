// The ONNX reader: typed errors for every way a file can be refused, and the parsed graph.
import { describe, expect, it } from 'vitest';
import { decodeOnnx, ModelError, type ModelErrorKind } from '../../src/model/onnx-read.js';
import { readOnnx } from '../../src/reference/load-graph.js';
import { encodeModel, floatTensor, int64Tensor, modelProto, node, valueInfo } from '../../src/model/onnx-write.js';
import { onnx } from '../../src/model/generated/onnx-pb.js';
import { allOpsOnnx } from '../builders/all-ops.js';
import { checkSupported, SUPPORTED_OPS } from '../../src/reference/op-table.js';

function refused(bytes: Uint8Array, kind: ModelErrorKind): ModelError {
  try {
    readOnnx(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).kind).toBe(kind);
    return err as ModelError;
  }
  throw new Error(`expected a ${kind} error`);
}

const tiny = (nodes = [node('Relu', 'act', ['x'], ['y'])], input = valueInfo('x', [1, 3, 4, 4])): Uint8Array =>
  encodeModel(modelProto({ graphName: 't', nodes, initializers: [], inputs: [input], outputs: [valueInfo('y', [1, 3, 4, 4])] }));

describe('ONNX reader', () => {
  it('parses nodes in topological order with attributes, initializers and shapes', () => {
    const g = readOnnx(allOpsOnnx());
    const seen = new Set(g.inputs.map((i) => i.name));
    for (const n of g.nodes) {
      for (const i of n.inputs) if (i && !g.initializers.has(i)) expect(seen.has(i), `${n.name} reads ${i} before it exists`).toBe(true);
      n.outputs.forEach((o) => seen.add(o));
    }
    expect(g.nodes.find((n) => n.name === 'pool1')!.attributes.get('kernel_shape')).toEqual([3, 3]);
    expect(g.initializers.get('reshape.shape')).toMatchObject({ kind: 'int', data: [0, -1] });
    expect(g.shapes.get('pool1')).toEqual([1, 8, 9, 9]);
    expect(g.shapes.get('probabilities')).toEqual([1, 10]);
  });

  it('sorts a graph whose nodes are stored out of order', () => {
    const g = readOnnx(tiny([node('Relu', 'second', ['h'], ['y']), node('Sigmoid', 'first', ['x'], ['h'])]));
    expect(g.nodes.map((n) => n.name)).toEqual(['first', 'second']);
  });

  it('reads float_data and int64_data as well as raw_data', () => {
    const bytes = encodeModel(
      modelProto({
        graphName: 't',
        nodes: [node('Add', 'add', ['x', 'b'], ['s']), node('Reshape', 'r', ['s', 'shape'], ['y'])],
        initializers: [{ name: 'b', dims: [2], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1, 2] }, int64Tensor('shape', [1], [-1])],
        inputs: [valueInfo('x', [1, 2])],
        outputs: [valueInfo('y', [2])],
      }),
    );
    const g = readOnnx(bytes);
    expect(g.initializers.get('b')).toMatchObject({ kind: 'float', data: Float32Array.of(1, 2) });
    expect(g.shapes.get('y')).toEqual([2]);
  });

  it('resolves a dynamic batch dimension to 1', () => {
    expect(readOnnx(tiny(undefined, valueInfo('x', ['N', 3, 4, 4]))).shapes.get('x')).toEqual([1, 3, 4, 4]);
  });

  it('refuses bytes that are not ONNX', () => {
    expect(refused(new TextEncoder().encode('this is a JPEG, honestly'), 'not-onnx').message).toMatch(/not an ONNX model/);
  });

  it('refuses a truncated file', () => {
    const bytes = allOpsOnnx();
    refused(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'truncated');
  });

  it('names the unsupported op and its node', () => {
    const err = refused(tiny([node('Relu', 'act', ['x'], ['h']), node('Tanh', 'squash', ['h'], ['y'])]), 'unsupported-op');
    expect(err.message).toBe('unsupported op Tanh at node "squash"');
    expect([err.opType, err.nodeName]).toEqual(['Tanh', 'squash']);
    expect(checkSupported(decodeOnnx(tiny([node('Tanh', 'squash', ['x'], ['y'])])))).toEqual([
      { nodeName: 'squash', opType: 'Tanh', message: 'unsupported op Tanh at node "squash"' },
    ]);
    expect(SUPPORTED_OPS).toContain('Conv');
  });

  it('refuses a dynamic dimension it cannot resolve, unless given', () => {
    const bytes = tiny(undefined, valueInfo('x', [1, 3, 'H', 4]));
    expect(refused(bytes, 'dynamic-dimension').message).toMatch(/dimension 2 \("H"\)/);
    expect(readOnnx(bytes, { dims: { H: 4 } }).shapes.get('y')).toEqual([1, 3, 4, 4]);
  });

  it('refuses a non-float input', () => {
    expect(refused(tiny(undefined, valueInfo('x', [1, 3, 4, 4], onnx.TensorProto.DataType.UINT8)), 'non-float-input').message).toMatch(/UINT8/);
  });

  it('refuses shapes that do not fit, naming the node', () => {
    const bytes = encodeModel(
      modelProto({
        graphName: 't',
        nodes: [node('Conv', 'conv', ['x', 'w'], ['y'], { kernel_shape: [5, 5] })],
        initializers: [floatTensor('w', [2, 3, 5, 5], new Float32Array(150))],
        inputs: [valueInfo('x', [1, 3, 4, 4])],
        outputs: [valueInfo('y', [1, 2, 1, 1])],
      }),
    );
    expect(refused(bytes, 'invalid-model').message).toMatch(/node "conv" \(Conv\)/);
  });
});
