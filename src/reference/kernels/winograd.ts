// Winograd's minimal filtering F(m x m, r x r) for stride-1, dilation-1 convolutions with 3x3
// filters (output tiles of m = 2 or m = 4) and 4x4 filters (m = 3), the latter being what a 7x7
// stride-2 convolution becomes over its phase images (kernels/polyphase.ts)
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016; winograd-tiles.ts has
// the matrices, written out).
//
// The output is cut into m x m tiles; each needs the a x a input patch d under it (a = m + r - 1).
// For one input channel and one r x r filter g, the output tile is
//
//     Y = A^T [ (G g G^T) (.) (B^T d B) ] A            (.) = element-wise product
//
// i.e. a*a multiplications per tile instead of m*m*r*r (F(2x2,3x3): 16 vs 36, F(4x4,3x3): 36 vs
// 144, F(3x3,4x4): 36 vs 144). Summed over input channels c, each position xi of the a x a
// transformed tile is an ordinary matrix product:
//
//     M[xi][k, t] = sum_c U[xi][k, c] * V[xi][c, t]    U = G g G^T (filters), V = B^T d B (tiles)
//
// so the work is a*a GEMMs of [Mg x Cg] x [Cg x tiles] (the dense GEMM of gemm.ts, accumulating in
// double), between an input transform (V) and an output transform (Y = A^T M A, plus bias). U
// depends only on the weights: it is computed and packed once when the layer is built, never per
// frame. A 2-D transform is the 1-D one applied to each column, then to each row.
import { gemmPacked, packA, packedASize, packedBSize, NR } from '../gemm.js';
import { activateBlock, type Activation } from './fused-activation.js';
import type { ResolvedWindow } from '../ops/window.js';
import type { Workspace } from '../workspace.js';
import { tilesFor, type WinogradTile } from './winograd-tiles.js';

/** Floats of V plus M per tile block: keeps a block's transformed tiles and products in L2/L3. */
const BLOCK_FLOATS = 512 * 1024;

/** The Winograd tiles a conv window can use: a square kernel with tiles (3x3, 4x4), stride 1, dilation 1 (any pads). */
export function winogradTiles(win: Pick<ResolvedWindow, 'kernel' | 'stride' | 'dilation'>): WinogradTile[] {
  const stride1 = win.stride[0] === 1 && win.stride[1] === 1 && win.dilation[0] === 1 && win.dilation[1] === 1;
  return stride1 && win.kernel[0] === win.kernel[1] ? tilesFor(win.kernel[0]) : [];
}

/** The filters transformed (U = G g G^T) and packed for the GEMM, per group and position xi. */
export interface WinogradFilters {
  tile: WinogradTile;
  groups: number;
  /** Output and input channels per group. */
  Mg: number;
  Cg: number;
  /** packed[g * a * a + xi]: U[xi] of group g, [Mg x Cg], packed as GEMM A panels. */
  packed: Float32Array[];
}

/** Transforms weights [M, Cg, r, r] of `groups` groups once, at load. */
export function transformFilters(tile: WinogradTile, weights: Float32Array, M: number, Cg: number, groups: number): WinogradFilters {
  const { a, r: taps } = tile;
  const XI = a * a;
  const Mg = M / groups;
  const packed: Float32Array[] = [];
  const u = new Float32Array(XI * Mg * Cg); // U[xi][k][c], row-major per xi
  const kernel = new Float64Array(taps * taps);
  const gCols = new Float64Array(a * taps); // G g: a rows x r columns
  const gg = new Float64Array(a * a); // G g G^T
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < Mg; k++) {
      for (let c = 0; c < Cg; c++) {
        const w = ((g * Mg + k) * Cg + c) * taps * taps;
        for (let i = 0; i < taps * taps; i++) kernel[i] = weights[w + i];
        for (let col = 0; col < taps; col++) tile.filter(kernel, col, taps, gCols, col, taps);
        for (let r = 0; r < a; r++) tile.filter(gCols, r * taps, 1, gg, r * a, 1);
        for (let xi = 0; xi < XI; xi++) u[(xi * Mg + k) * Cg + c] = gg[xi];
      }
    }
    for (let xi = 0; xi < XI; xi++) {
      const p = new Float32Array(packedASize(Mg, Cg));
      packA(u, xi * Mg * Cg, Mg, Cg, Cg, p);
      packed.push(p);
    }
  }
  return { tile, groups, Mg, Cg, packed };
}

/** Number of m x m output tiles: ceil(outH / m) x ceil(outW / m) (the last row/column may be partly used). */
export function tileCount(tile: WinogradTile, win: Pick<ResolvedWindow, 'outH' | 'outW'>): number {
  return Math.ceil(win.outH / tile.m) * Math.ceil(win.outW / tile.m);
}

/**
 * Output tiles [t0, t1) (row-major over the tile grid) of one image and all groups: reads the
 * image at x[xOffset] ([C, inH, inW]), writes y[yOffset] ([M, outH, outW]). Tiles are disjoint
 * output pixels, so parts of the tile range can run on different workers; a tile's numbers do not
 * depend on which block or part computes it. With `act`, each output tile is passed through that
 * activation as it is stored (kernels/fused-activation.ts).
 */
export function winogradConv(
  x: Float32Array,
  xOffset: number,
  y: Float32Array,
  yOffset: number,
  filters: WinogradFilters,
  bias: Float32Array | null,
  win: ResolvedWindow,
  t0: number,
  t1: number,
  ws: Workspace,
  act: Activation | null = null,
): void {
  const { Mg, Cg, tile, groups } = filters;
  const XI = tile.a * tile.a;
  // Tiles per block, a multiple of NR so that blocks start on GEMM panel boundaries.
  const nb = Math.max(NR, Math.floor(BLOCK_FLOATS / (XI * (Cg + Mg)) / NR) * NR);
  const vStride = packedBSize(Cg, nb);
  const V = ws.floats(XI * vStride, 0);
  const Mbuf = ws.floats(XI * Mg * nb, 1);
  for (let b0 = t0; b0 < t1; b0 += nb) {
    const n = Math.min(t1, b0 + nb) - b0;
    for (let g = 0; g < groups; g++) {
      inputTransform(tile, x, xOffset + g * Cg * win.inH * win.inW, Cg, win, b0, n, V, vStride);
      for (let xi = 0; xi < XI; xi++) {
        gemmPacked(Mg, n, Cg, filters.packed[g * XI + xi], V, Mbuf, xi * Mg * n, n, null, 0, xi * vStride);
      }
      outputTransform(tile, Mbuf, n, Mg, y, yOffset + g * Mg * win.outH * win.outW, win, b0, bias, g * Mg, act);
    }
  }
}

// Scratch for one tile (up to 6x6): the patch d, B^T d, and B^T d B.
const patch = new Float64Array(36);
const half = new Float64Array(36);
const full = new Float64Array(36);

/**
 * V[xi] = B^T d B for tiles [b0, b0 + n) and channels [0, Cg), written as packed GEMM B panels
 * (k = channel, column = tile). Input outside the image (the pads, or past the last row/column)
 * reads as 0. Columns of the last panel past n are set to 0.
 */
function inputTransform(tile: WinogradTile, x: Float32Array, plane0: number, Cg: number, win: ResolvedWindow, b0: number, n: number, V: Float32Array, vStride: number): void {
  const { m, a } = tile;
  const XI = a * a;
  const { inH, inW } = win;
  const [pt, pl] = win.applied;
  const tilesW = Math.ceil(win.outW / m);
  const panelFloats = Cg * NR;
  const nPadded = Math.ceil(n / NR) * NR;
  const d = patch;
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
      const iy = m * ty - pt;
      const ix = m * (t - ty * tilesW) - pl;
      if (iy >= 0 && ix >= 0 && iy + a <= inH && ix + a <= inW) {
        for (let r = 0; r < a; r++) {
          const s = plane + (iy + r) * inW + ix;
          for (let q = 0; q < a; q++) d[r * a + q] = x[s + q];
        }
      } else {
        for (let r = 0; r < a; r++) {
          const yy = iy + r;
          for (let q = 0; q < a; q++) {
            const xx = ix + q;
            d[r * a + q] = yy >= 0 && yy < inH && xx >= 0 && xx < inW ? x[plane + yy * inW + xx] : 0;
          }
        }
      }
      tile.input2d(d, half, full); // B^T d B
      for (let xi = 0; xi < XI; xi++) V[xi * vStride + at] = full[xi];
    }
  }
}

/**
 * Y = A^T M A + bias for tiles [b0, b0 + n): M[xi][k, j] at Mbuf[(xi * Mg + k) * n + j]. Writes
 * the tile's outputs that fall inside the output (sizes that are not a multiple of m drop the rest).
 */
function outputTransform(
  tile: WinogradTile,
  Mbuf: Float32Array,
  n: number,
  Mg: number,
  y: Float32Array,
  plane0: number,
  win: ResolvedWindow,
  b0: number,
  bias: Float32Array | null,
  biasOffset: number,
  act: Activation | null,
): void {
  const { m, a } = tile;
  const XI = a * a;
  const { outH, outW } = win;
  const tilesW = Math.ceil(outW / m);
  const xiStride = Mg * n;
  const w = patch;
  for (let k = 0; k < Mg; k++) {
    const z = bias === null ? 0 : bias[biasOffset + k];
    const plane = plane0 + k * outH * outW;
    for (let j = 0; j < n; j++) {
      const s = k * n + j;
      for (let xi = 0; xi < XI; xi++) w[xi] = Mbuf[s + xi * xiStride];
      tile.output2d(w, half, full); // A^T M A: m x m
      const t = b0 + j;
      const ty = Math.floor(t / tilesW);
      const oy = m * ty;
      const ox = m * (t - ty * tilesW);
      const rows = Math.min(m, outH - oy);
      const cols = Math.min(m, outW - ox);
      for (let r = 0; r < rows; r++) {
        const o = plane + (oy + r) * outW + ox;
        for (let q = 0; q < cols; q++) y[o + q] = full[r * m + q] + z;
      }
      if (act) activateBlock(y, plane + oy * outW + ox, outW, rows, cols, act);
    }
  }
}
