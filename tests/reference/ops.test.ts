// Every operator case in tests/ops/*.json runs through the reference and onnxruntime-web (a
// one-node model per case); hand-written expected outputs are checked too where given. Each
// file's "errors" are nodes with bad attributes or shapes: the reference must refuse them with a
// ModelError of the given kind and message, and onnxruntime must refuse them too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.js';
import { opModel, type OpTest } from '../builders/op-model.js';
import { ModelError } from '../../src/model/model-error.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { SUPPORTED_OPS } from '../../src/reference/op-table.js';
import { expectClose } from './expect-close.js';
import { ortRun, ortSession } from './ort.js';

const dir = join(ROOT, 'tests', 'ops');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const tests: { file: string; test: OpTest }[] = files.flatMap((file) =>
  (JSON.parse(readFileSync(join(dir, file), 'utf8')) as OpTest[]).map((test) => ({ file, test })),
);

describe('operator cases', () => {
  it('cover every supported op', () => {
    const covered = new Set(tests.map((t) => t.test.op));
    expect(SUPPORTED_OPS.filter((op) => !covered.has(op))).toEqual([]);
  });

  for (const { file, test } of tests) {
    describe(`${file}: ${test.op}${test.opset ? ` (opset ${test.opset})` : ''}`, () => {
      for (const c of test.cases) {
        it(c.name, async () => {
          const model = opModel(test.op, c, test.opset ?? 13);
          const engine = ReferenceEngine.load(model.bytes);
          const input = Object.fromEntries(model.feeds.map((f) => [f.name, f.data]));
          engine.run(input);
          const ort = c.skipOnnxruntime ? null : await ortRun(await ortSession(model.bytes), model.feeds);
          if (!ort) expect(c.outputs?.every((o) => o.data), 'a case onnxruntime cannot run needs hand-computed outputs').toBe(true);
          const tol = c.tolerance ?? { atol: 1e-5, rtol: 1e-5 };
          model.outputNames.forEach((name, i) => {
            const ref = engine.view(name)!;
            if (ort) {
              expect(ref.dims, `${name} shape vs onnxruntime`).toEqual(ort[name].dims);
              expectClose(ref.data, ort[name].data, tol, `${name} vs onnxruntime`);
            }
            const expected = c.outputs?.[i];
            if (expected?.dims) expect(ref.dims, `${name} shape vs hand-computed`).toEqual(expected.dims);
            if (expected?.data) expectClose(ref.data, expected.data, { atol: 1e-6, rtol: 1e-6 }, `${name} vs hand-computed`);
          });
        });
      }
      for (const e of test.errors ?? []) {
        it(`refuses ${e.name}`, async () => {
          const model = opModel(test.op, e, test.opset ?? 13);
          let error: unknown;
          try {
            ReferenceEngine.load(model.bytes);
          } catch (err) {
            error = err;
          }
          expect(error, 'the reference must refuse this node').toBeInstanceOf(ModelError);
          const m = error as ModelError;
          expect(m.kind).toBe(e.kind);
          expect(m.opType).toBe(test.op);
          expect(m.message).toContain(`node "${test.op.toLowerCase()}"`);
          expect(m.message).toContain(e.error);
          const ort = (async () => ortRun(await ortSession(model.bytes), model.feeds))();
          if (e.onnxruntimeAccepts) await expect(ort).resolves.toBeDefined();
          else await expect(ort, 'onnxruntime refuses it too').rejects.toThrow();
        });
      }
    });
  }
});
