// The production engine: an onnxruntime-web session for one model, in Node or in a Web Worker.
// No UI code here; callers pass tensors in and get scores out.
import * as ort from 'onnxruntime-web';
import type { ModelManifest } from '../model/manifest.js';
import { softmax, topK, type Prediction } from '../model/topk.js';

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

/** onnxruntime tensors this module created (inputs, and outputs a run returned) and disposed. */
export interface TensorCounts {
  created: number;
  released: number;
}

const tensorCounts: TensorCounts = { created: 0, released: 0 };
// Also on the global scope, so a soak test can read them inside the worker (Playwright's
// worker.evaluate) without a message the app has no other use for.
(globalThis as { __ortTensorCounts?: TensorCounts }).__ortTensorCounts = tensorCounts;

function dispose(tensor: ort.Tensor): void {
  tensor.dispose();
  tensorCounts.released++;
}

export class OrtEngine {
  /** Created minus released is the number of tensors alive (in flight) right now. */
  static get tensorCounts(): TensorCounts {
    return { ...tensorCounts };
  }

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
    tensorCounts.created++;
    const t0 = performance.now();
    const outputs = await this.session.run({ [this.manifest.inputName]: tensor }).finally(() => dispose(tensor));
    const inferenceMs = performance.now() - t0;
    tensorCounts.created += Object.keys(outputs).length;
    const out = outputs[this.manifest.outputName];
    try {
      const scores = new Float32Array(out.data as Float32Array);
      const probabilities = this.manifest.outputNeedsSoftmax ? softmax(scores) : scores;
      return { probabilities, top: topK(probabilities, k), inferenceMs };
    } finally {
      for (const t of Object.values(outputs)) dispose(t);
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
