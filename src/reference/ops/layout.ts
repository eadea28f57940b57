// Ops that move or pass data without arithmetic: Concat, Flatten, Reshape, Identity, Dropout (inference).
// Not supported: Reshape with a shape computed at run time, Dropout's mask output.
import type { Shape } from '../../model/onnx-read.js';
import { defineOp, fail, intAttr, normAxis, size, unsupported, type OpContext } from '../op.js';

const copy = defineOp<null>({
  parse: (ctx) => {
    if (ctx.node.opType === 'Dropout' && ctx.node.outputs.length > 1 && ctx.node.outputs[1]) unsupported(ctx, 'the mask output is not supported');
    return null;
  },
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: () => (inputs, outputs) => outputs[0].set(inputs[0]),
});

export const Identity = copy;
/** Inference-time Dropout is the identity (ONNX Runtime ignores ratio unless training_mode is set). */
export const Dropout = copy;

export const Concat = defineOp<{ axis: number }>({
  parse(ctx) {
    const rank = ctx.inputShapes[0].length;
    const axis = normAxis(ctx, intAttr(ctx, 'axis', NaN), rank);
    for (const s of ctx.inputShapes) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== ctx.inputShapes[0][i])) {
        fail(ctx, `inputs [${ctx.inputShapes.map((x) => x.join('x')).join('], [')}] differ outside axis ${axis}`);
      }
    }
    return { axis };
  },
  outputShapes: ({ axis }, ctx) => {
    const out = [...ctx.inputShapes[0]];
    out[axis] = ctx.inputShapes.reduce((t, s) => t + s[axis], 0);
    return [out];
  },
  kernel({ axis }, ctx, [out]) {
    // Each input contributes a contiguous block of (its axis size x inner) floats per outer index.
    const outer = size(out.slice(0, axis));
    const inner = size(out.slice(axis + 1));
    const blocks = ctx.inputShapes.map((s) => s[axis] * inner);
    const outBlock = out[axis] * inner;
    return (inputs, outputs) => {
      const y = outputs[0];
      let offset = 0;
      for (let j = 0; j < inputs.length; j++) {
        const x = inputs[j];
        const n = blocks[j];
        for (let o = 0; o < outer; o++) y.set(x.subarray(o * n, o * n + n), o * outBlock + offset);
        offset += n;
      }
    };
  },
});

export const Flatten = defineOp<{ axis: number }>({
  parse(ctx) {
    const rank = ctx.inputShapes[0].length;
    const axis = intAttr(ctx, 'axis', 1);
    // Flatten allows axis == rank (everything goes to the first dimension).
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a > rank) fail(ctx, `axis ${axis} is out of range for rank ${rank}`);
    return { axis: a };
  },
  outputShapes: ({ axis }, ctx) => [[size(ctx.inputShapes[0].slice(0, axis)), size(ctx.inputShapes[0].slice(axis))]],
  kernel: () => (inputs, outputs) => outputs[0].set(inputs[0]),
});

export function reshapeTarget(ctx: OpContext, input: Shape, requested: number[], allowZero: boolean): Shape {
  const out = requested.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= input.length) fail(ctx, `shape entry ${i} is 0 but the input has rank ${input.length}`);
      return input[i];
    }
    return d;
  });
  const unknown = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) fail(ctx, 'at most one shape entry may be -1');
  const known = size(out.filter((d) => d !== -1));
  const total = size(input);
  if (unknown >= 0) {
    if (known === 0 || total % known !== 0) fail(ctx, `cannot infer -1: ${total} values do not split into ${known}`);
    out[unknown] = total / known;
  }
  if (size(out) !== total || out.some((d) => d < 0)) fail(ctx, `cannot reshape [${input.join(', ')}] to [${requested.join(', ')}]`);
  return out;
}

export const Reshape = defineOp<{ shape: Shape }>({
  parse(ctx) {
    const c = ctx.constants[1];
    if (!c) unsupported(ctx, 'the target shape must be an initializer (int64)');
    if (c.kind !== 'int') fail(ctx, 'the target shape must be int64');
    return { shape: reshapeTarget(ctx, ctx.inputShapes[0], c.data, intAttr(ctx, 'allowzero', 0) === 1) };
  },
  outputShapes: ({ shape }) => [shape],
  kernel: () => (inputs, outputs) => outputs[0].set(inputs[0]),
});
