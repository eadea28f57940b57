// Arrow-key movement through a grid of `count` items laid out `cols` per row (row-major, the last
// row possibly short): where focus goes next, or null when the key is not a movement key.
export function gridKeyMove(key: string, index: number, cols: number, count: number): number | null {
  const last = count - 1;
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = index + 1;
      break;
    case 'ArrowLeft':
      next = index - 1;
      break;
    case 'ArrowDown':
      next = index + cols;
      break;
    case 'ArrowUp':
      next = index - cols;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
    default:
      return null;
  }
  // Off an edge: stay put (a screen reader user hears the same item, not a jump to the far side).
  return next < 0 || next > last ? index : next;
}

/** The same for a 2-D cursor over a height x width map. */
export function mapKeyMove(key: string, row: number, col: number, height: number, width: number): { row: number; col: number } | null {
  const clamp = (v: number, hi: number) => Math.min(hi - 1, Math.max(0, v));
  switch (key) {
    case 'ArrowRight':
      return { row, col: clamp(col + 1, width) };
    case 'ArrowLeft':
      return { row, col: clamp(col - 1, width) };
    case 'ArrowDown':
      return { row: clamp(row + 1, height), col };
    case 'ArrowUp':
      return { row: clamp(row - 1, height), col };
    case 'Home':
      return { row, col: 0 };
    case 'End':
      return { row, col: width - 1 };
    default:
      return null;
  }
}

/** Zoom steps of the +/- control. */
export const ZOOM_STEPS = [1, 1.5, 2, 3, 4, 6] as const;

export function zoomStep(current: number, direction: 1 | -1): number {
  const i = ZOOM_STEPS.findIndex((z) => z >= current - 1e-9);
  const at = i < 0 ? ZOOM_STEPS.length - 1 : i;
  return ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, at + direction))];
}
