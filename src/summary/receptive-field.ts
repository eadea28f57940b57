// Receptive-field geometry per tensor, per spatial axis, in input-pixel coordinates (size, jump,
// start; the formula through a window op is propagateAxis in ../reference/geometry.ts).
// Cell i then sees [start + i * jump, start + i * jump + size) on that axis.
import { propagateAxis, type AxisField } from '../reference/geometry.js';
import type { SpatialGeometry } from '../reference/op.js';

export type { AxisField } from '../reference/geometry.js';

export interface ReceptiveField {
  /** True when every cell sees the whole input (after global pooling, flatten, dense layers). */
  global: boolean;
  h: AxisField;
  w: AxisField;
  /** Input image size the field is measured against (for clipping). */
  inputHeight: number;
  inputWidth: number;
}

export function inputField(height: number, width: number): ReceptiveField {
  return { global: false, h: { size: 1, jump: 1, start: 0 }, w: { size: 1, jump: 1, start: 0 }, inputHeight: height, inputWidth: width };
}

export function globalField(height: number, width: number): ReceptiveField {
  return { global: true, h: { size: height, jump: 0, start: 0 }, w: { size: width, jump: 0, start: 0 }, inputHeight: height, inputWidth: width };
}

/** The field of an op's output given the field of its (spatial) input. */
export function propagateField(input: ReceptiveField, geometry: SpatialGeometry, outputRank: number): ReceptiveField {
  if (input.global || geometry.kind === 'global' || outputRank !== 4) return globalField(input.inputHeight, input.inputWidth);
  if (geometry.kind === 'pointwise') return input;
  return { ...input, h: propagateAxis(input.h, geometry, 0), w: propagateAxis(input.w, geometry, 1) };
}

/** Of several inputs' fields (Concat, Add), the widest: a cell sees the union. */
export function widestField(fields: ReceptiveField[]): ReceptiveField {
  return fields.reduce((best, f) => (f.global || (!best.global && f.h.size * f.w.size > best.h.size * best.w.size) ? f : best));
}

export interface PixelBox {
  /** Inclusive start, exclusive end, in input pixels. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The input pixels a feature-map cell (row, col) sees: unclipped (may extend into padding, beyond
 * the image) and clipped to the image.
 */
export function receptiveFieldOfCell(field: ReceptiveField, row: number, col: number): { unclipped: PixelBox; clipped: PixelBox } {
  const unclipped: PixelBox = field.global
    ? { x0: 0, y0: 0, x1: field.inputWidth, y1: field.inputHeight }
    : {
        x0: field.w.start + col * field.w.jump,
        y0: field.h.start + row * field.h.jump,
        x1: field.w.start + col * field.w.jump + field.w.size,
        y1: field.h.start + row * field.h.jump + field.h.size,
      };
  const clipped: PixelBox = {
    x0: Math.min(field.inputWidth, Math.max(0, unclipped.x0)),
    y0: Math.min(field.inputHeight, Math.max(0, unclipped.y0)),
    x1: Math.min(field.inputWidth, Math.max(0, unclipped.x1)),
    y1: Math.min(field.inputHeight, Math.max(0, unclipped.y1)),
  };
  return { unclipped, clipped };
}
