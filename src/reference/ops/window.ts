// Output size and padding of a sliding window (Conv, MaxPool, AveragePool) on one spatial axis,
// following the ONNX spec: out = floor((N - F_eff + padBegin + padEnd) / S + 1) with
// F_eff = (F - 1) * dilation + 1 (both from ../geometry.ts); ceil instead of floor when
// ceil_mode = 1; auto_pad SAME_* picks pads so that out = ceil(N / S).
import { effectiveKernel, outputSize } from '../geometry.js';
import { fail, intAttr, intsAttr, stringAttr, unsupported, type OpContext } from '../op.js';

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface WindowAttributes {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** As given in the node: [top, left, bottom, right] (ONNX order: all begins, then all ends). */
  pads: [number, number, number, number];
  autoPad: AutoPad;
  ceilMode: boolean;
}

export interface ResolvedWindow extends WindowAttributes {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  /** Pads actually applied after auto_pad: [top, left, bottom, right]. */
  applied: [number, number, number, number];
}

/** Reads kernel_shape, strides, dilations, pads, auto_pad, ceil_mode for a 2-D window op. */
export function parseWindow(ctx: OpContext, kernelFallback: number[] | undefined): WindowAttributes {
  const kernel = intsAttr(ctx, 'kernel_shape', kernelFallback);
  if (!kernel) fail(ctx, 'kernel_shape is required');
  if (kernel.length !== 2) unsupported(ctx, `only 2-D windows are supported (kernel_shape has ${kernel.length} dims)`);
  const stride = intsAttr(ctx, 'strides', [1, 1])!;
  const dilation = intsAttr(ctx, 'dilations', [1, 1])!;
  const pads = intsAttr(ctx, 'pads', [0, 0, 0, 0])!;
  if (stride.length !== 2 || dilation.length !== 2 || pads.length !== 4) fail(ctx, 'strides, dilations and pads must match a 2-D kernel');
  if ([...kernel, ...stride, ...dilation].some((v) => v < 1)) fail(ctx, 'kernel, strides and dilations must be positive');
  if (pads.some((p) => p < 0)) fail(ctx, 'pads must not be negative');
  const autoPad = stringAttr(ctx, 'auto_pad', 'NOTSET') as AutoPad;
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) fail(ctx, `unknown auto_pad ${autoPad}`);
  return {
    kernel: [kernel[0], kernel[1]],
    stride: [stride[0], stride[1]],
    dilation: [dilation[0], dilation[1]],
    pads: [pads[0], pads[1], pads[2], pads[3]],
    autoPad,
    ceilMode: intAttr(ctx, 'ceil_mode', 0) === 1,
  };
}

export function resolveWindow(ctx: OpContext, w: WindowAttributes, inH: number, inW: number): ResolvedWindow {
  const h = axis(w, 0, inH);
  const v = axis(w, 1, inW);
  if (h.out < 1 || v.out < 1) {
    fail(ctx, `window ${w.kernel.join('x')} does not fit the ${inH}x${inW} input with pads [${w.pads.join(', ')}]`);
  }
  return { ...w, inH, inW, outH: h.out, outW: v.out, applied: [h.begin, v.begin, h.end, v.end] };
}

function axis(w: WindowAttributes, i: 0 | 1, n: number): { out: number; begin: number; end: number } {
  const f = effectiveKernel(w.kernel[i], w.dilation[i]);
  const s = w.stride[i];
  if (w.autoPad === 'VALID') return { out: Math.floor(outputSize(n, f, 0, 0, s).exact), begin: 0, end: 0 };
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
    const out = Math.ceil(n / s);
    const total = Math.max(0, (out - 1) * s + f - n);
    // SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning.
    const begin = w.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    return { out, begin, end: total - begin };
  }
  const begin = w.pads[i];
  const end = w.pads[i + 2];
  const { exact } = outputSize(n, f, begin, end, s);
  let out = w.ceilMode ? Math.ceil(exact) : Math.floor(exact);
  // With ceil_mode the last window must still start inside the input or its leading pad.
  if (w.ceilMode && (out - 1) * s >= n + begin) out--;
  return { out, begin, end };
}
