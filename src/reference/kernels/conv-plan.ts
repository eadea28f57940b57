// Which kernel runs a Conv layer, decided once when the layer is built, from the layer's shape and
// its weights (the same rule on every worker, so split layers stay bit-identical to one worker):
//
//   cost(dense GEMM)     = 1                       per dense multiply-add (im2col + blocked GEMM)
//   cost(sparse, CSR)    = SPARSE_COST * density   density = non-zero weights / all weights
//   cost(Winograd 2x2)   = WINOGRAD_COST           3x3, stride 1, dilation 1 only
//
// and the cheapest wins (ties go to the dense GEMM, then Winograd). The constants are measured
// time per multiply-add relative to the dense GEMM on SqueezeNet's and AlexNet's layers in Node 20
// (scripts/bench/reference.ts prints each layer's kernel and GMAC/s).
import { countNonZeros } from './sparse-gemm.js';
import { winogradApplies } from './winograd.js';
import type { ResolvedWindow } from '../ops/window.js';

export type ConvMethod = 'gemm' | 'sparse' | 'winograd';

/** Time of one sparse multiply-add (index load, one-row tile) over one dense one. */
export const SPARSE_COST = 1.9;
/** Winograd F(2x2, 3x3) time over the dense GEMM's: 16/36 of the multiplies, plus the transforms. */
export const WINOGRAD_COST = 0.55;

export interface ConvPlan {
  method: ConvMethod;
  /** Fraction of weights that are not zero. */
  density: number;
}

export function planConv(win: Pick<ResolvedWindow, 'kernel' | 'stride' | 'dilation'>, weights: Float32Array): ConvPlan {
  const density = weights.length === 0 ? 1 : countNonZeros(weights, 0, 1, weights.length, weights.length) / weights.length;
  const sparse = SPARSE_COST * density;
  const winograd = winogradApplies(win) ? WINOGRAD_COST : Infinity;
  let method: ConvMethod = 'gemm';
  if (winograd < 1 && winograd <= sparse) method = 'winograd';
  else if (sparse < 1) method = 'sparse';
  return { method, density };
}
