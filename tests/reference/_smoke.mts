import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { ReferenceEngine } from '/work/main/src/reference/engine.ts';
ort.env.wasm.numThreads = 1;
const bytes = readFileSync('/work/main/public/models/squeezenet1_0/model.onnx');
let t = performance.now();
const eng = ReferenceEngine.load(new Uint8Array(bytes));
console.log('load', performance.now() - t);
const x = new Float32Array(3 * 227 * 227).map((_, i) => Math.sin(i) * 50);
for (let r = 0; r < 3; r++) { const res = eng.run(x); console.log('run', res.totalMs.toFixed(1)); if (r == 2) { const top = res.timings.sort((a, b) => b.ms - a.ms).slice(0, 8); console.log(top.map(t => `${t.node} ${t.ms.toFixed(1)}`).join('\n')); } }
const out = eng.run(x).outputs['logits'].data;
const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const o = await s.run({ data: new ort.Tensor('float32', x, [1, 3, 227, 227]) });
const od = o.logits.data as Float32Array;
let md = 0, mm = 0; for (let i = 0; i < od.length; i++) { md = Math.max(md, Math.abs(od[i] - out[i])); mm = Math.max(mm, Math.abs(od[i])); }
console.log('maxdiff', md, 'max', mm);
t = performance.now(); for (let i = 0; i < 5; i++) await s.run({ data: new ort.Tensor('float32', x, [1, 3, 227, 227]) }); console.log('ort', (performance.now() - t) / 5);
