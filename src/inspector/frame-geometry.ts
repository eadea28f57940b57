// Maps a rectangle in model-input pixels (e.g. a receptive field) back through the centre crop and
// the short-side resize to the coordinates of the camera frame or photo.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Input pixels [x0, x1) x [y0, y1) of the model input -> the same region in frame pixels, given
 * where the model's crop lies in the frame (the crop spans the whole input, so scaling is linear).
 */
export function inputRectToFrame(box: { x0: number; y0: number; x1: number; y1: number }, crop: Rect, inputWidth: number, inputHeight: number): Rect {
  const sx = crop.width / inputWidth;
  const sy = crop.height / inputHeight;
  return { x: crop.x + box.x0 * sx, y: crop.y + box.y0 * sy, width: (box.x1 - box.x0) * sx, height: (box.y1 - box.y0) * sy };
}
