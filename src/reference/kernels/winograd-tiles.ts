// The 1-D transforms of Winograd F(m, 3) for m = 2 and m = 4 (Lavin & Gray 2016; the F(4, 3)
// matrices use the interpolation points 0, 1, -1, 2, -2 and infinity). For a 1-D input d of
// a = m + 2 values and a filter g of 3, the m outputs y_i = sum_k d[i + k] g[k] are
//
//     y = A^T [ (G g) (.) (B^T d) ]
//
// and the 2-D F(m x m, 3x3) nests this along rows and columns (winograd.ts). Each function reads
// its vector from src[so + i * ss] and writes dst[do + i * ds], so one function serves rows and
// columns. The matrices are spelled out above each function; the code is their non-zero terms.

export interface WinogradTile {
  /** Output tile side. */
  m: number;
  /** Input tile side, m + 2. */
  a: number;
  /** B^T x: a values -> a values. */
  input(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
  /** G g: 3 values -> a values. */
  filter(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
  /** A^T x: a values -> m values. */
  output(src: Float64Array, so: number, ss: number, dst: Float64Array, d0: number, ds: number): void;
}

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
  a: 4,
  input(s, so, ss, d, d0, ds) {
    const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss];
    d[d0] = x0 - x2;
    d[d0 + ds] = x1 + x2;
    d[d0 + 2 * ds] = x2 - x1;
    d[d0 + 3 * ds] = x1 - x3;
  },
  filter(s, so, ss, d, d0, ds) {
    const g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss];
    d[d0] = g0;
    d[d0 + ds] = (g0 + g1 + g2) / 2;
    d[d0 + 2 * ds] = (g0 - g1 + g2) / 2;
    d[d0 + 3 * ds] = g2;
  },
  output(s, so, ss, d, d0, ds) {
    const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss];
    d[d0] = x0 + x1 + x2;
    d[d0 + ds] = x1 - x2 - x3;
  },
};

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
  a: 6,
  input(s, so, ss, d, d0, ds) {
    const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss], x4 = s[so + 4 * ss], x5 = s[so + 5 * ss];
    d[d0] = 4 * x0 - 5 * x2 + x4;
    d[d0 + ds] = -4 * (x1 + x2) + x3 + x4;
    d[d0 + 2 * ds] = 4 * (x1 - x2) - x3 + x4;
    d[d0 + 3 * ds] = 2 * (x3 - x1) - x2 + x4;
    d[d0 + 4 * ds] = 2 * (x1 - x3) - x2 + x4;
    d[d0 + 5 * ds] = 4 * x1 - 5 * x3 + x5;
  },
  filter(s, so, ss, d, d0, ds) {
    const g0 = s[so], g1 = s[so + ss], g2 = s[so + 2 * ss];
    d[d0] = g0 / 4;
    d[d0 + ds] = -(g0 + g1 + g2) / 6;
    d[d0 + 2 * ds] = -(g0 - g1 + g2) / 6;
    d[d0 + 3 * ds] = g0 / 24 + g1 / 12 + g2 / 6;
    d[d0 + 4 * ds] = g0 / 24 - g1 / 12 + g2 / 6;
    d[d0 + 5 * ds] = g2;
  },
  output(s, so, ss, d, d0, ds) {
    const x0 = s[so], x1 = s[so + ss], x2 = s[so + 2 * ss], x3 = s[so + 3 * ss], x4 = s[so + 4 * ss], x5 = s[so + 5 * ss];
    d[d0] = x0 + x1 + x2 + x3 + x4;
    d[d0 + ds] = x1 - x2 + 2 * (x3 - x4);
    d[d0 + 2 * ds] = x1 + x2 + 4 * (x3 + x4);
    d[d0 + 3 * ds] = x1 - x2 + 8 * (x3 - x4) + x5;
  },
};
