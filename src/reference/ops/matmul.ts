// Dense products: Gemm (alpha, beta, transA, transB, optional C broadcast to [M, N]) and MatMul
// (numpy semantics: 1-D operands promoted, batch dimensions broadcast).
// Inner loops run over contiguous memory: a constant B is re-laid out once at load as [N, K].
import type { Shape } from '../../model/onnx-read.js';
import { defineOp, fail, floatAttr, hasInput, intAttr, size, type OpContext } from '../op.js';
import { broadcastShape } from './elementwise.js';

export interface GemmAttributes {
  alpha: number;
  beta: number;
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
}

export function parseGemmAttributes(ctx: OpContext): GemmAttributes {
  const [a, b] = ctx.inputShapes;
  if (a.length !== 2 || b.length !== 2) fail(ctx, `A and B must be 2-D, got [${a.join(', ')}] and [${b.join(', ')}]`);
  const transA = intAttr(ctx, 'transA', 0) === 1;
  const transB = intAttr(ctx, 'transB', 0) === 1;
  const [M, K] = transA ? [a[1], a[0]] : a;
  const [Kb, N] = transB ? [b[1], b[0]] : b;
  if (K !== Kb) fail(ctx, `inner dimensions differ: A gives ${K}, B gives ${Kb}`);
  if (hasInput(ctx, 2) && broadcastShape(ctx, ctx.inputShapes[2], [M, N]).join() !== `${M},${N}`) {
    fail(ctx, `C [${ctx.inputShapes[2].join(', ')}] does not broadcast to [${M}, ${N}]`);
  }
  return { alpha: floatAttr(ctx, 'alpha', 1), beta: floatAttr(ctx, 'beta', 1), transA, transB, M, N, K };
}

/** Copies a [rows, cols] matrix stored with strides (rowStride, colStride) into row-major out. */
function gather(src: Float32Array, offset: number, rows: number, cols: number, rowStride: number, colStride: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = src[offset + r * rowStride + c * colStride];
}

/** y[m, n] = sum_k a[m, k] * bt[n, k], both row-major with K contiguous; four outputs per pass over a. */
export function matmulTransposedB(a: Float32Array, aOff: number, bt: Float32Array, y: Float32Array, yOff: number, M: number, N: number, K: number, scale: number): void {
  for (let m = 0; m < M; m++) {
    const ar = aOff + m * K;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = n * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const v = a[ar + k];
        s0 += v * bt[b0 + k];
        s1 += v * bt[b1 + k];
        s2 += v * bt[b2 + k];
        s3 += v * bt[b3 + k];
      }
      const o = yOff + m * N + n;
      y[o] = s0 * scale; y[o + 1] = s1 * scale; y[o + 2] = s2 * scale; y[o + 3] = s3 * scale;
    }
    for (; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ar + k] * bt[n * K + k];
      y[yOff + m * N + n] = s * scale;
    }
  }
}

export const Gemm = defineOp<GemmAttributes>({
  parse: parseGemmAttributes,
  outputShapes: (g) => [[g.M, g.N]],
  macs: (g) => g.M * g.N * g.K,
  kernel(g, ctx) {
    const { M, N, K, alpha, beta, transA, transB } = g;
    const constB = ctx.constants[1];
    let bt: Float32Array | null = null;
    if (constB && constB.kind === 'float') {
      bt = transB ? constB.data : new Float32Array(N * K);
      if (!transB) gather(constB.data, 0, N, K, 1, N, bt);
    }
    const cShape: Shape | null = hasInput(ctx, 2) ? ctx.inputShapes[2] : null;
    const aRow = new Float32Array(transA ? M * K : 0);
    const bScratch = bt ? null : new Float32Array(N * K);
    return (inputs, outputs) => {
      let a = inputs[0];
      if (transA) {
        gather(a, 0, M, K, 1, M, aRow);
        a = aRow;
      }
      let b = bt;
      if (!b) {
        b = bScratch!;
        // B^T as [N, K]: from B [K, N] (transB = 0) or B itself [N, K].
        gather(inputs[1], 0, N, K, transB ? K : 1, transB ? 1 : N, b);
      }
      const y = outputs[0];
      matmulTransposedB(a, 0, b, y, 0, M, N, K, alpha);
      if (cShape && beta !== 0) {
        const c = inputs[2];
        const rs = cShape.length === 2 && cShape[0] !== 1 ? (cShape[1] === 1 ? 1 : N) : 0;
        const cs = cShape.length === 0 || cShape[cShape.length - 1] === 1 ? 0 : 1;
        for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) y[m * N + n] += beta * c[m * rs + n * cs];
      }
    };
  },
});

interface MatMulAttributes {
  M: number;
  N: number;
  K: number;
  /** Batch shape of the output (empty for plain 2-D). */
  batch: Shape;
  out: Shape;
}

function parseMatMul(ctx: OpContext): MatMulAttributes {
  const [a, b] = ctx.inputShapes;
  if (a.length === 0 || b.length === 0) fail(ctx, 'operands must have rank >= 1');
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const M = a2[a2.length - 2];
  const K = a2[a2.length - 1];
  const N = b2[b2.length - 1];
  if (b2[b2.length - 2] !== K) fail(ctx, `inner dimensions differ: [${a.join(', ')}] x [${b.join(', ')}]`);
  const batch = broadcastShape(ctx, a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch, ...(a.length === 1 ? [] : [M]), ...(b.length === 1 ? [] : [N])];
  return { M, N, K, batch, out };
}

export const MatMul = defineOp<MatMulAttributes>({
  parse: parseMatMul,
  outputShapes: (m) => [m.out],
  macs: (m) => size(m.batch) * m.M * m.N * m.K,
  kernel(m, ctx) {
    const { M, N, K, batch } = m;
    const aBatch = ctx.inputShapes[0].length > 2 ? ctx.inputShapes[0].slice(0, -2) : [];
    const bBatch = ctx.inputShapes[1].length > 2 ? ctx.inputShapes[1].slice(0, -2) : [];
    const batches = size(batch);
    // Offset of batch item i in A and B, with broadcast dimensions repeating.
    const offsetOf = (shape: Shape, i: number, matrix: number): number => {
      let off = 0;
      let stride = matrix;
      let rem = i;
      for (let d = batch.length - 1; d >= 0; d--) {
        const idx = rem % batch[d];
        rem = Math.floor(rem / batch[d]);
        const sd = shape[shape.length - batch.length + d] ?? 1;
        if (sd !== 1) off += idx * stride;
        stride *= sd;
      }
      return off;
    };
    const aOffsets = Array.from({ length: batches }, (_, i) => offsetOf(aBatch, i, M * K));
    const bOffsets = Array.from({ length: batches }, (_, i) => offsetOf(bBatch, i, K * N));
    const bt = new Float32Array(N * K);
    return (inputs, outputs) => {
      for (let i = 0; i < batches; i++) {
        gather(inputs[1], bOffsets[i], N, K, 1, N, bt);
        matmulTransposedB(inputs[0], aOffsets[i], bt, outputs[0], i * M * N, M, N, K, 1);
      }
    };
  },
});
