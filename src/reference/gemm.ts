// Blocked single-precision matrix multiply for the reference engine: C[M, N] = A[M, K] * B[K, N] (+ bias per row).
// A is packed into panels of MR rows ([k][r] order) and B into panels of NR columns ([k][c]), so
// the micro-kernel reads both sequentially and keeps an MR x NR tile of C in local variables.
// Conv weights are packed once at load; im2col writes B straight into panel order.
//
// Tile shape: measured in Node 20 (V8 keeps the accumulators as doubles in registers; x64 has 16
// of them): 3x4 (12 accumulators + 3 A values + 1 B value in flight) ran ~12-15% faster than the
// previous 4x8 tile (32 accumulators spill to the stack), and faster than 4x4, 2x4, 2x8, 6x4 and
// than unrolling K by 2; Float64Array panels (no float32 -> double conversion on load) and
// Math.fround float32 arithmetic were both slower. Accumulation stays in double precision.

import { activateBlock, type Activation } from './kernels/fused-activation.js';

export const MR = 3;
/** im2col (ops/conv.ts) and the micro-kernels below are unrolled for NR = 4. */
export const NR = 4;
/** Rows of A per chunk so that a chunk of packed A (MC x K floats) stays in L2 while B panels stream. */
const A_CHUNK_FLOATS = 64 * 1024;

export function packedASize(M: number, K: number): number {
  return Math.ceil(M / MR) * MR * K;
}

export function packedBSize(K: number, N: number): number {
  return Math.ceil(N / NR) * NR * K;
}

/** Packs rows [0, M) of a row-major A (row stride lda) into MR-row panels, zero-padding the last. */
export function packA(A: Float32Array, aOffset: number, M: number, K: number, lda: number, out: Float32Array): void {
  const panels = Math.ceil(M / MR);
  for (let p = 0; p < panels; p++) {
    const base = p * K * MR;
    for (let r = 0; r < MR; r++) {
      const m = p * MR + r;
      if (m < M) {
        const row = aOffset + m * lda;
        for (let k = 0; k < K; k++) out[base + k * MR + r] = A[row + k];
      } else {
        for (let k = 0; k < K; k++) out[base + k * MR + r] = 0;
      }
    }
  }
}

/** Packs a row-major B [K, N] (row stride ldb) into NR-column panels, zero-padding the last. */
export function packB(B: Float32Array, bOffset: number, K: number, N: number, ldb: number, out: Float32Array): void {
  const fullPanels = Math.floor(N / NR);
  const step = K * NR;
  for (let k = 0; k < K; k++) {
    const row = bOffset + k * ldb;
    let o = k * NR;
    for (let p = 0; p < fullPanels; p++, o += step) {
      const src = row + p * NR;
      out[o] = B[src];
      out[o + 1] = B[src + 1];
      out[o + 2] = B[src + 2];
      out[o + 3] = B[src + 3];
    }
    if (fullPanels * NR < N) {
      for (let c = 0; c < NR; c++) {
        const n = fullPanels * NR + c;
        out[o + c] = n < N ? B[row + n] : 0;
      }
    }
  }
}

/**
 * C[cOffset + m * ldc + n] = sum_k A[m, k] * B[k, n] + bias[biasOffset + m], from packed panels.
 * bias may be null (no bias). B's panels start at Bp[bOffset]. With `act`, each stored tile is
 * passed through that activation while it is in cache (kernels/fused-activation.ts).
 */
export function gemmPacked(
  M: number,
  N: number,
  K: number,
  Ap: Float32Array,
  Bp: Float32Array,
  C: Float32Array,
  cOffset: number,
  ldc: number,
  bias: Float32Array | null,
  biasOffset: number,
  bOffset = 0,
  act: Activation | null = null,
): void {
  const rowPanels = Math.ceil(M / MR);
  const colPanels = Math.ceil(N / NR);
  const fullRowPanels = Math.floor(M / MR);
  const fullColPanels = Math.floor(N / NR);
  const chunk = Math.max(1, Math.floor(A_CHUNK_FLOATS / (K * MR)));
  // Whole tiles first (the hot loop holds nothing else), then the ragged last row and column panels.
  for (let p0 = 0; p0 < fullRowPanels; p0 += chunk) {
    const p1 = Math.min(fullRowPanels, p0 + chunk);
    for (let q = 0; q < fullColPanels; q++) {
      const bBase = bOffset + q * K * NR;
      for (let p = p0; p < p1; p++) tile3x4(K, Ap, p * K * MR, Bp, bBase, C, cOffset + p * MR * ldc + q * NR, ldc, bias, biasOffset + p * MR);
      // The column of tiles just stored (a few KB, still in cache); kept out of the tile loop above.
      if (act) activateBlock(C, cOffset + p0 * MR * ldc + q * NR, ldc, (p1 - p0) * MR, NR, act);
    }
  }
  for (let q = 0; q < colPanels; q++) {
    for (let p = q < fullColPanels ? fullRowPanels : 0; p < rowPanels; p++) {
      const m0 = p * MR;
      const n0 = q * NR;
      const rows = Math.min(MR, M - m0);
      const cols = Math.min(NR, N - n0);
      edgeTile3x4(K, Ap, p * K * MR, Bp, bOffset + q * K * NR, C, cOffset + m0 * ldc + n0, ldc, bias, biasOffset + m0, rows, cols);
      if (act) activateBlock(C, cOffset + m0 * ldc + n0, ldc, rows, cols, act);
    }
  }
}

// Hand-unrolled 3x4 tile: 12 accumulators in locals (doubles in V8), one pass over K. Modularity
// is traded for speed here on purpose; this loop is most of the engine's time. Whole tiles and
// edge tiles have separate functions and loops, and the strides are literals (3 = MR, 4 = NR):
// measured ~15 % faster in Node 20 on SqueezeNet's dense layers than one kernel taking edge flags
// and stepping by the exported constants.
function tile3x4(
  K: number,
  A: Float32Array,
  aBase: number,
  B: Float32Array,
  bBase: number,
  C: Float32Array,
  c: number,
  ldc: number,
  bias: Float32Array | null,
  biasIndex: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let a = aBase;
  let b = bBase;
  const aEnd = aBase + K * 3;
  while (a < aEnd) {
    const a0 = A[a], a1 = A[a + 1], a2 = A[a + 2];
    const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    a += 3;
    b += 4;
  }
  let z0 = 0, z1 = 0, z2 = 0;
  if (bias !== null) {
    z0 = bias[biasIndex];
    z1 = bias[biasIndex + 1];
    z2 = bias[biasIndex + 2];
  }
  C[c] = c00 + z0; C[c + 1] = c01 + z0; C[c + 2] = c02 + z0; C[c + 3] = c03 + z0;
  c += ldc;
  C[c] = c10 + z1; C[c + 1] = c11 + z1; C[c + 2] = c12 + z1; C[c + 3] = c13 + z1;
  c += ldc;
  C[c] = c20 + z2; C[c + 1] = c21 + z2; C[c + 2] = c22 + z2; C[c + 3] = c23 + z2;
}

const edge = new Float64Array(MR * NR);

/**
 * A tile at the bottom or right edge: the same loop (so the same sums, bit for bit), with only
 * rows x cols of them stored. A copy of tile3x4's loop rather than a flag in it (see above).
 */
function edgeTile3x4(
  K: number,
  A: Float32Array,
  aBase: number,
  B: Float32Array,
  bBase: number,
  C: Float32Array,
  c: number,
  ldc: number,
  bias: Float32Array | null,
  biasIndex: number,
  rows: number,
  cols: number,
): void {
  // Packing zero-pads A and B to whole panels, so the full 3x4 loop runs and only the store is cut.
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let a = aBase;
  let b = bBase;
  const aEnd = aBase + K * 3;
  while (a < aEnd) {
    const a0 = A[a], a1 = A[a + 1], a2 = A[a + 2];
    const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    a += 3;
    b += 4;
  }
  const t = edge;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  for (let r = 0; r < rows; r++) {
    const z = bias === null ? 0 : bias[biasIndex + r];
    for (let j = 0; j < cols; j++) C[c + r * ldc + j] = edge[r * NR + j] + z;
  }
}
