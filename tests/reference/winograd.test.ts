// The Winograd matrices (kernels/winograd-tiles.ts) against the definition of 1-D correlation,
// the sparse product against the dense GEMM (kernels/sparse-gemm.ts), bit for bit, and which
// kernel the conv operator cases run on (their numbers are checked by ops.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/model/seeded-rng.js';
import { opModel, type OpTest } from '../builders/op-model.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { convPlanOf } from '../../src/reference/ops/conv.js';
import { gemmPacked, packA, packB, packedASize, packedBSize } from '../../src/reference/gemm.js';
import { sparseGemmPacked, toSparseRows } from '../../src/reference/kernels/sparse-gemm.js';
import { phaseImages, phaseWeights, phaseWindow, phasesOf } from '../../src/reference/kernels/polyphase.js';
import { F2, F3R4, F4, tilesFor } from '../../src/reference/kernels/winograd-tiles.js';
import type { ResolvedWindow } from '../../src/reference/ops/window.js';

describe('Winograd F(m, r) transforms', () => {
  for (const tile of [F2, F4, F3R4]) {
    it(`F(${tile.m}, ${tile.r}): A^T [(G g) (.) (B^T d)] equals y_i = sum_k d[i + k] g[k]`, () => {
      expect(tile.a).toBe(tile.m + tile.r - 1);
      const rng = createRng(tile.m * 10 + tile.r);
      for (let trial = 0; trial < 20; trial++) {
        const d = Float64Array.from({ length: tile.a }, () => 2 * rng() - 1);
        const g = Float64Array.from({ length: tile.r }, () => 2 * rng() - 1);
        const u = new Float64Array(tile.a);
        const v = new Float64Array(tile.a);
        tile.filter(g, 0, 1, u, 0, 1);
        tile.input(d, 0, 1, v, 0, 1);
        const prod = u.map((x, i) => x * v[i]);
        const y = new Float64Array(tile.m);
        tile.output(prod, 0, 1, y, 0, 1);
        for (let i = 0; i < tile.m; i++) expect(y[i]).toBeCloseTo(g.reduce((sum, gk, k) => sum + d[i + k] * gk, 0), 12);
      }
    });
  }

  it('has tiles for 3 and 4 taps only', () => {
    expect(tilesFor(3)).toEqual([F2, F4]);
    expect(tilesFor(4)).toEqual([F3R4]);
    expect(tilesFor(5)).toEqual([]);
  });

  it('reads and writes with strides (one function serves rows and columns)', () => {
    const src = Float64Array.from([1, 99, 2, 99, 3, 99, 4, 99, 5, 99, 6]);
    const dst = new Float64Array(12).fill(-1);
    F4.input(src, 0, 2, dst, 1, 2);
    // B^T row 0 = [4, 0, -5, 0, 1, 0]: 4*1 - 5*3 + 5 = -6; row 5 = [0, 4, 0, -5, 0, 1]: 8 - 20 + 6 = -6.
    expect(dst[1]).toBe(-6);
    expect(dst[11]).toBe(-6);
    expect(dst[0]).toBe(-1);
  });
});

describe('phase images (kernels/polyphase.ts)', () => {
  // A 7x7 stride-2 window with pads [1, 2, 0, 0] on a 1-channel 6x7 image numbered 1..42: out 1x1.
  const win: ResolvedWindow = {
    kernel: [7, 7], stride: [2, 2], dilation: [1, 1], pads: [1, 2, 0, 0], applied: [1, 2, 0, 0],
    autoPad: 'NOTSET', ceilMode: false, inH: 6, inW: 7, outH: 1, outW: 1,
  };
  const phases = phasesOf(win)!;

  it('turn a 7x7 stride-2 window into 4 phases of 4x4 taps', () => {
    expect(phases).toEqual({ s: 2, r: 4 });
    expect(phasesOf({ kernel: [3, 3], stride: [1, 1], dilation: [1, 1] })).toBeNull();
    expect(phasesOf({ kernel: [7, 7], stride: [2, 2], dilation: [2, 2] })).toBeNull();
    expect(phasesOf({ kernel: [11, 11], stride: [4, 4], dilation: [1, 1] })).toEqual({ s: 4, r: 3 });
    const pw = phaseWindow(win, phases);
    expect([pw.inH, pw.inW, pw.outH, pw.outW, ...pw.applied, ...pw.stride]).toEqual([4, 4, 1, 1, 0, 0, 0, 0, 1, 1]);
  });

  it('P[(c, py, px)][i, j] = x[c, 2i + py - pad top, 2j + px - pad left], 0 in the pads', () => {
    const x = Float32Array.from({ length: 42 }, (_, i) => i + 1);
    const out = new Float32Array(4 * 16).fill(NaN);
    phaseImages(x, 0, 1, win, phases, out);
    // Phase (0, 0): rows -1, 1, 3, 5 and columns -2, 0, 2, 4 of the image.
    expect(Array.from(out.subarray(0, 16))).toEqual([0, 0, 0, 0, 0, 8, 10, 12, 0, 22, 24, 26, 0, 36, 38, 40]);
    // Phase (1, 1): rows 0, 2, 4, 6 (past the image) and columns -1, 1, 3, 5.
    expect(Array.from(out.subarray(48, 64))).toEqual([0, 2, 4, 6, 0, 16, 18, 20, 0, 30, 32, 34, 0, 0, 0, 0]);
  });

  it("w'[k, (c, py, px), a, b] = w[k, c, 2a + py, 2b + px], 0 past the kernel", () => {
    const w = Float32Array.from({ length: 49 }, (_, i) => i + 1);
    const out = phaseWeights(w, 1, 1, 7, phases);
    expect(out.length).toBe(4 * 16);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 3, 5, 7]); // phase (0, 0), a = 0: w[0, 0, 2, 4, 6]
    expect(Array.from(out.subarray(16, 20))).toEqual([2, 4, 6, 0]); // phase (0, 1), a = 0: w[1, 3, 5], then past the kernel
    expect(Array.from(out.subarray(60, 64))).toEqual([0, 0, 0, 0]); // phase (1, 1), a = 3: row 7 is past the kernel
  });
});

describe('sparse (CSR) product', () => {
  it('gives exactly the dense GEMM numbers, for ragged sizes and with bias', () => {
    const rng = createRng(11);
    for (const [M, K, N] of [[7, 13, 21], [16, 96, 8], [3, 5, 1], [10, 64, 30]]) {
      const A = Float32Array.from({ length: M * K }, () => (rng() < 0.6 ? 0 : 2 * rng() - 1));
      const B = Float32Array.from({ length: K * N }, () => 2 * rng() - 1);
      const bias = Float32Array.from({ length: M }, () => rng());
      const Ap = new Float32Array(packedASize(M, K));
      packA(A, 0, M, K, K, Ap);
      const Bp = new Float32Array(packedBSize(K, N));
      packB(B, 0, K, N, N, Bp);
      const dense = new Float32Array(M * N);
      gemmPacked(M, N, K, Ap, Bp, dense, 0, N, bias, 0);
      const sparse = new Float32Array(M * N).fill(NaN);
      const rows = toSparseRows(A, 0, M, K, K);
      expect(rows.values.length).toBe(A.filter((v) => v !== 0).length);
      sparseGemmPacked(rows, N, Bp, sparse, 0, N, bias, 0);
      expect(Array.from(sparse)).toEqual(Array.from(dense));
    }
  });
});

describe('kernel choice per layer (kernels/conv-plan.ts)', () => {
  const conv = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'ops', 'conv.json'), 'utf8')) as OpTest[])[0];
  const plan = (name: string): string => {
    const c = conv.cases.find((x) => x.name === name)!;
    const engine = ReferenceEngine.load(opModel('Conv', c).bytes);
    const l = engine.layers[0];
    return convPlanOf({ node: l.node, inputShapes: l.inputShapes, constants: l.node.inputs.map((n) => engine.graph.initializers.get(n)), opset: engine.graph.opset }).label;
  };

  it('the operator cases named after a kernel run on it', () => {
    for (const c of conv.cases) {
      if (c.name.startsWith('winograd-f4')) expect(plan(c.name), c.name).toBe('winograd F(4x4,3x3)');
      if (c.name.startsWith('winograd-f2')) expect(plan(c.name), c.name).toBe('winograd F(2x2,3x3)');
      if (c.name.startsWith('winograd-')) expect(plan(c.name), c.name).toMatch(/^winograd/);
      if (c.name.startsWith('polyphase-11x11')) expect(plan(c.name), c.name).toBe('winograd F(4x4,3x3) over 4x4 phases');
      if (c.name.startsWith('polyphase-') && !c.name.startsWith('polyphase-11x11')) expect(plan(c.name), c.name).toBe('winograd F(3x3,4x4) over 2x2 phases');
      if (c.name.startsWith('sparse-')) expect(plan(c.name), c.name).toMatch(/^sparse/);
    }
    expect(conv.cases.filter((c) => /^(winograd|sparse)-/.test(c.name)).length).toBeGreaterThanOrEqual(7);
    expect(conv.cases.filter((c) => c.name.startsWith('polyphase-')).length).toBe(5);
  });

  it('dense convs that Winograd cannot run (3x3 stride 2: 2x2 taps per phase, dilation, 1x1) stay on the GEMM', () => {
    for (const name of ['7x7-box3x3-stride2-pad1', 'dilations-2', 'pointwise-1x1']) expect(plan(name), name).toBe('gemm');
  });
});
