// Where a frame's pixel lands on screen when a <video>/<canvas> shows it with object-fit.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Frame (frameW x frameH) shown in a box (boxW x boxH) with object-fit contain or cover, centred. */
export function fitTransform(frameW: number, frameH: number, boxW: number, boxH: number, fit: 'contain' | 'cover') {
  const scale = fit === 'contain' ? Math.min(boxW / frameW, boxH / frameH) : Math.max(boxW / frameW, boxH / frameH);
  return { scale, offsetX: (boxW - frameW * scale) / 2, offsetY: (boxH - frameH * scale) / 2 };
}

/** A rectangle in frame pixels -> CSS pixels inside the box (clipped to the box for cover). */
export function frameRectToBox(rect: Rect, frameW: number, frameH: number, boxW: number, boxH: number, fit: 'contain' | 'cover'): Rect {
  const { scale, offsetX, offsetY } = fitTransform(frameW, frameH, boxW, boxH, fit);
  const x0 = Math.max(0, offsetX + rect.x * scale);
  const y0 = Math.max(0, offsetY + rect.y * scale);
  const x1 = Math.min(boxW, offsetX + (rect.x + rect.width) * scale);
  const y1 = Math.min(boxH, offsetY + (rect.y + rect.height) * scale);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
