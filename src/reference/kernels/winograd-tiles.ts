// The 1-D transforms of Winograd F(m, r) for F(2, 3), F(4, 3) and F(3, 4) (Lavin & Gray 2016; the
// F(4, 3) and F(3, 4) matrices use the interpolation points 0, 1, -1, 2, -2 and infinity). For a
// 1-D input d of a = m + r - 1 values and a filter g of r, the m outputs y_i = sum_k d[i + k] g[k] are
//
//     y = A^T [ (G g) (.) (B^T d) ]
//
// and the 2-D F(m x m, r x r) nests this along rows and columns (winograd.ts). Each function reads
// its vector from src[so + i * ss] and writes dst[do + i * ds], so one function serves rows and
// columns. The matrices are spelled out above each function; the code is their non-zero terms.
//
// Where they come from (Toom-Cook, then transposed): with the a points p, E_n is the a x n matrix
// whose row for a finite p is [1, p, p^2, ...] and whose row for infinity is [0, ..., 0, 1]; V = E_a
// and C = V^-1 interpolates. Correlation is the transpose of polynomial multiplication, so
// A^T = E_m^T, G = E_r and B^T = C^T, up to a scale per row moved between B^T and G (here chosen to
// make B^T integer). F(4, 3) and F(3, 4) share their points, hence their B^T.

export interface WinogradTile {
  /** Output tile side. */
  m: number;
  /** Filter taps, r. */
  r: number;
  /** Input tile side, m + r - 1. */
  a: number;
  /** B^T x: a values -> a values. */
  input(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
  /** G g: r values -> a values. */
  filter(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
  /** A^T x: a values -> m values. */
  output(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
  /** B^T d B of an a x a tile d (row-major): B^T on each column into `half`, then B on each row into out. */
  input2d(d: Float64Array, half: Float64Array, out: Float64Array): void;
  /** A^T w A of an a x a tile w: A^T on each column into `half` (m x a), then A on each row into out (m x m). */
  output2d(w: Float64Array, half: Float64Array, out: Float64Array): void;
}

// Each tile spells out its own 2-D loops, calling its own 1-D functions: a call site that only
// ever sees one function gets it inlined, one shared by the tiles does not (measured: a model
// with two tile sizes ran its F(4x4, 3x3) layers ~8 % slower through shared loops).

/**
 * F(2, 3):
 *
 *           | 1  0 -1  0 |        |  1    0    0  |
 *     B^T = | 0  1  1  0 |    G = | 1/2  1/2  1/2 |    A^T = | 1  1  1  0 |
 *           | 0 -1  1  0 |        | 1/2 -1/2  1/2 |          | 0  1 -1 -1 |
 *           | 0  1  0 -1 |        |  0    0    1  |
 */
export const F2: WinogradTile = {
  m: 2,
  r: 3,
  a: 4,
  input: f2Input,
  filter: f2Filter,
  output: f2Output,
  input2d(d, half, out) {
    for (let q = 0; q < 4; q++) f2Input(d, q, 4, half, q, 4);
    for (let r = 0; r < 4; r++) f2Input(half, r * 4, 1, out, r * 4, 1);
  },
  output2d(w, half, out) {
    for (let q = 0; q < 4; q++) f2Output(w, q, 4, half, q, 4);
    for (let r = 0; r < 2; r++) f2Output(half, r * 4, 1, out, r * 2, 1);
  },
};

function f2Input(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss];
  d[d0] = x0 - x2;
  d[d0 + ds] = x1 + x2;
  d[d0 + 2 * ds] = x2 - x1;
  d[d0 + 3 * ds] = x1 - x3;
}

function f2Filter(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss];
  d[d0] = g0;
  d[d0 + ds] = (g0 + g1 + g2) / 2;
  d[d0 + 2 * ds] = (g0 - g1 + g2) / 2;
  d[d0 + 3 * ds] = g2;
}

function f2Output(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss];
  d[d0] = x0 + x1 + x2;
  d[d0 + ds] = x1 - x2 - x3;
}

/**
 * F(4, 3):
 *
 *           | 4  0 -5  0  1  0 |        |  1/4     0     0  |
 *           | 0 -4 -4  1  1  0 |        | -1/6  -1/6  -1/6  |         | 1  1  1  1  1  0 |
 *     B^T = | 0  4 -4 -1  1  0 |    G = | -1/6   1/6  -1/6  |   A^T = | 0  1 -1  2 -2  0 |
 *           | 0 -2 -1  2  1  0 |        | 1/24  1/12   1/6  |         | 0  1  1  4  4  0 |
 *           | 0  2 -1 -2  1  0 |        | 1/24 -1/12   1/6  |         | 0  1 -1  8 -8  1 |
 *           | 0  4  0 -5  0  1 |        |    0     0     1  |
 */
export const F4: WinogradTile = {
  m: 4,
  r: 3,
  a: 6,
  input: f4Input,
  filter: f4Filter,
  output: f4Output,
  input2d: f4Input2d,
  output2d(w, half, out) {
    for (let q = 0; q < 6; q++) f4Output(w, q, 6, half, q, 6);
    for (let r = 0; r < 4; r++) f4Output(half, r * 6, 1, out, r * 4, 1);
  },
};

function f4Input2d(d: Float64Array, half: Float64Array, out: Float64Array): void {
  for (let q = 0; q < 6; q++) f4Input(d, q, 6, half, q, 6);
  for (let r = 0; r < 6; r++) f4Input(half, r * 6, 1, out, r * 6, 1);
}

function f4Input(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss], x4 = s[so + 4 * ss], x5 = s[so + 5 * ss];
  d[d0] = 4 * x0 - 5 * x2 + x4;
  d[d0 + ds] = -4 * (x1 + x2) + x3 + x4;
  d[d0 + 2 * ds] = 4 * (x1 - x2) - x3 + x4;
  d[d0 + 3 * ds] = 2 * (x3 - x1) - x2 + x4;
  d[d0 + 4 * ds] = 2 * (x1 - x3) - x2 + x4;
  d[d0 + 5 * ds] = 4 * x1 - 5 * x3 + x5;
}

function f4Filter(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss];
  d[d0] = g0 / 4;
  d[d0 + ds] = -(g0 + g1 + g2) / 6;
  d[d0 + 2 * ds] = -(g0 - g1 + g2) / 6;
  d[d0 + 3 * ds] = g0 / 24 + g1 / 12 + g2 / 6;
  d[d0 + 4 * ds] = g0 / 24 - g1 / 12 + g2 / 6;
  d[d0 + 5 * ds] = g2;
}

function f4Output(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss], x4 = s[so + 4 * ss], x5 = s[so + 5 * ss];
  d[d0] = x0 + x1 + x2 + x3 + x4;
  d[d0 + ds] = x1 - x2 + 2 * (x3 - x4);
  d[d0 + 2 * ds] = x1 + x2 + 4 * (x3 + x4);
  d[d0 + 3 * ds] = x1 - x2 + 8 * (x3 - x4) + x5;
}

/**
 * F(3, 4): the input transform B^T of F(4, 3) (same points, same functions), then
 *
 *         |  1/4     0     0     0  |
 *         | -1/6  -1/6  -1/6  -1/6  |         | 1  1  1  1  1  0 |
 *     G = | -1/6   1/6  -1/6   1/6  |   A^T = | 0  1 -1  2 -2  0 |
 *         | 1/24  1/12   1/6   1/3  |         | 0  1  1  4  4  1 |
 *         | 1/24 -1/12   1/6  -1/3  |
 *         |    0     0     0     1  |
 */
export const F3R4: WinogradTile = {
  m: 3,
  r: 4,
  a: 6,
  input: f4Input,
  filter: f3r4Filter,
  output: f3r4Output,
  input2d: f4Input2d,
  output2d(w, half, out) {
    for (let q = 0; q < 6; q++) f3r4Output(w, q, 6, half, q, 6);
    for (let r = 0; r < 3; r++) f3r4Output(half, r * 6, 1, out, r * 3, 1);
  },
};

function f3r4Filter(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss], g3 = s[so + 3 * ss];
  d[d0] = g0 / 4;
  d[d0 + ds] = -(g0 + g1 + g2 + g3) / 6;
  d[d0 + 2 * ds] = -(g0 - g1 + g2 - g3) / 6;
  d[d0 + 3 * ds] = g0 / 24 + g1 / 12 + g2 / 6 + g3 / 3;
  d[d0 + 4 * ds] = g0 / 24 - g1 / 12 + g2 / 6 - g3 / 3;
  d[d0 + 5 * ds] = g3;
}

function f3r4Output(s: Float64Array, so: number, ss: number, d: Float64Array, d0: number, ds: number): void {
  const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss], x4 = s[so + 4 * ss], x5 = s[so + 5 * ss];
  d[d0] = x0 + x1 + x2 + x3 + x4;
  d[d0 + ds] = x1 - x2 + 2 * (x3 - x4);
  d[d0 + 2 * ds] = x1 + x2 + 4 * (x3 + x4) + x5;
}

/** The tiles for a filter of r taps, smallest output tile first. */
export function tilesFor(r: number): WinogradTile[] {
  return [F2, F4, F3R4].filter((t) => t.r === r);
}
