// Normalisation: LRN (across channels, as in AlexNet) and BatchNormalization in inference mode.
// Not supported: BatchNormalization in training mode (training_mode = 1 or extra outputs).
import { defineOp, fail, floatAttr, floatConstant, intAttr, unsupported, type OpContext } from '../op.js';

export interface LrnAttributes {
  size: number;
  alpha: number;
  beta: number;
  bias: number;
}

export function parseLrnAttributes(ctx: OpContext): LrnAttributes {
  const size = intAttr(ctx, 'size', 0);
  if (size < 1) fail(ctx, 'size is required and must be positive');
  if (ctx.inputShapes[0].length < 3) fail(ctx, 'input must be [N, C, ...]');
  return { size, alpha: floatAttr(ctx, 'alpha', 1e-4), beta: floatAttr(ctx, 'beta', 0.75), bias: floatAttr(ctx, 'bias', 1) };
}

export const LRN = defineOp<LrnAttributes>({
  parse: parseLrnAttributes,
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel(a, ctx) {
    const [n, c, ...rest] = ctx.inputShapes[0];
    const area = rest.reduce((x, y) => x * y, 1);
    // The window over channels is [c - floor((size-1)/2), c + ceil((size-1)/2)], clipped.
    const before = Math.floor((a.size - 1) / 2);
    const after = Math.ceil((a.size - 1) / 2);
    const scale = a.alpha / a.size;
    return (inputs, outputs) => {
      const x = inputs[0];
      const y = outputs[0];
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          const lo = Math.max(0, ch - before);
          const hi = Math.min(c - 1, ch + after);
          const out = (b * c + ch) * area;
          for (let i = 0; i < area; i++) {
            let s = 0;
            for (let k = lo; k <= hi; k++) {
              const v = x[(b * c + k) * area + i];
              s += v * v;
            }
            y[out + i] = x[out + i] / Math.pow(a.bias + scale * s, a.beta);
          }
        }
      }
    };
  },
});

export interface BatchNormAttributes {
  epsilon: number;
}

export const BatchNormalization = defineOp<BatchNormAttributes>({
  parse(ctx) {
    if (intAttr(ctx, 'training_mode', 0) !== 0 || ctx.node.outputs.filter((o) => o).length > 1) {
      unsupported(ctx, 'only inference mode (one output) is supported');
    }
    const c = ctx.inputShapes[0][1];
    for (let i = 1; i <= 4; i++) if (ctx.inputShapes[i]?.join() !== String(c)) fail(ctx, `input ${i} must have shape [${c}]`);
    return { epsilon: floatAttr(ctx, 'epsilon', 1e-5) };
  },
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel(a, ctx) {
    const [n, c, ...rest] = ctx.inputShapes[0];
    const area = rest.reduce((x, y) => x * y, 1);
    const gamma = floatConstant(ctx, 1, 'scale');
    const beta = floatConstant(ctx, 2, 'B');
    const mean = floatConstant(ctx, 3, 'mean');
    const variance = floatConstant(ctx, 4, 'var');
    // Folded once: y = x * mul[c] + add[c].
    const mul = new Float64Array(c);
    const add = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      mul[ch] = gamma[ch] / Math.sqrt(variance[ch] + a.epsilon);
      add[ch] = beta[ch] - mean[ch] * mul[ch];
    }
    return (inputs, outputs) => {
      const x = inputs[0];
      const y = outputs[0];
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          const m = mul[ch];
          const d = add[ch];
          const base = (b * c + ch) * area;
          for (let i = base; i < base + area; i++) y[i] = x[i] * m + d;
        }
      }
    };
  },
});
