// Page-side handle on the model in use: requests go to the current worker session, and a new
// session (loaded and warmed up beside it, see worker-session.ts) takes over with adopt().
import { deviceCores } from './device-cores.js';
import type { BenchBareMessage, TensorsMessage, WorkerResult, WorkerSession } from './worker-session.js';

export type { ReadyMessage, BenchBareMessage, TensorsMessage } from './worker-session.js';
/** A result, with the generation of the model load that produced it. */
export type ResultMessage = WorkerResult & { generation: number };

export class InferenceClient {
  private session: WorkerSession | null = null;

  /** The generation of the session in use (0 before the first). */
  get generation(): number {
    return this.session?.generation ?? 0;
  }

  private current(): WorkerSession {
    if (!this.session) throw new Error('no model is loaded yet');
    return this.session;
  }

  /** Makes this warmed-up session the one in use; the previous one ends after its queued requests. */
  adopt(session: WorkerSession): void {
    const previous = this.session;
    this.session = session;
    previous?.retire();
  }

  /** Classifies one frame; the bitmap is transferred (and closed by the worker). */
  async classify(frame: ImageBitmap, captureMs: number, wantInput = false): Promise<ResultMessage> {
    const session = this.sessionFor(frame);
    return { ...(await session.classify(frame, captureMs, wantInput)), generation: session.generation };
  }

  /**
   * Classifies a live camera frame without waiting for the frame before it (the worker holds one
   * waiting frame at most, newest wins): null when a newer frame replaced it before it ran.
   */
  async classifyLive(frame: ImageBitmap, captureMs: number, wantInput = false): Promise<ResultMessage | null> {
    const session = this.sessionFor(frame);
    const result = await session.classifyLive(frame, captureMs, wantInput);
    return result && { ...result, generation: session.generation };
  }

  /** The session in use; with none, the frame (which the worker would have closed) is closed here. */
  private sessionFor(frame: ImageBitmap): WorkerSession {
    try {
      return this.current();
    } catch (err) {
      frame.close();
      throw err;
    }
  }

  /** Times `runs` bare session.run calls on the loaded session (after `warmup` untimed ones). */
  benchBare(runs: number, warmup = 3): Promise<BenchBareMessage> {
    return this.current().benchBare(runs, warmup);
  }

  /** onnxruntime's values of the named tensors for this input (the input is copied, not transferred). */
  tensors(input: Float32Array, names: string[]): Promise<TensorsMessage['tensors']> {
    return this.current().tensors(input, names);
  }

  terminate(): void {
    this.session?.terminate();
    this.session = null;
  }
}

/** WASM threads for this device: all cores but capped, since ORT gains little past 4 on phones. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(deviceCores(), 4));
}
