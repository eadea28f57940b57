// Depthwise convolution (a grouped Conv where every group has one input channel; `multiplier`
// output channels per input channel), computed directly: per output channel, each filter tap adds
// its weight times a strided input row to the output row. No im2col, no GEMM: a depthwise layer
// does (kernel area) multiply-adds per output value, too few for packing to pay off.
// Border taps are clipped to the input per tap, so padding costs nothing and needs no branches
// in the inner loop.
import type { Shape } from '../../model/onnx-read.js';
import { floatConstant, hasInput, partRange, type OpContext, type PartKernel } from '../op.js';
import type { ResolvedWindow } from './window.js';

/** Whether a Conv with these shapes and groups is depthwise (one input channel per group). */
export function isDepthwise(group: number, inputShape: Shape): boolean {
  return group > 1 && inputShape[1] === group;
}

/**
 * Computes output channels [m0, m1) of one image: y[m] = bias[m] + sum over taps of
 * w[m, ky, kx] * x[m / multiplier] at the tap's strided, dilated, padded position.
 */
export function depthwiseChannels(
  x: Float32Array,
  xOffset: number,
  y: Float32Array,
  yOffset: number,
  weights: Float32Array,
  bias: Float32Array | null,
  multiplier: number,
  win: ResolvedWindow,
  m0: number,
  m1: number,
): void {
  const { inH, inW, outH, outW } = win;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  const [dh, dw] = win.dilation;
  const [pt, pl] = win.applied;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  // Output columns whose input column lies inside the image, per kernel column.
  const oxLo = new Int32Array(kw);
  const oxHi = new Int32Array(kw);
  for (let kx = 0; kx < kw; kx++) {
    const dx = kx * dw - pl;
    oxLo[kx] = Math.min(outW, Math.max(0, Math.ceil(-dx / sw)));
    oxHi[kx] = Math.max(oxLo[kx], Math.min(outW, Math.ceil((inW - dx) / sw)));
  }
  for (let m = m0; m < m1; m++) {
    const inBase = xOffset + Math.floor(m / multiplier) * inPlane;
    const outBase = yOffset + m * outPlane;
    const wBase = m * kh * kw;
    const b = bias ? bias[m] : 0;
    y.fill(b, outBase, outBase + outPlane);
    for (let oy = 0; oy < outH; oy++) {
      const row = outBase + oy * outW;
      const iy0 = oy * sh - pt;
      // 3 kernel rows all inside the image (the common case): one pass per kernel column adds
      // all three taps, instead of one read-modify-write pass of the output row per tap.
      if (kh === 3 && iy0 >= 0 && iy0 + 2 * dh < inH) {
        const r0 = inBase + iy0 * inW - pl;
        const r1 = r0 + dh * inW;
        const r2 = r1 + dh * inW;
        for (let kx = 0; kx < kw; kx++) {
          const w0 = weights[wBase + kx];
          const w1 = weights[wBase + kw + kx];
          const w2 = weights[wBase + 2 * kw + kx];
          const lo = oxLo[kx];
          const hi = oxHi[kx];
          const off = lo * sw + kx * dw;
          let s0 = r0 + off;
          let s1 = r1 + off;
          let s2 = r2 + off;
          for (let ox = lo; ox < hi; ox++, s0 += sw, s1 += sw, s2 += sw) y[row + ox] += w0 * x[s0] + w1 * x[s1] + w2 * x[s2];
        }
        continue;
      }
      for (let ky = 0; ky < kh; ky++) {
        const iy = iy0 + ky * dh;
        if (iy < 0 || iy >= inH) continue;
        const inRow = inBase + iy * inW - pl;
        for (let kx = 0; kx < kw; kx++) {
          const w = weights[wBase + ky * kw + kx];
          const lo = oxLo[kx];
          const hi = oxHi[kx];
          let src = inRow + lo * sw + kx * dw;
          for (let ox = lo; ox < hi; ox++, src += sw) y[row + ox] += w * x[src];
        }
      }
    }
  }
}

/** The depthwise Conv kernel, split across workers by output channel. */
export function depthwisePartKernel(ctx: OpContext, win: ResolvedWindow): PartKernel {
  const [batch, C] = ctx.inputShapes[0];
  const M = ctx.inputShapes[1][0];
  const weights = floatConstant(ctx, 1, 'weights');
  const bias = hasInput(ctx, 2) ? floatConstant(ctx, 2, 'bias') : null;
  const multiplier = M / C;
  const inImage = C * win.inH * win.inW;
  const outImage = M * win.outH * win.outW;
  return (inputs, outputs, _ws, part, parts) => {
    const [m0, m1] = partRange(M, part, parts);
    for (let b = 0; b < batch; b++) {
      depthwiseChannels(inputs[0], b * inImage, outputs[0], b * outImage, weights, bias, multiplier, win, m0, m1);
    }
  };
}
