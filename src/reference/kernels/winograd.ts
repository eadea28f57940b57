// Winograd's minimal filtering F(2x2, 3x3) for 3x3 convolutions with stride 1 and dilation 1
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).
//
// The output is cut into 2x2 tiles; each needs the 4x4 input patch d under it (2 + 3 - 1 = 4).
// For one input channel and one 3x3 filter g, the 2x2 output tile is
//
//     Y = A^T [ (G g G^T) (.) (B^T d B) ] A            (.) = element-wise product
//
// with
//           | 1  0 -1  0 |           |  1    0    0  |
//     B^T = | 0  1  1  0 |       G = | 1/2  1/2  1/2 |      A^T = | 1  1  1  0 |
//           | 0 -1  1  0 |           | 1/2 -1/2  1/2 |            | 0  1 -1 -1 |
//           | 0  1  0 -1 |           |  0    0    1  |
//
// i.e. 16 multiplications per tile instead of 2 * 2 * 9 = 36. Summed over input channels c, each
// of the 16 positions xi of the 4x4 transformed tile becomes an ordinary matrix product:
//
//     M[xi][m, t] = sum_c U[xi][m, c] * V[xi][c, t]      U = G g G^T (filters), V = B^T d B (tiles)
//
// so the work is 16 GEMMs of [Mg x Cg] x [Cg x tiles] (run by the dense GEMM, gemm.ts), between
// an input transform (V) and an output transform (Y = A^T M A, plus bias). U depends only on the
// weights: it is computed and packed once when the layer is built, never per frame.
//
// Accuracy: the transforms use only 0, +-1 and +-1/2, so F(2x2, 3x3) adds only a few float32
// roundings (V and M are stored as float32); the GEMMs accumulate in double as the direct path
// does. F(4x4, 3x3) would save more multiplications (36 vs 144 per 4x4 outputs) but its
// transforms have larger coefficients and lose about a digit; it is not used here.
import { gemmPacked, packA, packedASize, packedBSize, NR } from '../gemm.js';
import type { ResolvedWindow } from '../ops/window.js';
import type { Workspace } from '../workspace.js';

/** Positions of the 4x4 transformed tile. */
const XI = 16;
/** Floats of V plus M per tile block: keeps a block's transformed tiles and products in L2/L3. */
const BLOCK_FLOATS = 512 * 1024;

/** Whether a conv window can use F(2x2, 3x3): a 3x3 kernel, stride 1, dilation 1 (any pads). */
export function winogradApplies(win: Pick<ResolvedWindow, 'kernel' | 'stride' | 'dilation'>): boolean {
  return win.kernel[0] === 3 && win.kernel[1] === 3 && win.stride[0] === 1 && win.stride[1] === 1 && win.dilation[0] === 1 && win.dilation[1] === 1;
}

/** The filters transformed (U = G g G^T) and packed for the GEMM, per group and position xi. */
export interface WinogradFilters {
  /** Output and input channels per group. */
  Mg: number;
  Cg: number;
  /** packed[g * 16 + xi]: U[xi] of group g, [Mg x Cg], packed as GEMM A panels. */
  packed: Float32Array[];
}

/** Transforms weights [M, Cg, 3, 3] of `groups` groups once, at load. */
export function transformFilters(weights: Float32Array, M: number, Cg: number, groups: number): WinogradFilters {
  const Mg = M / groups;
  const packed: Float32Array[] = [];
  const u = new Float32Array(XI * Mg * Cg); // U[xi][m][c], row-major per xi
  const gg = new Float64Array(12); // G g, 4x3
  for (let g = 0; g < groups; g++) {
    for (let m = 0; m < Mg; m++) {
      for (let c = 0; c < Cg; c++) {
        const w = ((g * Mg + m) * Cg + c) * 9;
        // G g: row 0 = g0, row 1 = (g0 + g1 + g2) / 2, row 2 = (g0 - g1 + g2) / 2, row 3 = g2 (g_i: rows of g).
        for (let col = 0; col < 3; col++) {
          const g0 = weights[w + col], g1 = weights[w + 3 + col], g2 = weights[w + 6 + col];
          gg[col] = g0;
          gg[3 + col] = (g0 + g1 + g2) / 2;
          gg[6 + col] = (g0 - g1 + g2) / 2;
          gg[9 + col] = g2;
        }
        // (G g) G^T: the same combination along each row.
        for (let r = 0; r < 4; r++) {
          const r0 = gg[r * 3], r1 = gg[r * 3 + 1], r2 = gg[r * 3 + 2];
          const at = (i: number): number => ((r * 4 + i) * Mg + m) * Cg + c;
          u[at(0)] = r0;
          u[at(1)] = (r0 + r1 + r2) / 2;
          u[at(2)] = (r0 - r1 + r2) / 2;
          u[at(3)] = r2;
        }
      }
    }
    for (let xi = 0; xi < XI; xi++) {
      const p = new Float32Array(packedASize(Mg, Cg));
      packA(u, xi * Mg * Cg, Mg, Cg, Cg, p);
      packed.push(p);
    }
  }
  return { Mg, Cg, packed };
}

/** Number of 2x2 output tiles: ceil(outH / 2) x ceil(outW / 2) (the last row/column may be half used). */
export function tileCount(win: Pick<ResolvedWindow, 'outH' | 'outW'>): number {
  return Math.ceil(win.outH / 2) * Math.ceil(win.outW / 2);
}

/**
 * Output tiles [t0, t1) (row-major over the tile grid) of one image and all groups: reads the
 * image at x[xOffset] ([C, inH, inW]), writes y[yOffset] ([M, outH, outW]). Tiles are disjoint
 * output pixels, so parts of the tile range can run on different workers.
 */
export function winogradConv(
  x: Float32Array,
  xOffset: number,
  y: Float32Array,
  yOffset: number,
  filters: WinogradFilters,
  groups: number,
  bias: Float32Array | null,
  win: ResolvedWindow,
  t0: number,
  t1: number,
  ws: Workspace,
): void {
  const { Mg, Cg } = filters;
  // Tiles per block, a multiple of NR so blocks start on GEMM panel boundaries.
  const nb = Math.max(NR, Math.floor(BLOCK_FLOATS / (XI * (Cg + Mg)) / NR) * NR);
  const vStride = packedBSize(Cg, nb);
  const V = ws.floats(XI * vStride, 0);
  const Mbuf = ws.floats(XI * Mg * nb, 1);
  for (let b0 = t0; b0 < t1; b0 += nb) {
    const b1 = Math.min(t1, b0 + nb);
    const n = b1 - b0;
    for (let g = 0; g < groups; g++) {
      inputTransform(x, xOffset + g * Cg * win.inH * win.inW, Cg, win, b0, n, V, vStride);
      for (let xi = 0; xi < XI; xi++) {
        gemmPacked(Mg, n, Cg, filters.packed[g * XI + xi], V, Mbuf, xi * Mg * n, n, null, 0, xi * vStride);
      }
      outputTransform(Mbuf, n, Mg, y, yOffset + g * Mg * win.outH * win.outW, win, b0, bias, g * Mg);
    }
  }
}

const tile = new Float64Array(16);

/**
 * V[xi] = B^T d B for tiles [b0, b0 + n) and channels [0, Cg), written as packed GEMM B panels
 * (k = channel, column = tile). Input outside the image (the pads, or past the last row/column)
 * reads as 0. Columns of the last panel past n are set to 0.
 */
function inputTransform(x: Float32Array, plane0: number, Cg: number, win: ResolvedWindow, b0: number, n: number, V: Float32Array, vStride: number): void {
  const { inH, inW } = win;
  const [pt, pl] = win.applied;
  const tilesW = Math.ceil(win.outW / 2);
  const panelFloats = Cg * NR;
  const nPadded = Math.ceil(n / NR) * NR;
  const d = tile;
  for (let c = 0; c < Cg; c++) {
    const plane = plane0 + c * inH * inW;
    for (let j = 0; j < nPadded; j++) {
      const at = (j >> 2) * panelFloats + c * NR + (j & 3);
      if (j >= n) {
        for (let xi = 0; xi < XI; xi++) V[xi * vStride + at] = 0;
        continue;
      }
      const t = b0 + j;
      const ty = Math.floor(t / tilesW);
      const iy = 2 * ty - pt;
      const ix = 2 * (t - ty * tilesW) - pl;
      if (iy >= 0 && ix >= 0 && iy + 4 <= inH && ix + 4 <= inW) {
        for (let r = 0; r < 4; r++) {
          const s = plane + (iy + r) * inW + ix;
          d[r * 4] = x[s]; d[r * 4 + 1] = x[s + 1]; d[r * 4 + 2] = x[s + 2]; d[r * 4 + 3] = x[s + 3];
        }
      } else {
        for (let r = 0; r < 4; r++) {
          const yy = iy + r;
          for (let q = 0; q < 4; q++) {
            const xx = ix + q;
            d[r * 4 + q] = yy >= 0 && yy < inH && xx >= 0 && xx < inW ? x[plane + yy * inW + xx] : 0;
          }
        }
      }
      // B^T d: row 0 = d0 - d2, row 1 = d1 + d2, row 2 = d2 - d1, row 3 = d1 - d3 (d_i: rows of d),
      // then (B^T d) B: the same combination of columns within each row.
      for (let q = 0; q < 4; q++) {
        const d0 = d[q], d1 = d[4 + q], d2 = d[8 + q], d3 = d[12 + q];
        d[q] = d0 - d2;
        d[4 + q] = d1 + d2;
        d[8 + q] = d2 - d1;
        d[12 + q] = d1 - d3;
      }
      for (let r = 0; r < 4; r++) {
        const e0 = d[r * 4], e1 = d[r * 4 + 1], e2 = d[r * 4 + 2], e3 = d[r * 4 + 3];
        const o = r * 4 * vStride + at;
        V[o] = e0 - e2;
        V[o + vStride] = e1 + e2;
        V[o + 2 * vStride] = e2 - e1;
        V[o + 3 * vStride] = e1 - e3;
      }
    }
  }
}

/**
 * Y = A^T M A + bias for tiles [b0, b0 + n): M[xi][m, j] at Mbuf[(xi * Mg + m) * n + j]. Writes the
 * tile's 2x2 outputs that fall inside the output (odd sizes drop the last half tile).
 */
function outputTransform(Mbuf: Float32Array, n: number, Mg: number, y: Float32Array, plane0: number, win: ResolvedWindow, b0: number, bias: Float32Array | null, biasOffset: number): void {
  const { outH, outW } = win;
  const tilesW = Math.ceil(outW / 2);
  const xiStride = Mg * n;
  for (let m = 0; m < Mg; m++) {
    const z = bias === null ? 0 : bias[biasOffset + m];
    const plane = plane0 + m * outH * outW;
    for (let j = 0; j < n; j++) {
      const s = m * n + j;
      // A^T M: row 0 = M0 + M1 + M2, row 1 = M1 - M2 - M3 (M_i: rows of the 4x4 M), per column q.
      const m00 = Mbuf[s], m01 = Mbuf[s + xiStride], m02 = Mbuf[s + 2 * xiStride], m03 = Mbuf[s + 3 * xiStride];
      const m10 = Mbuf[s + 4 * xiStride], m11 = Mbuf[s + 5 * xiStride], m12 = Mbuf[s + 6 * xiStride], m13 = Mbuf[s + 7 * xiStride];
      const m20 = Mbuf[s + 8 * xiStride], m21 = Mbuf[s + 9 * xiStride], m22 = Mbuf[s + 10 * xiStride], m23 = Mbuf[s + 11 * xiStride];
      const m30 = Mbuf[s + 12 * xiStride], m31 = Mbuf[s + 13 * xiStride], m32 = Mbuf[s + 14 * xiStride], m33 = Mbuf[s + 15 * xiStride];
      const r00 = m00 + m10 + m20, r01 = m01 + m11 + m21, r02 = m02 + m12 + m22, r03 = m03 + m13 + m23;
      const r10 = m10 - m20 - m30, r11 = m11 - m21 - m31, r12 = m12 - m22 - m32, r13 = m13 - m23 - m33;
      // (A^T M) A: column 0 = r0 + r1 + r2, column 1 = r1 - r2 - r3, per row.
      const t = b0 + j;
      const ty = Math.floor(t / tilesW);
      const oy = 2 * ty;
      const ox = 2 * (t - ty * tilesW);
      const o = plane + oy * outW + ox;
      const right = ox + 1 < outW;
      y[o] = r00 + r01 + r02 + z;
      if (right) y[o + 1] = r01 - r02 - r03 + z;
      if (oy + 1 < outH) {
        y[o + outW] = r10 + r11 + r12 + z;
        if (right) y[o + outW + 1] = r11 - r12 - r13 + z;
      }
    }
  }
}
