// The production engine: an onnxruntime-web session for one model, in Node or in a Web Worker.
// No UI code here; callers pass tensors in and get scores out.
import * as ort from 'onnxruntime-web';
import type { ModelManifest } from '../model/manifest.js';
import { softmax, topK, type Prediction } from './topk.js';

export type Backend = 'wasm' | 'webgpu';

export interface EngineOptions {
  backend: Backend;
  /** WASM threads; 1 disables the thread pool. */
  threads?: number;
}

export interface Scores {
  probabilities: Float32Array;
  top: Prediction[];
  inferenceMs: number;
}

export class OrtEngine {
  private constructor(
    readonly session: ort.InferenceSession,
    readonly manifest: ModelManifest,
    readonly backend: Backend,
  ) {}

  static async create(model: Uint8Array, manifest: ModelManifest, options: EngineOptions): Promise<OrtEngine> {
    if (options.backend === 'wasm' && options.threads !== undefined) ort.env.wasm.numThreads = options.threads;
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [options.backend],
      graphOptimizationLevel: 'all',
    });
    return new OrtEngine(session, manifest, options.backend);
  }

  /** Runs one [1, 3, H, W] input and returns the softmax probabilities and the top 5. */
  async classify(input: Float32Array, k = 5): Promise<Scores> {
    const [, , h, w] = this.manifest.inputShape;
    const tensor = new ort.Tensor('float32', input, [1, 3, h, w]);
    const t0 = performance.now();
    const outputs = await this.session.run({ [this.manifest.inputName]: tensor });
    const inferenceMs = performance.now() - t0;
    tensor.dispose();
    const out = outputs[this.manifest.outputName];
    try {
      const scores = new Float32Array(out.data as Float32Array);
      const probabilities = this.manifest.outputNeedsSoftmax ? softmax(scores) : scores;
      return { probabilities, top: topK(probabilities, k), inferenceMs };
    } finally {
      for (const t of Object.values(outputs)) t.dispose();
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
