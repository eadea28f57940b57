import { alexnetOnnx, createRng } from '../../src/model/alexnet.js';
import { withAllOutputs } from '../../src/model/all-outputs.js';
import * as ort from 'onnxruntime-web';
async function main() {
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
const r = createRng(1); const a = new Float32Array(61e6); for (let i = 0; i < a.length; i++) a[i] = r(); lap('rng');
const b = alexnetOnnx('torchvision', 1); lap('build');
const v = withAllOutputs(b); lap('allout');
ort.env.wasm.numThreads = 1;
const s = await ort.InferenceSession.create(v.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' }); lap('ort create disabled');
await s.run({ input: new ort.Tensor('float32', new Float32Array(3*224*224), [1,3,224,224]) }); lap('ort run');
}
main();
