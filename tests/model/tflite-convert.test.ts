// The TFLite -> ONNX converter against hand-worked cases: TensorFlow's SAME padding, weight layout
// transposes, dequantization, one inverted-residual block end to end (checked against a direct
// NHWC loop written from TensorFlow's definitions, on the reference engine and on onnxruntime),
// and refusals that name what they refuse.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { dequantize } from '../../src/model/quantization.js';
import { readTflite, TfliteError } from '../../src/model/tflite/read-tflite.js';
import { ihwcToC1hw, ohwiToOihw, tfliteToOnnx, tfSamePadding, tfValidPadding } from '../../src/model/tflite/tflite-to-onnx.js';
import { readOnnx } from '../../src/reference/load-graph.js';
import { ReferenceEngine } from '../../src/reference/engine.js';
import { buildTflite, type ModelSpec, type OpSpec, type TensorSpec } from '../builders/tflite-builder.js';

const UINT8 = 3;
const INT32 = 2;
const FLOAT32 = 0;
const CONV = { opcode: 3, type: 1 };
const DEPTHWISE = { opcode: 4, type: 2 };
const ADD = { opcode: 0, type: 11 };
const RELU6 = 3;
const SAME = 0;

describe('TensorFlow SAME padding', () => {
  it.each([
    // in, kernel, stride, dilation -> out, begin, end (worked by hand from out = ceil(in / s),
    // total = max((out - 1) s + (k - 1) d + 1 - in, 0), begin = floor(total / 2))
    [224, 3, 2, 1, 112, 0, 1], // even size, stride 2: (111*2 + 3 - 224) = 1, the extra pad goes after
    [7, 3, 2, 1, 4, 1, 1], // odd size, stride 2: (3*2 + 3 - 7) = 2
    [112, 3, 1, 1, 112, 1, 1], // stride 1, 3x3: total 2
    [5, 4, 1, 1, 5, 1, 2], // even kernel, stride 1: total 3
    [6, 3, 2, 1, 3, 0, 1], // even size, stride 2: total 1
    [1, 3, 2, 1, 1, 1, 1], // 1-pixel input: total 2
    [5, 3, 1, 2, 5, 2, 2], // dilation 2: effective kernel 5, total 4
    [14, 1, 2, 1, 7, 0, 0], // 1x1 stride 2: never padded
    [7, 7, 1, 1, 7, 3, 3],
  ])('in %i, kernel %i, stride %i, dilation %i -> out %i, pads %i / %i', (n, k, s, d, out, begin, end) => {
    expect(tfSamePadding(n, k, s, d)).toEqual({ out, begin, end });
  });

  it('VALID takes no pads and drops the windows that do not fit', () => {
    expect(tfValidPadding(7, 7, 1)).toEqual({ out: 1, begin: 0, end: 0 });
    expect(tfValidPadding(8, 3, 2)).toEqual({ out: 3, begin: 0, end: 0 });
    expect(tfValidPadding(9, 3, 2)).toEqual({ out: 4, begin: 0, end: 0 });
  });
});

describe('weight layouts', () => {
  it('moves conv weights from OHWI to OIHW', () => {
    // w[o][y][x][i] = 1000 o + 100 y + 10 x + i for O = 2, kh = 1, kw = 2, I = 3.
    const w = new Float32Array(12);
    for (let o = 0; o < 2; o++) for (let x = 0; x < 2; x++) for (let i = 0; i < 3; i++) w[(o * 2 + x) * 3 + i] = 1000 * o + 10 * x + i;
    const out = ohwiToOihw(w, new Float32Array(12), 2, 1, 2, 3);
    expect(Array.from(out)).toEqual([0, 10, 1, 11, 2, 12, 1000, 1010, 1001, 1011, 1002, 1012]);
  });

  it('moves depthwise weights from [1, kh, kw, C] to [C, 1, kh, kw]', () => {
    // w[y][x][c] = 100 y + 10 x + c for kh = kw = 2, C = 3.
    const w = new Uint8Array(12);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) w[(y * 2 + x) * 3 + c] = 100 * y + 10 * x + c;
    const out = ihwcToC1hw(w, new Uint8Array(12), 2, 2, 3);
    expect(Array.from(out)).toEqual([0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112]);
  });
});

describe('dequantization: real = scale * (q - zero_point)', () => {
  it('per tensor (uint8)', () => {
    expect(Array.from(dequantize([0, 128, 255, 130], [4], [0.5], [128], 0))).toEqual([-64, 0, 63.5, 1]);
  });

  it('per axis: one scale and zero point per output channel', () => {
    // [2, 3], axis 0: row 0 scale 1 zp 0, row 1 scale 0.25 zp 10.
    expect(Array.from(dequantize([1, 2, 3, 10, 14, 6], [2, 3], [1, 0.25], [0, 10], 0))).toEqual([1, 2, 3, 0, 1, -1]);
    // axis 1 of [2, 2]: column scales 2 and 3.
    expect(Array.from(dequantize([1, 1, 2, 2], [2, 2], [2, 3], null, 1))).toEqual([2, 3, 4, 6]);
  });

  it('rounds the product to float32 once, as onnxruntime does', () => {
    const scale = Math.fround(0.033968925);
    expect(dequantize([250], [1], [scale], [122], 0)[0]).toBe(Math.fround(128 * scale));
  });
});

/** Bytes of a float32 / int32 array, as a TFLite buffer holds them (little-endian). */
const f32 = (v: number[]): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);
const i32 = (v: number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);

/** A tiny pseudo-random generator so the block's numbers are fixed but not hand-picked. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

interface Block {
  spec: ModelSpec;
  input: { h: number; w: number; c: number };
  /** NHWC float input (the real values). */
  x: Float32Array;
  expected: Float32Array;
  outShape: [number, number, number];
}

/**
 * An inverted-residual block on a 6x6x2 input: expand 1x1 (2 -> 4, uint8 per tensor, RELU6),
 * depthwise 3x3 (stride s, SAME, uint8 per channel on dimension 3, RELU6), project 1x1 (4 -> 2,
 * int32 bias, no activation), and with stride 1 the residual ADD. The expected output is computed
 * here directly in NHWC from TensorFlow's definitions.
 */
function invertedResidual(stride: number): Block {
  const rand = lcg(7 + stride);
  const [H, W, C, E] = [6, 6, 2, 4];
  const inScale = 1 / 128;
  const q = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 256));
  const expandW = q(E * C); // [E, 1, 1, C]
  const expandScale = 0.02;
  const expandZp = 120;
  const expandBias = Array.from({ length: E }, () => Math.floor(rand() * 2000) - 1000); // scale inScale * expandScale
  const actScale = 6 / 255; // RELU6 outputs, quantized as TFLite would (only the scale matters for biases)
  const dwW = q(9 * E); // [1, 3, 3, E]
  const dwScale = [0.01, 0.02, 0.03, 0.015];
  const dwZp = [100, 128, 140, 90];
  const dwBias = Array.from({ length: E }, () => Math.floor(rand() * 4000) - 2000);
  const projW = q(C * E); // [C, 1, 1, E]
  const projScale = 0.01;
  const projZp = 130;
  const projBias = Array.from({ length: C }, () => Math.floor(rand() * 20000) - 10000);
  const xq = q(H * W * C);
  const x = Float32Array.from(xq, (v) => (v - 128) * inScale);

  // Direct NHWC computation.
  const relu6 = (v: number) => Math.min(6, Math.max(0, v));
  const e = new Float64Array(H * W * E);
  for (let p = 0; p < H * W; p++)
    for (let o = 0; o < E; o++) {
      let s = expandBias[o] * inScale * expandScale;
      for (let c = 0; c < C; c++) s += x[p * C + c] * (expandW[o * C + c] - expandZp) * expandScale;
      e[p * E + o] = relu6(s);
    }
  const outH = Math.ceil(H / stride);
  const outW = Math.ceil(W / stride);
  const padTop = Math.floor(Math.max((outH - 1) * stride + 3 - H, 0) / 2);
  const padLeft = Math.floor(Math.max((outW - 1) * stride + 3 - W, 0) / 2);
  const d = new Float64Array(outH * outW * E);
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++)
      for (let c = 0; c < E; c++) {
        let s = dwBias[c] * actScale * dwScale[c];
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const iy = oy * stride + ky - padTop;
            const ix = ox * stride + kx - padLeft;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            s += e[(iy * W + ix) * E + c] * (dwW[(ky * 3 + kx) * E + c] - dwZp[c]) * dwScale[c];
          }
        d[(oy * outW + ox) * E + c] = relu6(s);
      }
  const expected = new Float32Array(outH * outW * C);
  for (let p = 0; p < outH * outW; p++)
    for (let o = 0; o < C; o++) {
      let s = projBias[o] * actScale * projScale;
      for (let c = 0; c < E; c++) s += d[p * E + c] * (projW[o * E + c] - projZp) * projScale;
      expected[p * C + o] = stride === 1 ? s + x[p * C + o] : s;
    }

  const act = (shape: number[], scale: number, zp: number): TensorSpec => ({ shape, type: UINT8, scale: [scale], zeroPoint: [zp] });
  const tensors: TensorSpec[] = [
    act([1, H, W, C], inScale, 128), // 0 input
    { shape: [E, 1, 1, C], type: UINT8, data: Uint8Array.from(expandW), scale: [expandScale], zeroPoint: [expandZp] }, // 1
    { shape: [E], type: INT32, data: i32(expandBias), scale: [inScale * expandScale], zeroPoint: [0] }, // 2
    act([1, H, W, E], actScale, 0), // 3 expanded
    { shape: [1, 3, 3, E], type: UINT8, data: Uint8Array.from(dwW), scale: dwScale, zeroPoint: dwZp, quantizedDimension: 3 }, // 4
    { shape: [E], type: INT32, data: i32(dwBias), scale: dwScale.map((s) => actScale * s), zeroPoint: [0, 0, 0, 0] }, // 5
    act([1, outH, outW, E], actScale, 0), // 6 depthwise
    { shape: [C, 1, 1, E], type: UINT8, data: Uint8Array.from(projW), scale: [projScale], zeroPoint: [projZp] }, // 7
    { shape: [C], type: INT32, data: i32(projBias), scale: [actScale * projScale], zeroPoint: [0] }, // 8
    act([1, outH, outW, C], 0.1, 128), // 9 projected
    act([1, outH, outW, C], 0.1, 128), // 10 sum
  ];
  const operators: OpSpec[] = [
    { opcode: CONV.opcode, inputs: [0, 1, 2], outputs: [3], options: { type: CONV.type, fields: { padding: SAME, strideW: 1, strideH: 1, fused: RELU6, dilationW: 1, dilationH: 1 } } },
    {
      opcode: DEPTHWISE.opcode,
      inputs: [3, 4, 5],
      outputs: [6],
      options: { type: DEPTHWISE.type, fields: { padding: SAME, strideW: stride, strideH: stride, depthMultiplier: 1, fused: RELU6, dilationW: 1, dilationH: 1 } },
    },
    { opcode: CONV.opcode, inputs: [6, 7, 8], outputs: [9], options: { type: CONV.type, fields: { padding: SAME, strideW: 1, strideH: 1, fused: 0, dilationW: 1, dilationH: 1 } } },
  ];
  if (stride === 1) operators.push({ opcode: ADD.opcode, inputs: [9, 0], outputs: [10], options: { type: ADD.type, fields: { fused: 0 } } });
  return {
    spec: { tensors, operators, inputs: [0], outputs: [stride === 1 ? 10 : 9] },
    input: { h: H, w: W, c: C },
    x,
    expected,
    outShape: [outH, outW, C],
  };
}

function nhwcToNchw(x: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let k = 0; k < c; k++) out[(k * h + y) * w + xx] = x[(y * w + xx) * c + k];
  return out;
}

describe('one inverted-residual block end to end', () => {
  it.each([1, 2])('stride %i: the converted ONNX computes the NHWC loop on the reference engine and on onnxruntime', async (stride) => {
    const block = invertedResidual(stride);
    const converted = tfliteToOnnx(readTflite(buildTflite(block.spec)), { graphName: 'block' });
    expect(converted.nodeNames).toEqual(
      stride === 1
        ? ['stem/conv', 'stem/conv/relu6', 'block0/depthwise', 'block0/depthwise/relu6', 'block0/project', 'block0/add']
        : ['stem/conv', 'stem/conv/relu6', 'block0/depthwise', 'block0/depthwise/relu6', 'block0/project'],
    );
    const graph = readOnnx(converted.bytes);
    const dw = graph.nodes.find((n) => n.name === 'block0/depthwise')!;
    expect(dw.attributes.get('group')).toBe(4);
    // Stride 2 on 6 pixels: total pad 1, all of it after (bottom / right).
    expect(dw.attributes.get('pads')).toEqual(stride === 2 ? [0, 0, 1, 1] : [1, 1, 1, 1]);
    expect(graph.initializers.get('block0/depthwise/weight')?.dims).toEqual([4, 1, 3, 3]);

    const { h, w, c } = block.input;
    const [oh, ow, oc] = block.outShape;
    const x = nhwcToNchw(block.x, h, w, c);
    const want = nhwcToNchw(block.expected, oh, ow, oc);
    const ref = ReferenceEngine.load(converted.bytes).run(x).outputs[converted.outputName].data;
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(converted.bytes, { executionProviders: ['wasm'] });
    const out = await session.run({ [converted.inputName]: new ort.Tensor('float32', x, [1, c, h, w]) });
    const trusted = out[converted.outputName].data as Float32Array;
    await session.release();
    for (let i = 0; i < want.length; i++) {
      expect(ref[i]).toBeCloseTo(want[i], 4);
      expect(trusted[i]).toBeCloseTo(want[i], 4);
    }
  });
});

describe('refusals name what they refuse', () => {
  const base = (): ModelSpec => invertedResidual(2).spec;

  it('an unknown builtin operator', () => {
    const spec = base();
    spec.operators[1] = { ...spec.operators[1], opcode: 9, options: undefined };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/unsupported TensorFlow Lite operator FULLY_CONNECTED \(operator 1\)/);
  });

  it('an operator outside the name table, by code', () => {
    const spec = base();
    spec.operators[2] = { ...spec.operators[2], opcode: 150, options: undefined };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/builtin operator 150/);
  });

  it('a custom operator', () => {
    const spec = base();
    spec.operators[0] = { ...spec.operators[0], opcode: 32, custom: 'TFLite_Detection_PostProcess', options: undefined };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/custom operator "TFLite_Detection_PostProcess"/);
  });

  it('a fused activation other than NONE / RELU / RELU_N1_TO_1 / RELU6', () => {
    const spec = base();
    spec.operators[0].options!.fields.fused = 4;
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/CONV_2D \(operator 0\): fused activation TANH is not supported/);
  });

  it('per-axis quantization along another dimension', () => {
    const spec = base();
    spec.tensors[1] = { ...spec.tensors[1], scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 3 };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/2 scales along dimension 3/);
  });

  it('a bias whose scale is not input scale x weight scale', () => {
    const spec = base();
    spec.tensors[2] = { ...spec.tensors[2], scale: [0.5] };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/is not input scale x weight scale/);
  });

  it('an unsupported weight type', () => {
    const spec = base();
    spec.tensors[1] = { ...spec.tensors[1], type: 7 };
    expect(() => tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' })).toThrow(/type INT16/);
  });

  it('a file that is not TensorFlow Lite', () => {
    expect(() => readTflite(new TextEncoder().encode('not a flatbuffer at all'))).toThrow(TfliteError);
    expect(() => readTflite(new Uint8Array(4))).toThrow(/too short/);
  });

  it('a truncated file', () => {
    const bytes = buildTflite(base());
    expect(() => tfliteToOnnx(readTflite(bytes.subarray(0, 200)), { graphName: 'x' })).toThrow(TfliteError);
  });

  it('float weights are converted as float (no DequantizeLinear)', () => {
    const spec = base();
    spec.tensors[7] = { shape: [2, 1, 1, 4], type: FLOAT32, data: f32([1, 2, 3, 4, 5, 6, 7, 8]) };
    spec.tensors[8] = { shape: [2], type: FLOAT32, data: f32([0.5, -0.5]) };
    const converted = tfliteToOnnx(readTflite(buildTflite(spec)), { graphName: 'x' });
    const graph = readOnnx(converted.bytes);
    const wt = graph.initializers.get('block0/project/weight');
    expect(wt?.kind === 'float' && Array.from(wt.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
