// Which kernel runs a Conv layer, decided once when the layer is built, from the layer's shape and
// its weights (the same rule on every worker, so split layers stay bit-identical to one worker).
// Estimated time per dense multiply-add, relative to the dense GEMM (im2col + blocked GEMM):
//
//   dense GEMM          1
//   sparse (CSR)        SPARSE_COST * density          density = non-zero weights / all weights
//   Winograd F(m, r)    WINOGRAD_COST * (tiles * a^2 * s^2) / (outH * outW * k^2)
//                       (square k x k kernels, dilation 1: stride 1 with k = r = 3 or 4, or stride
//                       s > 1 over s * s phase images with r = ceil(k / s) taps, kernels/polyphase.ts;
//                       the fraction is the multiplies left, counting the unused part of the edge
//                       tiles and the phases' zero taps; a = m + r - 1)
//
// The cheapest wins; ties go to the dense GEMM. The constants are measured times per multiply-add
// against the dense GEMM's on SqueezeNet's layers in Node 20 (`npm run bench -- reference` prints
// each layer's kernel and GMAC/s).
import { countNonZeros } from './sparse-gemm.js';
import { phasesOf, type Phases } from './polyphase.js';
import { tileCount, winogradTiles } from './winograd.js';
import { tilesFor, type WinogradTile } from './winograd-tiles.js';
import type { ResolvedWindow } from '../ops/window.js';

/** 'depthwise': one input channel per group, the direct kernel of ops/depthwise.ts (not planned here). */
export type ConvMethod = 'gemm' | 'sparse' | 'winograd' | 'depthwise';

/** Time of one sparse multiply-add (an index load per weight, one output row at a time) over a dense one. */
export const SPARSE_COST = 1.55;
/** Time of one Winograd GEMM multiply-add, transforms included, over a direct one. */
export const WINOGRAD_COST = 1.4;

export interface ConvPlan {
  method: ConvMethod;
  /** The Winograd tile when method is 'winograd'. */
  tile?: WinogradTile;
  /** Strided Winograd: the conv runs over s x s phase images with r x r taps (kernels/polyphase.ts). */
  phases?: Phases;
  /** Fraction of weights that are not zero. */
  density: number;
  /** Estimated time relative to the dense GEMM. */
  cost: number;
  /** Short description for benches and the summary, e.g. 'winograd F(4x4,3x3)'. */
  label: string;
}

export function planConv(win: Pick<ResolvedWindow, 'kernel' | 'stride' | 'dilation' | 'outH' | 'outW'>, weights: Float32Array): ConvPlan {
  const density = weights.length === 0 ? 1 : countNonZeros(weights, 0, 1, weights.length, weights.length) / weights.length;
  let plan: ConvPlan = { method: 'gemm', density, cost: 1, label: 'gemm' };
  const sparse = SPARSE_COST * density;
  if (sparse < plan.cost) plan = { method: 'sparse', density, cost: sparse, label: `sparse ${(density * 100).toFixed(0)}%` };
  const phases = phasesOf(win);
  const [k] = win.kernel;
  const candidates = phases ? tilesFor(phases.r) : winogradTiles(win);
  const s = phases?.s ?? 1;
  for (const tile of candidates) {
    const cost = (WINOGRAD_COST * tileCount(tile, win) * tile.a * tile.a * s * s) / (win.outH * win.outW * k * k);
    const name = `winograd F(${tile.m}x${tile.m},${tile.r}x${tile.r})`;
    const label = phases ? `${name} over ${s}x${s} phases` : name;
    if (cost < plan.cost) plan = { method: 'winograd', tile, density, cost, label, ...(phases && { phases }) };
  }
  return plan;
}
