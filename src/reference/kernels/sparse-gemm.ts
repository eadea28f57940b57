// Sparse weights times dense packed panels: C[M, N] = W[M, K] * B[K, N] (+ bias per row), where W
// keeps only its non-zero entries (compressed sparse rows, CSR) and B is packed in NR-column
// panels exactly as for the dense GEMM (packB / im2colPacked).
//
// Why: pruned models (SqueezeNet v1.0 from Deep Compression) store exact zeros in their weights;
// a dense multiply spends a multiply-add on each. With CSR the work is proportional to the
// non-zeros, at a higher cost per multiply-add (an index load per weight, one row of C at a time
// instead of the dense kernel's 3-row tile): see conv-plan.ts for when that pays.
//
// Same numbers as the dense GEMM, bit for bit, for finite inputs: both sum w[m, k] * b[k, n] over
// k in increasing order in double precision, and the dense kernel's extra terms are products
// with 0, i.e. +-0, which leave a double sum unchanged (a sum that starts at +0 never becomes -0
// in round-to-nearest). Only an infinite or NaN input differs: dense gives 0 * inf = NaN there.
import { NR } from '../gemm.js';
import { activateBlock, type Activation } from './fused-activation.js';

/** W[M, K] in compressed sparse rows, with column indices pre-multiplied by NR (panel offsets). */
export interface SparseRows {
  rows: number;
  cols: number;
  /** Non-zeros of row m are entries [start[m], start[m + 1]). */
  start: Int32Array;
  /** k * NR for each non-zero: its offset inside a packed B panel. */
  offset: Int32Array;
  values: Float32Array;
}

/** Counts the non-zeros of rows [0, M) of a row-major A (row stride lda). */
export function countNonZeros(A: Float32Array, aOffset: number, M: number, K: number, lda: number): number {
  let nz = 0;
  for (let m = 0; m < M; m++) {
    const row = aOffset + m * lda;
    for (let k = 0; k < K; k++) if (A[row + k] !== 0) nz++;
  }
  return nz;
}

/** Compresses rows [0, M) of a row-major A (row stride lda), keeping entries that are not 0. */
export function toSparseRows(A: Float32Array, aOffset: number, M: number, K: number, lda: number): SparseRows {
  const nz = countNonZeros(A, aOffset, M, K, lda);
  const start = new Int32Array(M + 1);
  const offset = new Int32Array(nz);
  const values = new Float32Array(nz);
  let j = 0;
  for (let m = 0; m < M; m++) {
    start[m] = j;
    const row = aOffset + m * lda;
    for (let k = 0; k < K; k++) {
      const v = A[row + k];
      if (v !== 0) {
        offset[j] = k * NR;
        values[j] = v;
        j++;
      }
    }
  }
  start[M] = j;
  return { rows: M, cols: K, start, offset, values };
}

/**
 * C[cOffset + m * ldc + n] = sum over non-zeros w[m, k] * B[k, n] + bias[biasOffset + m], for n in
 * [0, N), B packed in NR-column panels (packedBSize(K, N) floats). bias may be null. With `act`,
 * each stored row piece is passed through that activation while in cache (kernels/fused-activation.ts).
 */
export function sparseGemmPacked(
  W: SparseRows,
  N: number,
  Bp: Float32Array,
  C: Float32Array,
  cOffset: number,
  ldc: number,
  bias: Float32Array | null,
  biasOffset: number,
  act: Activation | null = null,
): void {
  const K = W.cols;
  const panelFloats = K * NR;
  const colPanels = Math.ceil(N / NR);
  // Two panels (8 columns) at a time while both are full; the rest one panel at a time.
  let q = 0;
  for (; q + 2 <= colPanels && (q + 2) * NR <= N; q += 2) {
    sparsePanelPair(W, Bp, q * panelFloats, panelFloats, C, cOffset + q * NR, ldc, bias, biasOffset);
    if (act) activateBlock(C, cOffset + q * NR, ldc, W.rows, 2 * NR, act);
  }
  for (; q < colPanels; q++) {
    const cols = Math.min(NR, N - q * NR);
    sparsePanel(W, Bp, q * panelFloats, C, cOffset + q * NR, ldc, bias, biasOffset, cols);
    if (act) activateBlock(C, cOffset + q * NR, ldc, W.rows, cols, act);
  }
}

// One output row times 8 columns (two adjacent B panels): 8 accumulators in locals, one pass over
// the row's non-zeros. Hand-unrolled on purpose, like the dense micro-kernel; this loop is where
// a pruned layer spends its time.
function sparsePanelPair(
  W: SparseRows,
  B: Float32Array,
  bBase: number,
  panelFloats: number,
  C: Float32Array,
  c: number,
  ldc: number,
  bias: Float32Array | null,
  biasOffset: number,
): void {
  const { start, offset, values, rows } = W;
  const b2 = bBase + panelFloats;
  for (let m = 0; m < rows; m++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    const end = start[m + 1];
    for (let j = start[m]; j < end; j++) {
      const w = values[j];
      const o = bBase + offset[j];
      const p = b2 + offset[j];
      c0 += w * B[o]; c1 += w * B[o + 1]; c2 += w * B[o + 2]; c3 += w * B[o + 3];
      c4 += w * B[p]; c5 += w * B[p + 1]; c6 += w * B[p + 2]; c7 += w * B[p + 3];
    }
    const z = bias === null ? 0 : bias[biasOffset + m];
    const r = c + m * ldc;
    C[r] = c0 + z; C[r + 1] = c1 + z; C[r + 2] = c2 + z; C[r + 3] = c3 + z;
    C[r + 4] = c4 + z; C[r + 5] = c5 + z; C[r + 6] = c6 + z; C[r + 7] = c7 + z;
  }
}

/** One output row times one panel's first `cols` (<= NR) columns. */
function sparsePanel(
  W: SparseRows,
  B: Float32Array,
  bBase: number,
  C: Float32Array,
  c: number,
  ldc: number,
  bias: Float32Array | null,
  biasOffset: number,
  cols: number,
): void {
  const { start, offset, values, rows } = W;
  for (let m = 0; m < rows; m++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    const end = start[m + 1];
    for (let j = start[m]; j < end; j++) {
      const w = values[j];
      const o = bBase + offset[j];
      c0 += w * B[o]; c1 += w * B[o + 1]; c2 += w * B[o + 2]; c3 += w * B[o + 3];
    }
    const z = bias === null ? 0 : bias[biasOffset + m];
    const r = c + m * ldc;
    C[r] = c0 + z;
    if (cols > 1) C[r + 1] = c1 + z;
    if (cols > 2) C[r + 2] = c2 + z;
    if (cols > 3) C[r + 3] = c3 + z;
  }
}
