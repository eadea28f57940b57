// Conv (2-D, NCHW): groups (incl. depthwise), strides, pads, auto_pad, dilations, optional bias.
// Not supported: 1-D / 3-D convolution, weights that are not initializers.
// Method: per group, im2col writes the input patches straight into packed GEMM panels (1x1
// stride-1 unpadded convs skip im2col and pack the input itself), then one blocked GEMM with the
// weights packed once at load.
import type { Shape } from '../../model/onnx-read.js';
import { gemmPacked, packA, packB, packedASize, packedBSize, NR } from '../gemm.js';
import { defineOp, fail, floatConstant, hasInput, intAttr, unsupported, type OpContext } from '../op.js';
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

/** Writes the patches of one group of input channels in packed-B order: k = (c, ky, kx), n = (oy, ox). */
export function im2colPacked(
  input: Float32Array,
  inOffset: number,
  channels: number,
  win: ResolvedWindow,
  out: Float32Array,
): void {
  const { inH, inW, outH, outW } = win;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  const [dh, dw] = win.dilation;
  const [pt, pl] = win.applied;
  const K = channels * kh * kw;
  const N = outH * outW;
  const panelStride = K * NR;
  let k = 0;
  for (let c = 0; c < channels; c++) {
    const plane = inOffset + c * inH * inW;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, k++) {
        const rowBase = k * NR;
        const dx = kx * dw - pl;
        // Output columns whose input column lies inside the image: ox in [oxLo, oxHi).
        const oxLo = Math.min(outW, Math.max(0, Math.ceil(-dx / sw)));
        const oxHi = Math.max(oxLo, Math.min(outW, Math.ceil((inW - dx) / sw)));
        let n = 0;
        for (let oy = 0; oy < outH; oy++) {
          const iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= inH) {
            for (let ox = 0; ox < outW; ox++, n++) out[(n >> 3) * panelStride + rowBase + (n & 7)] = 0;
            continue;
          }
          const src = plane + iy * inW + dx;
          let ox = 0;
          for (; ox < oxLo; ox++, n++) out[(n >> 3) * panelStride + rowBase + (n & 7)] = 0;
          for (; ox < oxHi; ox++, n++) out[(n >> 3) * panelStride + rowBase + (n & 7)] = input[src + ox * sw];
          for (; ox < outW; ox++, n++) out[(n >> 3) * panelStride + rowBase + (n & 7)] = 0;
        }
      }
    }
  }
  // The last panel's columns past N must be zero: the workspace holds the previous layer's data.
  for (let n = N; n % NR !== 0; n++) {
    const base = (n >> 3) * panelStride + (n & 7);
    for (let kk = 0; kk < K; kk++) out[base + kk * NR] = 0;
  }
}

export const Conv = defineOp<ConvAttributes>({
  parse: parseConvAttributes,
  outputShapes: (a, ctx) => [convOutputShape(a, ctx)],
  geometry: (a, ctx) => {
    const win = convWindow(a, ctx);
    return { kind: 'window', kernel: a.kernel, stride: a.stride, dilation: a.dilation, padBegin: [win.applied[0], win.applied[1]], padEnd: [win.applied[2], win.applied[3]] };
  },
  macs: (a, ctx, [out]) => out[0] * out[1] * out[2] * out[3] * (ctx.inputShapes[0][1] / a.group) * a.kernel[0] * a.kernel[1],
  kernel(a, ctx) {
    const win = convWindow(a, ctx);
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
    const packedWeights = new Float32Array(packedASize(Mg, K) * G);
    const aStride = packedASize(Mg, K);
    for (let g = 0; g < G; g++) {
      packA(weights, g * Mg * K, Mg, K, K, packedWeights.subarray(g * aStride, (g + 1) * aStride));
    }
    const pointwise =
      a.kernel[0] === 1 && a.kernel[1] === 1 && a.stride[0] === 1 && a.stride[1] === 1 && win.applied.every((p) => p === 0);
    return (inputs, outputs, ws) => {
      const x = inputs[0];
      const y = outputs[0];
      const panels = ws.floats(packedBSize(K, N));
      for (let b = 0; b < batch; b++) {
        for (let g = 0; g < G; g++) {
          const inOffset = (b * C + g * Cg) * HW;
          if (pointwise) packB(x, inOffset, K, N, N, panels);
          else im2colPacked(x, inOffset, Cg, win, panels);
          const ap = packedWeights.subarray(g * aStride, (g + 1) * aStride);
          gemmPacked(Mg, N, K, ap, panels, y, (b * M + g * Mg) * N, N, bias, g * Mg);
        }
      }
    };
  },
});
