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
  cache ??= {
    viridis: { name: 'viridis', label: 'Viridis (perceptually uniform)', signed: false, lut: lut(interpolateViridis) },
    greys: { name: 'greys', label: 'Greyscale', signed: false, lut: linearGrey() },
    // RdBu runs red (low) -> blue (high); reversed so positive values are red.
    diverging: { name: 'diverging', label: 'Diverging (signed, 0 = white)', signed: true, lut: lut(interpolateRdBu, true) },
  };
  return cache;
}

export function colormap(name: ColormapName): Colormap {
  return colormaps()[name];
}
