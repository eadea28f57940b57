// Conv (2-D, NCHW): groups (incl. depthwise), strides, pads, auto_pad, dilations, optional bias.
// Not supported: 1-D / 3-D convolution, weights that are not initializers.
// Method, chosen per layer at load by kernels/conv-plan.ts: Winograd F(2x2, 3x3) or F(4x4, 3x3)
// for 3x3 stride-1 convs, F(3x3, 4x4) for 4x4 ones (kernels/winograd.ts), also for strided convs
// rewritten as stride-1 ones over phase images (kernels/polyphase.ts: 7x7 stride 2 -> 4x4 taps,
// 11x11 stride 4 -> 3x3 taps) when that costs less; otherwise, per group, im2col writes the input patches
// straight into packed GEMM panels (1x1 stride-1 unpadded convs skip im2col and pack the input
// itself), then one blocked GEMM with the weights packed once at load, or a sparse (CSR) product
// when enough weights are pruned to zero (kernels/sparse-gemm.ts).
// Depthwise convs (one input channel per group) run a direct kernel instead (./depthwise.ts).
import type { Shape } from '../../model/onnx-read.js';
import { windowGeometry } from '../geometry.js';
import { gemmPacked, packA, packB, packedASize, packedBSize, NR } from '../gemm.js';
import { planConv, type ConvPlan } from '../kernels/conv-plan.js';
import type { Activation } from '../kernels/fused-activation.js';
import { sparseGemmPacked, toSparseRows } from '../kernels/sparse-gemm.js';
import { phaseImages, phaseWeights, phaseWindow } from '../kernels/polyphase.js';
import { tileCount, transformFilters, winogradConv } from '../kernels/winograd.js';
import { defineOp, fail, floatConstant, hasInput, intAttr, partRange, unsupported, type OpContext, type PartKernel } from '../op.js';
import { depthwisePartKernel, isDepthwise } from './depthwise.js';
import { parseWindow, resolveWindow, type ResolvedWindow, type WindowAttributes } from './window.js';

export interface ConvAttributes extends WindowAttributes {
  group: number;
}

export function parseConvAttributes(ctx: OpContext): ConvAttributes {
  const w = ctx.inputShapes[1];
  if (!w || w.length !== 4) unsupported(ctx, 'only 2-D convolution with [M, C/group, kH, kW] weights is supported');
  return { ...parseWindow(ctx, [w[2], w[3]]), group: intAttr(ctx, 'group', 1) };
}

export function convWindow(attrs: ConvAttributes, ctx: OpContext): ResolvedWindow {
  const [n, c, h, w] = ctx.inputShapes[0];
  const [m, cg, kh, kw] = ctx.inputShapes[1];
  if (ctx.inputShapes[0].length !== 4) unsupported(ctx, `input must be [N, C, H, W], got [${ctx.inputShapes[0].join(', ')}]`);
  if (c % attrs.group !== 0 || m % attrs.group !== 0) fail(ctx, `group ${attrs.group} must divide input channels ${c} and output channels ${m}`);
  if (cg !== c / attrs.group) fail(ctx, `weights expect ${cg * attrs.group} input channels, input has ${c}`);
  if (kh !== attrs.kernel[0] || kw !== attrs.kernel[1]) fail(ctx, `kernel_shape ${attrs.kernel.join('x')} disagrees with weights ${kh}x${kw}`);
  if (hasInput(ctx, 2) && ctx.inputShapes[2].join() !== String(m)) fail(ctx, `bias must have shape [${m}]`);
  void n;
  return resolveWindow(ctx, attrs, h, w);
}

export function convOutputShape(attrs: ConvAttributes, ctx: OpContext): Shape {
  const win = convWindow(attrs, ctx);
  return [ctx.inputShapes[0][0], ctx.inputShapes[1][0], win.outH, win.outW];
}

/**
 * Writes the patches of one group of input channels in packed-B order: k = (c, ky, kx), n = (oy, ox),
 * for output columns [n0, n1) (default: all), as panels numbered from n0 (n0 a multiple of NR).
 *
 * Panel by panel: each panel's K x NR values are written in order (the layout is [k][column]), and
 * its NR columns read the input at (oy * stride - pad + ky * dilation, ox * stride - pad + kx * dilation).
 * Writing one k row across all panels instead would scatter every store a panel apart (2.3 KB for
 * SqueezeNet's conv1), which measured ~15x slower. A panel whose windows all lie inside the image
 * (most of them) reads input[tapOffset[k] + origin] with no bounds test; a panel at the border
 * tests each tap, and padding reads as 0, as do the columns past n1 in the last panel.
 */
export function im2colPacked(
  input: Float32Array,
  inOffset: number,
  channels: number,
  win: ResolvedWindow,
  out: Float32Array,
  n0 = 0,
  n1 = win.outH * win.outW,
): void {
  const { inH, inW, outW } = win;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  const [dh, dw] = win.dilation;
  const [pt, pl] = win.applied;
  const K = channels * kh * kw;
  // Per k: the tap's offset from a window's top-left input pixel, and its row and column in the window.
  const tapOffset = new Int32Array(K);
  const tapY = new Int32Array(K);
  const tapX = new Int32Array(K);
  let k = 0;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, k++) {
        tapOffset[k] = inOffset + c * inH * inW + ky * dh * inW + kx * dw;
        tapY[k] = ky * dh;
        tapX[k] = kx * dw;
      }
    }
  }
  const lastY = inH - (kh - 1) * dh; // a window starting at iy < lastY ends inside the image
  const lastX = inW - (kw - 1) * dw;
  const origin = new Int32Array(NR); // input index of each column's window's top-left corner
  const originY = new Int32Array(NR);
  const originX = new Int32Array(NR);
  for (let n = n0, o = 0; n < n1; n += NR, o += K * NR) {
    let inside = n + NR <= n1;
    for (let j = 0; j < NR; j++) {
      const oy = Math.floor((n + j) / outW);
      const iy = oy * sh - pt;
      const ix = (n + j - oy * outW) * sw - pl;
      originY[j] = iy;
      originX[j] = ix;
      origin[j] = iy * inW + ix;
      if (iy < 0 || ix < 0 || iy >= lastY || ix >= lastX) inside = false;
    }
    if (inside) {
      const b0 = origin[0], b1 = origin[1], b2 = origin[2], b3 = origin[3];
      for (let kk = 0, p = o; kk < K; kk++, p += NR) {
        const t = tapOffset[kk];
        out[p] = input[t + b0];
        out[p + 1] = input[t + b1];
        out[p + 2] = input[t + b2];
        out[p + 3] = input[t + b3];
      }
      continue;
    }
    for (let j = 0; j < NR; j++) {
      if (n + j >= n1) {
        for (let kk = 0, p = o + j; kk < K; kk++, p += NR) out[p] = 0;
        continue;
      }
      const iy = originY[j];
      const ix = originX[j];
      const b = origin[j];
      for (let kk = 0, p = o + j; kk < K; kk++, p += NR) {
        const y = iy + tapY[kk];
        const x = ix + tapX[kk];
        out[p] = y >= 0 && y < inH && x >= 0 && x < inW ? input[tapOffset[kk] + b] : 0;
      }
    }
  }
}

export const Conv = defineOp<ConvAttributes>({
  parse: parseConvAttributes,
  outputShapes: (a, ctx) => [convOutputShape(a, ctx)],
  geometry: (a, ctx) => {
    return windowGeometry(convWindow(a, ctx));
  },
  macs: (a, ctx, [out]) => out[0] * out[1] * out[2] * out[3] * (ctx.inputShapes[0][1] / a.group) * a.kernel[0] * a.kernel[1],
  kernel(a, ctx) {
    const part = convKernels(a, ctx)(null);
    return (inputs, outputs, ws) => part(inputs, outputs, ws, 0, 1);
  },
  partKernel: (a, ctx) => convKernels(a, ctx)(null),
  fusedPartKernel: (a, ctx, _shapes, act) => convKernels(a, ctx)(act),
});

/** The kernel a Conv node runs on (kernels/conv-plan.ts, or the direct depthwise one), for benches and tests. */
export function convPlanOf(ctx: OpContext): ConvPlan {
  const a = parseConvAttributes(ctx);
  if (isDepthwise(a.group, ctx.inputShapes[0])) return { method: 'depthwise', density: 1, cost: 1, label: 'depthwise direct' };
  return planConv(convWindow(a, ctx), floatConstant(ctx, 1, 'weights'));
}

type ConvKernels = (act: Activation | null) => PartKernel;

/** One node's prepared weights (packed, transformed or compressed), shared by all its kernels. */
const prepared = new WeakMap<OpContext, ConvKernels>();

function convKernels(a: ConvAttributes, ctx: OpContext): ConvKernels {
  let k = prepared.get(ctx);
  if (!k) {
    k = prepareConv(a, ctx);
    prepared.set(ctx, k);
  }
  return k;
}

/**
 * Prepares the node's weights once for its kernel (kernels/conv-plan.ts) and returns the kernel
 * split by output columns (Winograd: by output tiles): part p of P computes its own range of GEMM
 * column panels. With `act`, the kernel stores act(conv) instead (kernels/fused-activation.ts).
 */
function prepareConv(a: ConvAttributes, ctx: OpContext): ConvKernels {
  const win = convWindow(a, ctx);
  if (isDepthwise(a.group, ctx.inputShapes[0])) {
    return (act) => depthwisePartKernel(ctx, win, act);
  }
  const [batch, C] = ctx.inputShapes[0];
  const weights = floatConstant(ctx, 1, 'weights');
  const bias = hasInput(ctx, 2) ? floatConstant(ctx, 2, 'bias') : null;
  const M = ctx.inputShapes[1][0];
  const G = a.group;
  const Mg = M / G;
  const Cg = C / G;
  const K = Cg * a.kernel[0] * a.kernel[1];
  const N = win.outH * win.outW;
  const HW = win.inH * win.inW;
  const { method, tile, phases } = planConv(win, weights);

  if (method === 'winograd' && tile && phases) {
    const pw = phaseWindow(win, phases);
    const phaseChannels = C * phases.s * phases.s;
    const filters = transformFilters(tile, phaseWeights(weights, M, Cg, a.kernel[0], phases), M, Cg * phases.s * phases.s, G);
    const tiles = tileCount(tile, pw);
    const tilePanels = Math.ceil(tiles / NR);
    return (act) => (inputs, outputs, ws, part, parts) => {
      const [q0, q1] = partRange(tilePanels, part, parts);
      const t1 = Math.min(tiles, q1 * NR);
      if (q0 * NR >= t1) return;
      // Slot 2: winogradConv uses slots 0 and 1. Each part makes all the phase images (a copy of
      // the input, ~1 % of the layer's time) rather than only the rows its tiles read.
      const images = ws.floats(phaseChannels * pw.inH * pw.inW, 2);
      for (let b = 0; b < batch; b++) {
        phaseImages(inputs[0], b * C * HW, C, win, phases, images);
        winogradConv(images, 0, outputs[0], b * M * N, filters, bias, pw, q0 * NR, t1, ws, act);
      }
    };
  }

  if (method === 'winograd' && tile) {
    const filters = transformFilters(tile, weights, M, Cg, G);
    const tiles = tileCount(tile, win);
    const tilePanels = Math.ceil(tiles / NR);
    return (act) => (inputs, outputs, ws, part, parts) => {
      const [q0, q1] = partRange(tilePanels, part, parts);
      const t1 = Math.min(tiles, q1 * NR);
      for (let b = 0; b < batch && q0 * NR < t1; b++) winogradConv(inputs[0], b * C * HW, outputs[0], b * M * N, filters, bias, win, q0 * NR, t1, ws, act);
    };
  }

  type GroupProduct = (panels: Float32Array, n: number, y: Float32Array, yOffset: number, g: number, act: Activation | null) => void;
  let multiply: GroupProduct;
  if (method === 'sparse') {
    const rows = Array.from({ length: G }, (_, g) => toSparseRows(weights, g * Mg * K, Mg, K, K));
    multiply = (panels, n, y, yOffset, g, act) => sparseGemmPacked(rows[g], n, panels, y, yOffset, N, bias, g * Mg, act);
  } else {
    const aStride = packedASize(Mg, K);
    const groupWeights = Array.from({ length: G }, (_, g) => {
      const packed = new Float32Array(aStride);
      packA(weights, g * Mg * K, Mg, K, K, packed);
      return packed;
    });
    multiply = (panels, n, y, yOffset, g, act) => gemmPacked(Mg, n, K, groupWeights[g], panels, y, yOffset, N, bias, g * Mg, 0, act);
  }
  const pointwise =
    a.kernel[0] === 1 && a.kernel[1] === 1 && a.stride[0] === 1 && a.stride[1] === 1 && win.applied.every((p) => p === 0);
  const colPanels = Math.ceil(N / NR);
  return (act) => (inputs, outputs, ws, part, parts) => {
    const x = inputs[0];
    const y = outputs[0];
    const [q0, q1] = partRange(colPanels, part, parts);
    const n0 = q0 * NR;
    const n1 = Math.min(N, q1 * NR);
    if (n1 <= n0) return;
    const panels = ws.floats(packedBSize(K, n1 - n0));
    for (let b = 0; b < batch; b++) {
      for (let g = 0; g < G; g++) {
        const inOffset = (b * C + g * Cg) * HW;
        if (pointwise) packB(x, inOffset + n0, K, n1 - n0, N, panels);
        else im2colPacked(x, inOffset, Cg, win, panels, n0, n1);
        multiply(panels, n1 - n0, y, (b * M + g * Mg) * N + n0, g, act);
      }
    }
  };
}
