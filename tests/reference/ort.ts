// onnxruntime-web (wasm, one thread) as the trusted implementation in tests.
import * as ort from 'onnxruntime-web';
import { plainTensors, type PlainTensor } from '../../src/engine/ort-tensor.js';

ort.env.wasm.numThreads = 1;

export type OrtTensor = PlainTensor;

export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
}

export async function ortRun(
  session: ort.InferenceSession,
  feeds: { name: string; dims: number[]; data: Float32Array }[],
): Promise<Record<string, OrtTensor>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const f of feeds) inputs[f.name] = new ort.Tensor('float32', f.data, f.dims);
  return plainTensors(await session.run(inputs));
}
