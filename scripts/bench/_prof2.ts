import { createRng } from '../../src/model/alexnet.js';
import { concat, lengthDelimited } from '../../src/model/all-outputs.js';
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(0)); t = n; };
const r = createRng(1); const a = new Float32Array(61e6); for (let i = 0; i < a.length; i++) a[i] = r(); lap('rng');
const b = new Uint8Array(a.buffer); const c = lengthDelimited(9, b); lap('ld'); const d = concat([c, c]); lap('concat');
let s = 0; for (let i = 0; i < 61e6; i++) s += a[i]; lap('sum');
console.log(d.length, s);
