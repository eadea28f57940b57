// onnxruntime-web (wasm, one thread) as the trusted implementation in tests.
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

export interface OrtTensor {
  dims: number[];
  data: Float32Array;
}

export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
}

export async function ortRun(
  session: ort.InferenceSession,
  feeds: { name: string; dims: number[]; data: Float32Array }[],
): Promise<Record<string, OrtTensor>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const f of feeds) inputs[f.name] = new ort.Tensor('float32', f.data, f.dims);
  const out = await session.run(inputs);
  const result: Record<string, OrtTensor> = {};
  for (const [name, t] of Object.entries(out)) {
    result[name] = { dims: [...t.dims], data: new Float32Array(t.data as Float32Array) };
    t.dispose();
  }
  return result;
}
