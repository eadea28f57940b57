// A strided convolution as a stride-1 one over phase images, so that Winograd (winograd.ts) can run
// it: SqueezeNet's conv1 (7x7, stride 2) becomes a 4x4 convolution over 2x2 = 4 phases of each
// colour channel, and AlexNet's conv1 (11x11, stride 4) a 3x3 one over 4x4 = 16 phases.
//
// With stride s, every kernel row ky is ky = s * a + py (phase py in [0, s), a = 0, 1, ...), and
// likewise kx = s * b + px, so
//
//     y[k, oy, ox] = sum_c sum_{ky,kx} w[k, c, ky, kx] * x[c, s oy + ky - pt, s ox + kx - pl]
//                  = sum_{c,py,px} sum_{a,b} w'[k, (c,py,px), a, b] * P[(c,py,px)][oy + a, ox + b]
//
//     P[(c,py,px)][i, j]   = x[c, s i + py - pt, s j + px - pl]      (0 in the pads)
//     w'[k, (c,py,px), a, b] = w[k, c, s a + py, s b + px]          (0 past the kernel)
//
// a valid (unpadded) stride-1 convolution with C * s * s channels and r = ceil(kernel / s) taps,
// whose output is the strided one's [outH, outW]; each phase image is (outH + r - 1) x (outW + r - 1).
// The phases' zero taps (r * s > kernel) cost multiplications but no accuracy.
import type { ResolvedWindow } from '../ops/window.js';

/** The phase geometry of a strided conv window: its stride s and the phase conv's taps r. */
export interface Phases {
  s: number;
  r: number;
}

/** Phases for a square kernel with equal strides > 1 and dilation 1; null otherwise. */
export function phasesOf(win: Pick<ResolvedWindow, 'kernel' | 'stride' | 'dilation'>): Phases | null {
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  if (kh !== kw || sh !== sw || sh < 2 || win.dilation[0] !== 1 || win.dilation[1] !== 1) return null;
  return { s: sh, r: Math.ceil(kh / sh) };
}

/** The stride-1, unpadded window the phase images are convolved with. */
export function phaseWindow(win: ResolvedWindow, { r }: Phases): ResolvedWindow {
  return {
    kernel: [r, r],
    stride: [1, 1],
    dilation: [1, 1],
    pads: [0, 0, 0, 0],
    applied: [0, 0, 0, 0],
    autoPad: 'NOTSET',
    ceilMode: false,
    inH: win.outH + r - 1,
    inW: win.outW + r - 1,
    outH: win.outH,
    outW: win.outW,
  };
}

/** w' [M, Cg * s * s, r, r] from w [M, Cg, k, k]: channel (c, py, px) = (c * s + py) * s + px. */
export function phaseWeights(weights: Float32Array, M: number, Cg: number, kernel: number, { s, r }: Phases): Float32Array {
  const out = new Float32Array(M * Cg * s * s * r * r);
  let o = 0;
  for (let k = 0; k < M; k++) {
    for (let c = 0; c < Cg; c++) {
      const w = (k * Cg + c) * kernel * kernel;
      for (let py = 0; py < s; py++) {
        for (let px = 0; px < s; px++) {
          for (let a = 0; a < r; a++) {
            for (let b = 0; b < r; b++, o++) {
              const ky = s * a + py;
              const kx = s * b + px;
              out[o] = ky < kernel && kx < kernel ? weights[w + ky * kernel + kx] : 0;
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * The phase images P of `channels` input planes at x[xOffset] ([C, inH, inW]) into out
 * ([C * s * s, inH', inW'] of phaseWindow), channels in the order of phaseWeights.
 */
export function phaseImages(x: Float32Array, xOffset: number, channels: number, win: ResolvedWindow, { s, r }: Phases, out: Float32Array): void {
  const { inH, inW } = win;
  const [pt, pl] = win.applied;
  const PH = win.outH + r - 1;
  const PW = win.outW + r - 1;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOffset + c * inH * inW;
    for (let py = 0; py < s; py++) {
      for (let px = 0; px < s; px++) {
        for (let i = 0; i < PH; i++) {
          const y = s * i + py - pt;
          if (y < 0 || y >= inH) {
            out.fill(0, o, o + PW);
            o += PW;
            continue;
          }
          const row = plane + y * inW;
          for (let j = 0, xx = px - pl; j < PW; j++, o++, xx += s) out[o] = xx >= 0 && xx < inW ? x[row + xx] : 0;
        }
      }
    }
  }
}
