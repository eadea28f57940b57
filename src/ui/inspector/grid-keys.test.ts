import { describe, expect, it } from 'vitest';
import { gridKeyMove, mapKeyMove, zoomStep } from './grid-keys';

describe('gridKeyMove', () => {
  // 10 items, 4 per row: rows 0-3, 4-7, 8-9.
  it('moves by one across and by a row up and down', () => {
    expect(gridKeyMove('ArrowRight', 5, 4, 10)).toBe(6);
    expect(gridKeyMove('ArrowLeft', 5, 4, 10)).toBe(4);
    expect(gridKeyMove('ArrowDown', 5, 4, 10)).toBe(9);
    expect(gridKeyMove('ArrowUp', 5, 4, 10)).toBe(1);
    expect(gridKeyMove('Home', 5, 4, 10)).toBe(0);
    expect(gridKeyMove('End', 5, 4, 10)).toBe(9);
  });
  it('reaches every item with the arrow keys and stays at the edges', () => {
    const seen = new Set<number>();
    let i = 0;
    for (let n = 0; n < 20; n++) {
      seen.add(i);
      i = gridKeyMove('ArrowRight', i, 4, 10)!;
    }
    expect(seen.size).toBe(10);
    expect(gridKeyMove('ArrowDown', 7, 4, 10)).toBe(7);
    expect(gridKeyMove('ArrowUp', 2, 4, 10)).toBe(2);
    expect(gridKeyMove('ArrowLeft', 0, 4, 10)).toBe(0);
  });
  it('ignores other keys', () => {
    expect(gridKeyMove('Enter', 3, 4, 10)).toBeNull();
  });
});

describe('mapKeyMove and zoomStep', () => {
  it('moves a cursor inside the map', () => {
    expect(mapKeyMove('ArrowRight', 2, 6, 5, 7)).toEqual({ row: 2, col: 6 });
    expect(mapKeyMove('ArrowDown', 2, 3, 5, 7)).toEqual({ row: 3, col: 3 });
    expect(mapKeyMove('ArrowUp', 0, 3, 5, 7)).toEqual({ row: 0, col: 3 });
    expect(mapKeyMove('x', 0, 3, 5, 7)).toBeNull();
  });
  it('steps through the zoom levels and stops at both ends', () => {
    expect(zoomStep(1, 1)).toBe(1.5);
    expect(zoomStep(1, -1)).toBe(1);
    expect(zoomStep(6, 1)).toBe(6);
    expect(zoomStep(3, -1)).toBe(2);
  });
});
