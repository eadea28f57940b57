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
import { F2, F4 } from '../../src/reference/kernels/winograd-tiles.js';

describe('Winograd F(m, 3) transforms', () => {
  for (const tile of [F2, F4]) {
    it(`F(${tile.m}, 3): A^T [(G g) (.) (B^T d)] equals y_i = sum_k d[i + k] g[k]`, () => {
      const rng = createRng(tile.m);
      for (let trial = 0; trial < 20; trial++) {
        const d = Float64Array.from({ length: tile.a }, () => 2 * rng() - 1);
        const g = Float64Array.from({ length: 3 }, () => 2 * rng() - 1);
        const u = new Float64Array(tile.a);
        const v = new Float64Array(tile.a);
        tile.filter(g, 0, 1, u, 0, 1);
        tile.input(d, 0, 1, v, 0, 1);
        const prod = u.map((x, i) => x * v[i]);
        const y = new Float64Array(tile.m);
        tile.output(prod, 0, 1, y, 0, 1);
        for (let i = 0; i < tile.m; i++) expect(y[i]).toBeCloseTo(d[i] * g[0] + d[i + 1] * g[1] + d[i + 2] * g[2], 12);
      }
    });
  }

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
      if (c.name.startsWith('sparse-')) expect(plan(c.name), c.name).toMatch(/^sparse/);
    }
    expect(conv.cases.filter((c) => /^(winograd|sparse)-/.test(c.name)).length).toBeGreaterThanOrEqual(7);
  });

  it('dense convs that Winograd cannot run (stride 2, dilation, 1x1) stay on the GEMM', () => {
    for (const name of ['7x7-box3x3-stride2-pad1', 'dilations-2', 'pointwise-1x1']) expect(plan(name), name).toBe('gemm');
  });
});
