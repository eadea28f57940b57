// Softmax. Since opset 13 it normalises along one axis (default -1); before, the input is seen as
// 2-D [prod(dims[:axis]), prod(dims[axis:])] (default axis 1) and each row is normalised.
import { defineOp, intAttr, normAxis, size } from '../op.js';

export const Softmax = defineOp<{ outer: number; length: number; inner: number }>({
  parse(ctx) {
    const shape = ctx.inputShapes[0];
    const legacy = ctx.opset < 13;
    const axis = normAxis(ctx, intAttr(ctx, 'axis', legacy ? 1 : -1), shape.length);
    if (legacy) return { outer: size(shape.slice(0, axis)), length: size(shape.slice(axis)), inner: 1 };
    return { outer: size(shape.slice(0, axis)), length: shape[axis], inner: size(shape.slice(axis + 1)) };
  },
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: ({ outer, length, inner }) => (inputs, outputs) => {
    const x = inputs[0];
    const y = outputs[0];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * length * inner + j;
        let max = -Infinity;
        for (let i = 0; i < length; i++) max = Math.max(max, x[base + i * inner]);
        // Subtracting the max keeps exp in range; the result is unchanged.
        let sum = 0;
        for (let i = 0; i < length; i++) {
          const e = Math.exp(x[base + i * inner] - max);
          y[base + i * inner] = e;
          sum += e;
        }
        for (let i = 0; i < length; i++) y[base + i * inner] /= sum;
      }
    }
  },
});
