// onnxruntime-web's output tensors -> plain { dims, data } copies that outlive the session and can
// be posted or transferred. The one place that conversion is written (worker, parity CLI, tests).
import type * as ort from 'onnxruntime-web';

/** A dense float32 tensor copied out of onnxruntime, row-major. */
export interface PlainTensor {
  dims: number[];
  data: Float32Array;
}

/** Copies one float32 onnxruntime tensor (its data may live in wasm or GPU-backed memory). */
export function plainTensor(t: ort.Tensor, name = 'output'): PlainTensor {
  if (t.type !== 'float32') throw new Error(`onnxruntime output ${name} holds ${t.type} values; float32 is needed`);
  return { dims: [...t.dims], data: new Float32Array(t.data as Float32Array) };
}

/**
 * Copies every output of a run. With `dispose` (the default) each onnxruntime tensor is released
 * after the copy, so a caller that only wants the numbers leaks nothing.
 */
export function plainTensors(outputs: Record<string, ort.Tensor>, dispose = true): Record<string, PlainTensor> {
  const result: Record<string, PlainTensor> = {};
  for (const [name, t] of Object.entries(outputs)) {
    try {
      result[name] = plainTensor(t, name);
    } finally {
      if (dispose) t.dispose();
    }
  }
  return result;
}
