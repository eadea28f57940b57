// Depthwise convolution (a grouped Conv where every group has one input channel; `multiplier`
// output channels per input channel), computed directly: each output value sums its window's
// taps in registers and is stored once. No im2col, no GEMM: a depthwise layer
// does (kernel area) multiply-adds per output value, too few for packing to pay off.
// Zero padding is made real (a padded copy of each input channel), so no loop tests bounds.
import type { Shape } from '../../model/onnx-read.js';
import { floatConstant, hasInput, partRange, type OpContext, type PartKernel } from '../op.js';
import type { ResolvedWindow } from './window.js';
import { activateBlock, type Activation } from '../kernels/fused-activation.js';

/** Whether a Conv with these shapes and groups is depthwise (one input channel per group). */
export function isDepthwise(group: number, inputShape: Shape): boolean {
  return group > 1 && inputShape[1] === group;
}

/**
 * Computes output channels [m0, m1) of one image: y[m] = bias[m] + sum over taps of
 * w[m, ky, kx] * x[m / multiplier] at the tap's strided, dilated, padded position
 * (input row oy * stride - padTop + ky * dilation, likewise for columns; outside the image reads 0).
 *
 * Each input channel is first copied into `padded`, a zero-bordered plane, so that every window
 * lies inside it and the loops need no bounds tests (the copy is one pass over the plane; the
 * taps are nine). Each output value is summed in registers, in (ky, kx) order, then stored.
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
  padded: Float32Array,
  act: Activation | null = null,
): void {
  const { inH, inW, outH, outW } = win;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  const [dh, dw] = win.dilation;
  const [pt, pl] = win.applied;
  const [PH, PW] = paddedSize(win);
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  padded.fill(0, 0, PH * PW); // the border; the image part is overwritten per channel
  let channel = -1;
  for (let m = m0; m < m1; m++) {
    const c = Math.floor(m / multiplier);
    if (c !== channel) {
      channel = c;
      const src = xOffset + c * inPlane;
      for (let iy = 0; iy < inH; iy++) padded.set(x.subarray(src + iy * inW, src + (iy + 1) * inW), (iy + pt) * PW + pl);
    }
    const outBase = yOffset + m * outPlane;
    const wBase = m * kh * kw;
    const b = bias ? bias[m] : 0;
    if (kh === 3 && kw === 3) {
      const w00 = weights[wBase], w01 = weights[wBase + 1], w02 = weights[wBase + 2];
      const w10 = weights[wBase + 3], w11 = weights[wBase + 4], w12 = weights[wBase + 5];
      const w20 = weights[wBase + 6], w21 = weights[wBase + 7], w22 = weights[wBase + 8];
      for (let oy = 0; oy < outH; oy++) {
        const row = outBase + oy * outW;
        const r0 = oy * sh * PW;
        const r1 = r0 + dh * PW;
        const r2 = r1 + dh * PW;
        if (sw === 1 && dw === 1) {
          // Stride 1: the window slides one column at a time; two of its columns stay in registers.
          let a0 = padded[r0], a1 = padded[r0 + 1];
          let b0 = padded[r1], b1 = padded[r1 + 1];
          let c0 = padded[r2], c1 = padded[r2 + 1];
          for (let ox = 0; ox < outW; ox++) {
            const a2 = padded[r0 + ox + 2], b2 = padded[r1 + ox + 2], c2 = padded[r2 + ox + 2];
            y[row + ox] = b + w00 * a0 + w01 * a1 + w02 * a2 + w10 * b0 + w11 * b1 + w12 * b2 + w20 * c0 + w21 * c1 + w22 * c2;
            a0 = a1; a1 = a2;
            b0 = b1; b1 = b2;
            c0 = c1; c1 = c2;
          }
          continue;
        }
        const d2 = 2 * dw;
        for (let ox = 0, s = 0; ox < outW; ox++, s += sw) {
          y[row + ox] =
            b +
            w00 * padded[r0 + s] + w01 * padded[r0 + s + dw] + w02 * padded[r0 + s + d2] +
            w10 * padded[r1 + s] + w11 * padded[r1 + s + dw] + w12 * padded[r1 + s + d2] +
            w20 * padded[r2 + s] + w21 * padded[r2 + s + dw] + w22 * padded[r2 + s + d2];
        }
      }
    } else {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          let sum = b;
          for (let ky = 0; ky < kh; ky++) {
            const r = (oy * sh + ky * dh) * PW + ox * sw;
            for (let kx = 0; kx < kw; kx++) sum += weights[wBase + ky * kw + kx] * padded[r + kx * dw];
          }
          y[outBase + oy * outW + ox] = sum;
        }
      }
    }
    if (act) activateBlock(y, outBase, outW, outH, outW, act);
  }
}

/** [height, width] of an input plane with the window's padding around it (enough for every window). */
export function paddedSize(win: ResolvedWindow): [number, number] {
  const [pt, pl] = win.applied;
  // The last window ends at (out - 1) * stride + (kernel - 1) * dilation in padded coordinates.
  const h = Math.max(pt + win.inH, (win.outH - 1) * win.stride[0] + (win.kernel[0] - 1) * win.dilation[0] + 1);
  const w = Math.max(pl + win.inW, (win.outW - 1) * win.stride[1] + (win.kernel[1] - 1) * win.dilation[1] + 1);
  return [h, w];
}

/** The depthwise Conv kernel, split across workers by output channel; with `act`, stores act(conv). */
export function depthwisePartKernel(ctx: OpContext, win: ResolvedWindow, act: Activation | null): PartKernel {
  const [batch, C] = ctx.inputShapes[0];
  const M = ctx.inputShapes[1][0];
  const weights = floatConstant(ctx, 1, 'weights');
  const bias = hasInput(ctx, 2) ? floatConstant(ctx, 2, 'bias') : null;
  const multiplier = M / C;
  const inImage = C * win.inH * win.inW;
  const outImage = M * win.outH * win.outW;
  const [PH, PW] = paddedSize(win);
  return (inputs, outputs, ws, part, parts) => {
    const [m0, m1] = partRange(M, part, parts);
    const padded = ws.floats(PH * PW);
    for (let b = 0; b < batch; b++) {
      depthwiseChannels(inputs[0], b * inImage, outputs[0], b * outImage, weights, bias, multiplier, win, m0, m1, padded, act);
    }
  };
}
