// Binary element-wise ops with numpy (multidirectional) broadcasting: Add, Mul.
import type { Shape } from '../../model/onnx-read.js';
import { defineOp, fail, size, type OpContext } from '../op.js';

export function broadcastShape(ctx: OpContext, a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(ctx, `shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Strides of `shape` read in the index space of `out`; broadcast axes get stride 0. */
function broadcastStrides(shape: Shape, out: Shape): Int32Array {
  const strides = new Int32Array(out.length);
  let s = 1;
  for (let i = out.length - 1; i >= 0; i--) {
    const d = shape[shape.length - out.length + i] ?? 1;
    strides[i] = d === 1 ? 0 : s;
    s *= d;
  }
  return strides;
}

type Binary = 'add' | 'mul';

function binary(kind: Binary) {
  return defineOp<{ kind: Binary }>({
    parse: () => ({ kind }),
    outputShapes: (_a, ctx) => [broadcastShape(ctx, ctx.inputShapes[0], ctx.inputShapes[1])],
    kernel(_a, ctx, [outShape]) {
      const total = size(outShape);
      const rank = outShape.length;
      const sa = broadcastStrides(ctx.inputShapes[0], outShape);
      const sb = broadcastStrides(ctx.inputShapes[1], outShape);
      const inner = rank ? outShape[rank - 1] : 1;
      const ia = rank ? sa[rank - 1] : 0;
      const ib = rank ? sb[rank - 1] : 0;
      const index = new Int32Array(rank);
      const add = kind === 'add';
      return (inputs, outputs) => {
        const a = inputs[0];
        const b = inputs[1];
        const y = outputs[0];
        if (a.length === total && b.length === total) {
          if (add) for (let i = 0; i < total; i++) y[i] = a[i] + b[i];
          else for (let i = 0; i < total; i++) y[i] = a[i] * b[i];
          return;
        }
        index.fill(0);
        let pa = 0;
        let pb = 0;
        // Walk the output one innermost row at a time, carrying the outer indices like an odometer.
        for (let o = 0; o < total; o += inner) {
          let qa = pa;
          let qb = pb;
          if (add) for (let i = 0; i < inner; i++, qa += ia, qb += ib) y[o + i] = a[qa] + b[qb];
          else for (let i = 0; i < inner; i++, qa += ia, qb += ib) y[o + i] = a[qa] * b[qb];
          for (let d = rank - 2; d >= 0; d--) {
            index[d]++;
            pa += sa[d];
            pb += sb[d];
            if (index[d] < outShape[d]) break;
            pa -= sa[d] * outShape[d];
            pb -= sb[d] * outShape[d];
            index[d] = 0;
          }
        }
      };
    },
  });
}

export const Add = binary('add');
export const Mul = binary('mul');
