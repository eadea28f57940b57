// Pooling: MaxPool, AveragePool (kernel, strides, pads, auto_pad, ceil_mode, count_include_pad;
// dilations for MaxPool), GlobalAveragePool, GlobalMaxPool. NCHW, 2-D only.
// Not supported: MaxPool's second output (Indices, int64), dilated AveragePool, 1-D / 3-D pooling.
import type { Shape } from '../../model/onnx-read.js';
import type { GraphNode } from '../../model/onnx-read.js';
import { windowGeometry } from '../geometry.js';
import { defineOp, fail, intAttr, size, unsupported, type BoundOp, type OpContext, type SpatialGeometry } from '../op.js';
import type { Tensor } from '../tensor.js';
import { parseWindow, resolveWindow, type ResolvedWindow, type WindowAttributes } from './window.js';

export type PoolType = 'max' | 'average';

export interface PoolAttributes extends WindowAttributes {
  type: PoolType;
  countIncludePad: boolean;
}

export function parsePoolAttributes(ctx: OpContext, type: PoolType): PoolAttributes {
  if (ctx.inputShapes[0].length !== 4) unsupported(ctx, `only 2-D pooling of [N, C, H, W] is supported, got [${ctx.inputShapes[0].join(', ')}]`);
  if (ctx.node.outputs.length > 1 && ctx.node.outputs[1]) unsupported(ctx, 'the Indices output is not supported');
  const w = parseWindow(ctx, undefined);
  if (type === 'average' && (w.dilation[0] !== 1 || w.dilation[1] !== 1)) unsupported(ctx, 'dilated AveragePool is not supported');
  return { ...w, type, countIncludePad: intAttr(ctx, 'count_include_pad', 0) === 1 };
}

export function poolWindow(a: PoolAttributes, ctx: OpContext): ResolvedWindow {
  const [, , h, w] = ctx.inputShapes[0];
  return resolveWindow(ctx, a, h, w);
}

/** Runs one pooling window op on [N*C] planes; used by the engine and by the inspector's what-if. */
export function pool2d(x: Float32Array, y: Float32Array, planes: number, win: ResolvedWindow, type: PoolType, countIncludePad: boolean): void {
  const { inH, inW, outH, outW } = win;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.stride;
  const [dh, dw] = win.dilation;
  const [pt, pl, pb, pr] = win.applied;
  const isMax = type === 'max';
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - pt;
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = ox * sw - pl;
        if (isMax) {
          let m = -Infinity;
          for (let ky = 0; ky < kh; ky++) {
            const iy = y0 + ky * dh;
            if (iy < 0 || iy >= inH) continue;
            const row = plane + iy * inW;
            for (let kx = 0; kx < kw; kx++) {
              const ix = x0 + kx * dw;
              if (ix >= 0 && ix < inW && x[row + ix] > m) m = x[row + ix];
            }
          }
          y[o] = m;
        } else {
          // Divisor as onnxruntime computes it: with count_include_pad the window is clipped to the
          // padded extent (ceil_mode windows may run past it), otherwise to the input itself.
          const yEnd = Math.min(y0 + kh, inH + pb);
          const xEnd = Math.min(x0 + kw, inW + pr);
          const padded = (yEnd - y0) * (xEnd - x0);
          const ys = Math.max(y0, 0);
          const xs = Math.max(x0, 0);
          const ye = Math.min(yEnd, inH);
          const xe = Math.min(xEnd, inW);
          let s = 0;
          for (let iy = ys; iy < ye; iy++) {
            const row = plane + iy * inW;
            for (let ix = xs; ix < xe; ix++) s += x[row + ix];
          }
          const count = countIncludePad ? padded : (ye - ys) * (xe - xs);
          y[o] = count > 0 ? s / count : 0;
        }
      }
    }
  }
}

function windowPool(type: PoolType) {
  return defineOp<PoolAttributes>({
    parse: (ctx) => parsePoolAttributes(ctx, type),
    outputShapes: (a, ctx) => {
      const win = poolWindow(a, ctx);
      const [n, c] = ctx.inputShapes[0];
      return [[n, c, win.outH, win.outW]];
    },
    geometry: (a, ctx): SpatialGeometry => windowGeometry(poolWindow(a, ctx)),
    kernel(a, ctx) {
      const win = poolWindow(a, ctx);
      const [n, c] = ctx.inputShapes[0];
      return (inputs, outputs) => pool2d(inputs[0], outputs[0], n * c, win, a.type, a.countIncludePad);
    },
  });
}

export const MaxPool = windowPool('max');
export const AveragePool = windowPool('average');

function globalPool(type: PoolType) {
  return defineOp<{ type: PoolType }>({
    parse: (ctx) => {
      if (ctx.inputShapes[0].length < 3) fail(ctx, 'input must have spatial dimensions');
      return { type };
    },
    outputShapes: (_a, ctx): Shape[] => [ctx.inputShapes[0].map((d, i) => (i < 2 ? d : 1))],
    geometry: () => ({ kind: 'global' }),
    kernel(a, ctx) {
      const [n, c, ...spatial] = ctx.inputShapes[0];
      const area = spatial.reduce((x, y) => x * y, 1);
      return (inputs, outputs) => globalPool2d(inputs[0], outputs[0], n * c, area, a.type);
    },
  });
}

/** Max or mean of each of `planes` planes of `area` values. */
export function globalPool2d(x: Float32Array, y: Float32Array, planes: number, area: number, type: PoolType): void {
  for (let p = 0; p < planes; p++) {
    const base = p * area;
    if (type === 'max') {
      let m = -Infinity;
      for (let i = 0; i < area; i++) if (x[base + i] > m) m = x[base + i];
      y[p] = m;
    } else {
      let s = 0;
      for (let i = 0; i < area; i++) s += x[base + i];
      y[p] = s / area;
    }
  }
}

/** One bound pooling node and its input from the last run, as the engine holds them. */
export interface PoolLayer {
  node: GraphNode;
  op: BoundOp;
  inputShapes: Shape[];
  outputShapes: Shape[];
  input: Float32Array;
}

/**
 * Runs a pooling node with the other pooling type (max <-> average, global max <-> global
 * average) on its input, so the inspector can show both side by side.
 */
export function whatIfPool(layer: PoolLayer, opset: number): { type: PoolType; tensor: Tensor } {
  const x = layer.input;
  const [n, c] = layer.inputShapes[0];
  const dims = layer.outputShapes[0];
  const y = new Float32Array(size(dims));
  switch (layer.node.opType) {
    case 'MaxPool':
    case 'AveragePool': {
      const attrs = layer.op.attributes as PoolAttributes;
      const other: PoolType = attrs.type === 'max' ? 'average' : 'max';
      const ctx = { node: layer.node, inputShapes: layer.inputShapes, constants: [], opset };
      // Average pooling over a max pool's window counts only real pixels (count_include_pad = 0).
      pool2d(x, y, n * c, poolWindow(attrs, ctx), other, other === 'average' ? false : attrs.countIncludePad);
      return { type: other, tensor: { dims: [...dims], data: y } };
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const other: PoolType = layer.node.opType === 'GlobalAveragePool' ? 'max' : 'average';
      globalPool2d(x, y, n * c, x.length / (n * c), other);
      return { type: other, tensor: { dims: [...dims], data: y } };
    }
    default:
      throw new Error(`node "${layer.node.name}" is a ${layer.node.opType}, not a pooling node`);
  }
}

export const GlobalAveragePool = globalPool('average');
export const GlobalMaxPool = globalPool('max');
