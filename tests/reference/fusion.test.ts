// Conv + activation fusion (engine.ts, kernels/fused-activation.ts): every conv kernel's fused form
// stores exactly Relu(conv) or Clip(conv), whole and split; the engine fuses only when the Conv's
// own output is not asked for, and a run that asks for it (or stops after it) still gets the
// pre-activation values.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderModel, INPUT_SHAPE } from '../builders/classifiers.js';
import { opModel, type OpTest } from '../builders/op-model.js';
import { createRng } from '../../src/model/seeded-rng.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { convPlanOf } from '../../src/reference/ops/conv.js';
import { Workspace } from '../../src/reference/workspace.js';
import type { Activation } from '../../src/reference/kernels/fused-activation.js';
import { DEFAULT_MODEL } from '../../scripts/parity.js';
import { loadBuiltModel } from '../../scripts/lib/default-model.js';

const reluOf = (x: Float32Array): number[] => Array.from(x, (v) => (v > 0 ? v : 0));
// Relu6 as Float32 values: a bound of 0.25 makes the clip bite on these cases' small outputs.
const clipOf = (x: Float32Array, lo: number, hi: number): number[] => Array.from(x, (v) => Math.min(Math.max(v, lo), hi));
const ACTIVATIONS: { act: Activation; expected: (x: Float32Array) => number[] }[] = [
  { act: { kind: 'relu' }, expected: reluOf },
  { act: { kind: 'clip', lo: -0.25, hi: 0.25 }, expected: (x) => clipOf(x, -0.25, 0.25) },
];

describe('fused Conv + activation kernels', () => {
  const load = (file: string) => (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'ops', file), 'utf8')) as OpTest[])[0];
  const cases = [...load('conv.json').cases, ...load('depthwise.json').cases].filter((c) => c.inputs[1]?.initializer && !c.inputs.some((i) => i?.int64));

  it('store exactly act(conv) with every kernel (dense, Winograd, sparse, depthwise), whole and in parts', () => {
    const methods = new Set<string>();
    let checked = 0;
    for (const c of cases) {
      const m = opModel('Conv', c);
      const engine = ReferenceEngine.load(m.bytes);
      const layer = engine.layers[0];
      const constants = layer.node.inputs.map((n) => engine.graph.initializers.get(n));
      methods.add(convPlanOf({ node: layer.node, inputShapes: layer.inputShapes, constants, opset: engine.graph.opset }).method);
      engine.run(Object.fromEntries(m.feeds.map((f) => [f.name, f.data])));
      for (const { act, expected } of ACTIVATIONS) {
        const fused = layer.op.createFusedPartKernel!(act)!;
        const out = new Float32Array(layer.outputs[0].length);
        for (const parts of [1, 2, 3]) {
          out.fill(NaN);
          for (let p = 0; p < parts; p++) fused(layer.inputs, [out], new Workspace(), p, parts);
          expect(Array.from(out), `${c.name} ${act.kind} in ${parts} parts`).toEqual(expected(layer.outputs[0]));
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(14);
    expect([...methods].sort()).toEqual(['depthwise', 'gemm', 'sparse', 'winograd']);
  });
});

describe('engine fusion', () => {
  const model = builderModel('conv1x1');
  const rng = createRng(21);
  const input = Float32Array.from({ length: INPUT_SHAPE.reduce((a, b) => a * b) }, () => 2 * rng() - 1);

  it('fuses each Conv read only by the Relu after it', () => {
    const engine = ReferenceEngine.load(model.bytes);
    expect(engine.layers.filter((l) => l.fused).map((l) => l.node.name)).toEqual(['conv1', 'conv2', 'conv10']);
  });

  it('gives the same bits fused and unfused, and still returns the pre-activation conv when asked', () => {
    const engine = ReferenceEngine.load(model.bytes);
    const plain = engine.run(input, { want: 'all' });
    expect(plain.timings.some((t) => t.fusedInto)).toBe(false);
    expect(Math.min(...plain.tensors['conv2'].data)).toBeLessThan(0); // Relu changes something

    const fused = engine.run(input, { want: ['relu1', 'relu2', 'relu10'] });
    for (const name of ['relu1', 'relu2', 'relu10']) expect(Array.from(fused.tensors[name].data), name).toEqual(Array.from(plain.tensors[name].data));
    const out = engine.outputNames[0];
    expect(Array.from(fused.outputs[out].data)).toEqual(Array.from(plain.outputs[out].data));
    expect(fused.timings.map((t) => t.node)).toEqual(engine.layers.map((l) => l.node.name));
    expect(fused.timings.filter((t) => t.fusedInto).map((t) => [t.node, t.fusedInto, t.ms])).toEqual([
      ['relu1', 'conv1', 0],
      ['relu2', 'conv2', 0],
      ['relu10', 'conv10', 0],
    ]);

    // Asking for a conv's output runs that pair unfused; the others stay fused.
    const asked = engine.run(input, { want: ['conv2', 'relu2'] });
    expect(Array.from(asked.tensors['conv2'].data)).toEqual(Array.from(plain.tensors['conv2'].data));
    expect(Array.from(asked.tensors['relu2'].data)).toEqual(Array.from(plain.tensors['relu2'].data));
    expect(asked.timings.filter((t) => t.fusedInto).map((t) => t.node)).toEqual(['relu1', 'relu10']);

    // Stopping after a conv computes it as written (its Relu does not run).
    const stopped = engine.run(input.map((v) => -v), { stopAfter: 'conv1', want: ['conv1'] });
    const again = engine.run(input.map((v) => -v), { want: 'all' });
    expect(Array.from(stopped.tensors['conv1'].data)).toEqual(Array.from(again.tensors['conv1'].data));
  });

  it.runIf(existsSync(DEFAULT_MODEL))('SqueezeNet: 26 fused pairs, the same class scores as unfused, bit for bit', () => {
    const engine = ReferenceEngine.load(new Uint8Array(readFileSync(DEFAULT_MODEL)));
    expect(engine.layers.filter((l) => l.fused)).toHaveLength(26);
    const x = Float32Array.from({ length: 3 * 227 * 227 }, (_, i) => ((i * 7919) % 255) / 64 - 2);
    const plain = engine.run(x, { want: 'all' });
    const fused = engine.run(x);
    const out = engine.outputNames[0];
    expect(Array.from(fused.outputs[out].data)).toEqual(Array.from(plain.outputs[out].data));
  }, 60_000);

  it('MobileNetV2: 35 Conv + Relu6 pairs fused, the same class scores as unfused, bit for bit', () => {
    const model = loadBuiltModel('mobilenet_v2');
    const engine = ReferenceEngine.load(model.bytes);
    const fused = engine.layers.filter((l) => l.fused);
    // The stem, every expand and depthwise conv, and the head conv: each is followed by Clip(0, 6).
    expect(fused).toHaveLength(35);
    expect(fused.filter((l) => l.node.name.endsWith('/depthwise'))).toHaveLength(17);
    const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 7919) % 255) / 128 - 1);
    const plain = engine.run(x, { want: 'all' });
    const run = engine.run(x);
    expect(run.timings.filter((t) => t.fusedInto)).toHaveLength(35);
    const out = engine.outputNames[0];
    expect(Array.from(run.outputs[out].data)).toEqual(Array.from(plain.outputs[out].data));
  }, 60_000);
});
