// The model a worker serves: the classifying engine, the mid-stream WebGPU -> WASM swap when the GPU
// fails during inference, and the all-outputs variant the inspector compares against. Every
// onnxruntime session here is an OrtEngine, so the tensor counters see all of them.
import type { ModelManifest } from '../model/manifest.js';
import { startEngine, startForChoice, type StartedEngine, type WarmInput } from './backend-policy.js';
import { OrtEngine, type Scores } from './ort-engine.js';
import type { PlainTensor } from './ort-tensor.js';
import type { BackendChoice } from './protocol.js';

export class ServingEngine {
  /** Made on the inspector's first request for intermediate tensors. */
  private allOutputs: OrtEngine | null = null;

  private constructor(
    private engine: OrtEngine,
    private readonly bytes: Uint8Array,
    private readonly threads: number,
    /** The model's extra output returned with every result (teaching's embedding), if any. */
    private readonly embeddingOutput?: string,
  ) {}

  static async start(
    bytes: Uint8Array,
    manifest: ModelManifest,
    choice: BackendChoice,
    threads: number,
    embeddingOutput?: string,
    warmInput?: WarmInput,
  ): Promise<{ serving: ServingEngine } & Omit<StartedEngine, 'engine'>> {
    const { engine, warmupMs, notice, reason, warmScores } = await startForChoice(bytes, manifest, choice, threads, warmInput);
    if (embeddingOutput && !engine.outputNames.includes(embeddingOutput)) {
      await engine.release().catch(() => undefined);
      throw new Error(`the model has no output named "${embeddingOutput}" to send as the embedding`);
    }
    return { serving: new ServingEngine(engine, bytes, threads, embeddingOutput), warmupMs, notice, reason, warmScores };
  }

  get manifest(): ModelManifest {
    return this.engine.manifest;
  }

  get backend(): OrtEngine['backend'] {
    return this.engine.backend;
  }

  /** Classifies; if WebGPU fails mid-stream, continues on WASM with the same model and says so. */
  async classify(input: Float32Array): Promise<{ scores: Scores; notice?: string }> {
    try {
      return { scores: await this.engine.classify(input, 5, this.embeddingOutput) };
    } catch (err) {
      if (this.engine.backend !== 'webgpu') throw err;
      // The GPU device was lost or a kernel failed: continue on WASM with the same model.
      const failed = this.engine;
      this.engine = (await startEngine(this.bytes, failed.manifest, 'wasm', this.threads)).engine;
      await failed.release().catch(() => undefined);
      return {
        scores: await this.engine.classify(input, 5, this.embeddingOutput),
        notice: `WebGPU failed during inference (${(err as Error).message}); switched to WASM`,
      };
    }
  }

  /** Bare session.run times on a fixed tensor, after `warmup` untimed runs. */
  async benchBare(warmup: number, runs: number): Promise<number[]> {
    const [, , h, w] = this.manifest.inputShape;
    const data = new Float32Array(3 * h * w).fill(0.5);
    const times: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const ms = await this.engine.timeRun(data);
      if (i >= warmup) times.push(ms);
    }
    return times;
  }

  /**
   * onnxruntime's values of named tensors, intermediate ones included, from the all-outputs variant
   * on WASM: the reference is compared with onnxruntime's CPU kernels whatever backend classifies.
   */
  async tensors(input: Float32Array, names: string[]): Promise<Record<string, PlainTensor>> {
    if (!this.allOutputs) {
      // Imported here, not at the top: the ONNX protobuf code it needs is most of this worker's
      // script, and the worker's start (on the way to the first prediction) does not need it.
      const { withAllOutputs } = await import('../model/all-outputs.js');
      this.allOutputs = await OrtEngine.create(withAllOutputs(this.bytes).bytes, this.manifest, { backend: 'wasm' });
    }
    return this.allOutputs.run(input, names);
  }

  async release(): Promise<void> {
    await Promise.all([this.engine.release(), this.allOutputs?.release()].map((p) => p?.catch(() => undefined)));
    this.allOutputs = null;
  }
}
