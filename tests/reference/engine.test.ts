// The execution API the inspector uses: stop after a node, intermediate tensors by name,
// per-node timings, buffer reuse, and the pooling what-if.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/model/seeded-rng.js';
import { ALL_OPS_INPUT_SHAPE, allOpsOnnx } from '../builders/all-ops.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { expectClose } from './expect-close.js';

const rng = createRng(11);
const input = Float32Array.from({ length: ALL_OPS_INPUT_SHAPE.reduce((a, b) => a * b) }, () => 2 * rng() - 1);

describe('reference engine execution API', () => {
  const engine = ReferenceEngine.load(allOpsOnnx());

  it('runs the whole graph with a timing per node', () => {
    const r = engine.run(input);
    expect(r.timings.map((t) => t.node)).toEqual(engine.layers.map((l) => l.node.name));
    expect(r.timings.every((t) => t.ms >= 0)).toBe(true);
    const p = r.outputs['probabilities'];
    expect(p.dims).toEqual([1, 10]);
    expectClose([p.data.reduce((a, b) => a + b, 0)], [1], { atol: 1e-5, rtol: 0 }, 'softmax sum');
  });

  it('stops after a named node and returns the wanted tensors as copies', () => {
    const full = engine.run(input, { want: ['pool1', 'concat'] });
    const r = engine.run(input, { stopAfter: 'pool1', want: ['input', 'relu1', 'pool1'] });
    expect(r.timings.at(-1)!.node).toBe('pool1');
    expect(r.timings.length).toBe(engine.layers.findIndex((l) => l.node.name === 'pool1') + 1);
    expect(r.outputs).toEqual({});
    expect(r.tensors['pool1'].dims).toEqual([1, 8, 9, 9]);
    expectClose(r.tensors['pool1'].data, full.tensors['pool1'].data, { atol: 0, rtol: 0 }, 'pool1');
    expect(() => engine.run(input, { stopAfter: 'pool1', want: ['concat'] })).toThrow(/not computed/);
    expect(() => engine.run(input, { stopAfter: 'nope' })).toThrow(/no node named "nope"/);
    // Copies: a later run must not change a returned tensor.
    const before = r.tensors['pool1'].data.slice();
    engine.run(input.map((v) => -v));
    expect(r.tensors['pool1'].data).toEqual(before);
  });

  it('reuses its buffers from frame to frame', () => {
    engine.run(input);
    const view = engine.view('concat')!.data;
    engine.run(input);
    expect(engine.view('concat')!.data).toBe(view);
  });

  it('runs a pooling node with the other pooling type (what-if)', () => {
    const r = engine.run(input, { want: ['norm1', 'pool1'] });
    const whatIf = engine.whatIfPool('pool1');
    expect(whatIf.type).toBe('average');
    expect(whatIf.tensor.dims).toEqual(r.tensors['pool1'].dims);
    // Average of a window never exceeds its max.
    for (let i = 0; i < whatIf.tensor.data.length; i++) expect(whatIf.tensor.data[i]).toBeLessThanOrEqual(r.tensors['pool1'].data[i] + 1e-6);
    // Top-left output: window rows/cols -1..1 with pad 1, so the mean of the 2x2 real pixels.
    const x = r.tensors['norm1'].data;
    expectClose([whatIf.tensor.data[0]], [(x[0] + x[1] + x[16] + x[17]) / 4], { atol: 1e-6, rtol: 1e-6 }, 'what-if cell');
    expect(engine.whatIfPool('gap').type).toBe('max');
    expect(() => engine.whatIfPool('conv1')).toThrow(/not a pooling node/);
  });
});
