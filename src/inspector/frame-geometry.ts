// Maps a rectangle in model-input pixels (e.g. a receptive field) back through the centre crop and
// the short-side resize to the coordinates of the camera frame or photo.
import type { CropGeometry } from '../preprocess/preprocess.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Input pixels [x0, x1) x [y0, y1) of the model input -> the same region in frame pixels. */
export function inputRectToFrame(rect: { x0: number; y0: number; x1: number; y1: number }, g: CropGeometry): Rect {
  return {
    x: (g.left + rect.x0) * g.scaleX,
    y: (g.top + rect.y0) * g.scaleY,
    width: (rect.x1 - rect.x0) * g.scaleX,
    height: (rect.y1 - rect.y0) * g.scaleY,
  };
}
