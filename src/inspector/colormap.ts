// Colour scales for feature maps, all in one place: a perceptually uniform default (viridis),
// greyscale, and a diverging map (red-white-blue) centred on zero for signed values.
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export type ColormapName = 'viridis' | 'greys' | 'diverging';

export interface Colormap {
  name: ColormapName;
  label: string;
  /** Signed maps put 0 at the centre and scale by the largest magnitude. */
  signed: boolean;
  /** 256 RGB triples. */
  lut: Uint8Array;
  /**
   * The same 256 colours as opaque RGBA pixels, one 32-bit word each, so a renderer stores a pixel
   * with one write. Filled through its bytes: R, G, B, A lie in that order in memory on any CPU.
   */
  rgba: Uint32Array;
}

/** Opaque RGBA words of 256 RGB triples (see Colormap.rgba). */
export function rgbaWords(lut: Uint8Array): Uint32Array {
  const words = new Uint32Array(lut.length / 3);
  const bytes = new Uint8Array(words.buffer);
  for (let i = 0; i < words.length; i++) bytes.set([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255], i * 4);
  return words;
}

function lut(interpolate: (t: number) => string, reverse = false): Uint8Array {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(interpolate(reverse ? 1 - i / 255 : i / 255));
    out[i * 3] = Math.round(c.r);
    out[i * 3 + 1] = Math.round(c.g);
    out[i * 3 + 2] = Math.round(c.b);
  }
  return out;
}

/** Black -> white, linear in the stored value: what a plain image viewer would show. */
function linearGrey(): Uint8Array {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) out.fill(i, i * 3, i * 3 + 3);
  return out;
}

let cache: Record<ColormapName, Colormap> | null = null;

export function colormaps(): Record<ColormapName, Colormap> {
  const entry = (name: ColormapName, label: string, signed: boolean, table: Uint8Array): Colormap => ({ name, label, signed, lut: table, rgba: rgbaWords(table) });
  cache ??= {
    viridis: entry('viridis', 'Viridis (perceptually uniform)', false, lut(interpolateViridis)),
    greys: entry('greys', 'Greyscale', false, linearGrey()),
    // RdBu runs red (low) -> blue (high); reversed so positive values are red.
    diverging: entry('diverging', 'Diverging (signed, 0 = white)', true, lut(interpolateRdBu, true)),
  };
  return cache;
}

export function colormap(name: ColormapName): Colormap {
  return colormaps()[name];
}
