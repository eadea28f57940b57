// The production engine: an onnxruntime-web session for one model, in Node or in a Web Worker.
// No UI code here; callers pass tensors in and get scores out.
import type * as Ort from 'onnxruntime-web';
import type { ModelManifest } from '../model/manifest.js';
import { softmax, topK, type Prediction } from '../model/topk.js';
import { plainTensors, type PlainTensor } from './ort-tensor.js';
import { currentOrt, loadOrt, runtimeCompiled, runtimeFor, type OrtModule, type RuntimeVariant } from './ort-runtime.js';

export type Backend = 'wasm' | 'webgpu';

export interface EngineOptions {
  backend: Backend;
  /** WASM threads; 1 disables the thread pool. */
  threads?: number;
  /** onnxruntime's graph optimisations ('all' unless a caller needs every node's own output). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Which onnxruntime build (default: runtimeFor(backend)). */
  runtime?: RuntimeVariant;
}

export interface Scores {
  probabilities: Float32Array;
  top: Prediction[];
  inferenceMs: number;
  /** A copy of the extra output asked for (e.g. the embedding), from the same run. */
  extra?: Float32Array;
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

function dispose(tensor: Ort.Tensor): void {
  tensor.dispose();
  tensorCounts.released++;
}

export class OrtEngine {
  /** Created minus released is the number of tensors alive (in flight) right now. */
  static get tensorCounts(): TensorCounts {
    return { ...tensorCounts };
  }

  private constructor(
    private readonly ort: OrtModule,
    readonly session: Ort.InferenceSession,
    readonly manifest: ModelManifest,
    readonly backend: Backend,
  ) {}

  static async create(model: Uint8Array, manifest: ModelManifest, options: EngineOptions): Promise<OrtEngine> {
    const variant = options.runtime ?? runtimeFor(options.backend);
    const ort = await loadOrt(variant);
    // Set on every backend: the WebGPU build's wasm starts once, with the first session, and may run WASM later.
    if (options.threads !== undefined) ort.env.wasm.numThreads = options.threads;
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, {
        executionProviders: [options.backend],
        graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
      });
    } catch (err) {
      // The wasm may still have been compiling (ort-runtime.ts): its failure is the one to report.
      await runtimeCompiled(variant);
      throw err;
    }
    return new OrtEngine(ort, session, manifest, options.backend);
  }

  /**
   * Runs one [1, 3, H, W] input and returns the softmax probabilities and the top 5, and a copy of
   * `extraOutput` when named (one run: the session computes every output anyway).
   */
  async classify(input: Float32Array, k = 5, extraOutput?: string): Promise<Scores> {
    const tensor = this.feed(input);
    const t0 = performance.now();
    const outputs = await this.session.run({ [this.manifest.inputName]: tensor }).finally(() => dispose(tensor));
    const inferenceMs = performance.now() - t0;
    tensorCounts.created += Object.keys(outputs).length;
    const out = outputs[this.manifest.outputName];
    try {
      const scores = new Float32Array(out.data as Float32Array);
      const probabilities = this.manifest.outputNeedsSoftmax ? softmax(scores) : scores;
      const extra = extraOutput && outputs[extraOutput] ? new Float32Array(outputs[extraOutput].data as Float32Array) : undefined;
      return { probabilities, top: topK(probabilities, k), inferenceMs, extra };
    } finally {
      for (const t of Object.values(outputs)) dispose(t);
    }
  }

  /**
   * The WASM threads onnxruntime settled on once its wasm started: 1 where the page is not
   * cross-origin isolated, whatever was asked for. What the device check shows.
   */
  static get wasmThreadsInUse(): number {
    return currentOrt()?.env.wasm.numThreads ?? 1;
  }

  /** Output names the session can return (every tensor, for an all-outputs variant). */
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  private feed(input: Float32Array): Ort.Tensor {
    const [, , h, w] = this.manifest.inputShape;
    tensorCounts.created++;
    return new this.ort.Tensor('float32', input, [1, 3, h, w]);
  }

  /** Copies of the named outputs for one [1, 3, H, W] input (all of them when names is omitted). */
  async run(input: Float32Array, names?: string[]): Promise<Record<string, PlainTensor>> {
    if (names) {
      const known = new Set(this.session.outputNames);
      const missing = names.filter((n) => !known.has(n));
      if (missing.length) throw new Error(`onnxruntime has no tensor named ${missing.join(', ')}`);
    }
    const tensor = this.feed(input);
    const feeds = { [this.manifest.inputName]: tensor };
    const outputs = await (names ? this.session.run(feeds, names) : this.session.run(feeds)).finally(() => dispose(tensor));
    tensorCounts.created += Object.keys(outputs).length;
    tensorCounts.released += Object.keys(outputs).length;
    return plainTensors(outputs);
  }

  /**
   * Milliseconds of one bare session.run on this input: no softmax, no copies. The output is read
   * as the app reads it, so a GPU backend cannot hide work behind a lazy download.
   */
  async timeRun(input: Float32Array): Promise<number> {
    const tensor = this.feed(input);
    const t0 = performance.now();
    const outputs = await this.session.run({ [this.manifest.inputName]: tensor }).finally(() => dispose(tensor));
    const ms = performance.now() - t0;
    tensorCounts.created += Object.keys(outputs).length;
    try {
      await outputs[this.manifest.outputName].getData();
    } finally {
      for (const t of Object.values(outputs)) dispose(t);
    }
    return ms;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
