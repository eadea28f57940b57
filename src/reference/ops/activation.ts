// Element-wise non-linearities: Relu, LeakyRelu, Sigmoid, Clip. Output shape = input shape.
// Clip reads min/max from attributes before opset 11 and from optional inputs since.
import { defineOp, fail, floatAttr, hasInput, type Kernel, type OpContext } from '../op.js';
import { size } from '../op.js';
import { clip, relu, type Activation } from '../kernels/fused-activation.js';

function unary(map: (attrs: { alpha: number }) => Kernel, parse: (ctx: OpContext) => { alpha: number } = () => ({ alpha: 0 })) {
  return defineOp<{ alpha: number }>({
    parse,
    outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
    kernel: (a) => map(a),
  });
}

const RELU: Activation = { kind: 'relu' };

export const Relu = defineOp<Record<string, never>>({
  parse: () => ({}),
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: () => (inputs, outputs) => {
    const x = inputs[0];
    const y = outputs[0];
    for (let i = 0; i < x.length; i++) y[i] = relu(x[i]);
  },
  activation: () => RELU,
});

export const LeakyRelu = unary(
  ({ alpha }) =>
    (inputs, outputs) => {
      const x = inputs[0];
      const y = outputs[0];
      for (let i = 0; i < x.length; i++) y[i] = x[i] >= 0 ? x[i] : alpha * x[i];
    },
  (ctx) => ({ alpha: floatAttr(ctx, 'alpha', 0.01) }),
);

export const Sigmoid = unary(() => (inputs, outputs) => {
  const x = inputs[0];
  const y = outputs[0];
  for (let i = 0; i < x.length; i++) {
    // Split by sign so exp never overflows for large |x|.
    const v = x[i];
    if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
});

interface ClipAttributes {
  /** null: read from the runtime input of that index. */
  min: number | null;
  max: number | null;
  minInput: boolean;
  maxInput: boolean;
}

const FLOAT_MAX = 3.4028234663852886e38;

export function parseClipAttributes(ctx: OpContext): ClipAttributes {
  if (ctx.opset < 11) {
    return { min: floatAttr(ctx, 'min', -FLOAT_MAX), max: floatAttr(ctx, 'max', FLOAT_MAX), minInput: false, maxInput: false };
  }
  const bound = (i: number, fallback: number): number | null => {
    if (!hasInput(ctx, i)) return fallback;
    if (size(ctx.inputShapes[i]) !== 1) fail(ctx, `${i === 1 ? 'min' : 'max'} must be a scalar`);
    const c = ctx.constants[i];
    return c ? Number(c.data[0]) : null;
  };
  return { min: bound(1, -Infinity), max: bound(2, Infinity), minInput: hasInput(ctx, 1), maxInput: hasInput(ctx, 2) };
}

export const Clip = defineOp<ClipAttributes>({
  parse: parseClipAttributes,
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: (a) => (inputs, outputs) => {
    const x = inputs[0];
    const y = outputs[0];
    const lo = a.min ?? inputs[1][0];
    const hi = a.max ?? inputs[2][0];
    for (let i = 0; i < x.length; i++) y[i] = clip(x[i], lo, hi);
  },
  // Bounds given as constants (MobileNetV2's Relu6 is Clip(0, 6)) can be applied by the conv before.
  activation: (a) => (a.min !== null && a.max !== null ? { kind: 'clip', lo: a.min, hi: a.max } : null),
});
