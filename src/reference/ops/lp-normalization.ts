// LpNormalization: divides every vector along one axis by its L1 or L2 norm. The taught-model
// head uses it (p = 2, axis 1) to put the embedding on the unit sphere before its Gemm.
// A vector whose norm is 0 stays 0 (onnxruntime does the same instead of dividing by zero).
import { defineOp, fail, intAttr, normAxis, size } from '../op.js';

export const LpNormalization = defineOp<{ p: 1 | 2; outer: number; length: number; inner: number }>({
  parse(ctx) {
    const shape = ctx.inputShapes[0];
    const axis = normAxis(ctx, intAttr(ctx, 'axis', -1), shape.length);
    const p = intAttr(ctx, 'p', 2);
    if (p !== 1 && p !== 2) fail(ctx, `p must be 1 or 2, got ${p}`);
    return { p, outer: size(shape.slice(0, axis)), length: shape[axis], inner: size(shape.slice(axis + 1)) };
  },
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: ({ p, outer, length, inner }) => (inputs, outputs) => {
    const x = inputs[0];
    const y = outputs[0];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * length * inner + j;
        let norm = 0;
        if (p === 2) {
          for (let i = 0; i < length; i++) norm += x[base + i * inner] * x[base + i * inner];
          norm = Math.sqrt(norm);
        } else {
          for (let i = 0; i < length; i++) norm += Math.abs(x[base + i * inner]);
        }
        const scale = norm > 0 ? 1 / norm : 0;
        for (let i = 0; i < length; i++) y[base + i * inner] = x[base + i * inner] * scale;
      }
    }
  },
});
