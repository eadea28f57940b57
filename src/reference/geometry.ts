// Sliding-window geometry, each formula once. Conv and the pools build their WindowGeometry here,
// the ONNX output size (ops/window.ts), the summary's coverage, the inspector's arithmetic and the
// receptive fields all compute from these functions.
import type { WindowGeometry } from './op.js';

/** F_eff = (F - 1)·d + 1: the input extent a kernel of size F with dilation d spans. */
export function effectiveKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

export interface AxisOutputSize {
  /** The unrounded (N - F_eff + P_begin + P_end) / S + 1, e.g. 55.25. */
  exact: number;
  /** False when the windows do not tile the padded input exactly (the lecture's "does not fit"). */
  integer: boolean;
}

/**
 * The lecture's output size (N - F + 2P) / S + 1 on one axis, with F the effective kernel and
 * 2P written as P_begin + P_end so uneven pads count; ONNX rounds it down (up with ceil_mode).
 */
export function outputSize(n: number, f: number, padBegin: number, padEnd: number, stride: number): AxisOutputSize {
  const exact = (n - f + padBegin + padEnd) / stride + 1;
  return { exact, integer: Number.isInteger(exact) };
}

/** Last input index a window covers: windows start at -P_begin, step S, span F_eff; out windows. */
export function lastCoveredIndex(out: number, f: number, padBegin: number, stride: number): number {
  return -padBegin + (out - 1) * stride + f - 1;
}

/** The WindowGeometry of a window op from its attributes and the pads it really applies. */
export function windowGeometry(w: {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Applied pads [top, left, bottom, right]. */
  applied: [number, number, number, number];
}): WindowGeometry {
  return { kind: 'window', kernel: w.kernel, stride: w.stride, dilation: w.dilation, padBegin: [w.applied[0], w.applied[1]], padEnd: [w.applied[2], w.applied[3]] };
}

/** Receptive field of one tensor on one spatial axis, in input-pixel coordinates. */
export interface AxisField {
  /** How many input pixels one cell sees. */
  size: number;
  /** Input pixels between neighbouring cells (the product of the strides so far). */
  jump: number;
  /** Input coordinate where cell 0's field begins (negative when it starts in padding). */
  start: number;
}

/**
 * Through a window op on axis i:
 *   size' = size + (F_eff - 1)·jump,  jump' = jump·S,  start' = start - P_begin·jump.
 */
export function propagateAxis(a: AxisField, g: WindowGeometry, i: 0 | 1): AxisField {
  const f = effectiveKernel(g.kernel[i], g.dilation[i]);
  return { size: a.size + (f - 1) * a.jump, jump: a.jump * g.stride[i], start: a.start - g.padBegin[i] * a.jump };
}
