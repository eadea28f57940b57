// Messages between the page and the inference worker. Frames travel as transferred ImageBitmaps,
// or, for live camera frames, as the model's input tensor the page has already computed.
import type { ModelManifest } from '../model/manifest.js';
import type { Prediction } from '../model/topk.js';
import type { PreparedInput } from './frame-tensor.js';

export type { PreparedInput } from './frame-tensor.js';

export type Backend = 'wasm' | 'webgpu';
export type BackendChoice = 'auto' | Backend;

export interface LoadRequest {
  type: 'load';
  /** Where to fetch the model from, or its bytes (a user's own file). */
  modelUrl?: string;
  modelBytes?: ArrayBuffer;
  manifest: ModelManifest;
  backend: BackendChoice;
  /** WASM threads (capped by the caller). */
  threads: number;
  /**
   * An extra output of the model (penultimate features, added by the page before the load) to send
   * back with every classify result: teaching reads it from the same run that classifies the frame.
   */
  embeddingOutput?: string;
  /**
   * The page can give a camera frame for the warm-up run: the worker asks for it (wantFrame) once
   * the session exists, and the run's result is the first prediction, sent after 'ready' as a
   * result with id WARM_FRAME_ID. Without a frame the warm-up runs on zeros.
   */
  warmFrame?: boolean;
}

/** The page's answer to wantFrame: the newest camera frame (transferred), or null for none. */
export interface WarmFrameReply {
  type: 'warmFrame';
  frame: ImageBitmap | null;
  captureMs: number;
  wantInput: boolean;
}

/** The id of the warm-up frame's result (requests are numbered from 1). */
export const WARM_FRAME_ID = 0;

export interface ClassifyRequest {
  type: 'classify';
  id: number;
  /** A bitmap the worker preprocesses (and closes), or an input the page prepared. */
  frame: ImageBitmap | PreparedInput;
  /** Time spent capturing the frame on the page, reported back with the result. */
  captureMs: number;
  /** Also send back the preprocessed input tensor (for the inspector). */
  wantInput?: boolean;
  /** A live camera frame: while it waits, a newer live frame replaces it (see frame-slot.ts). */
  live?: boolean;
}

/** Times bare session.run calls on a fixed tensor: the yardstick for the app's own overhead. */
export interface BenchBareRequest {
  type: 'benchBare';
  id: number;
  warmup: number;
  runs: number;
}

/**
 * onnxruntime's values of named tensors (intermediate layers included) for one input, from the
 * all-outputs variant of the loaded model: what the inspector compares the reference against.
 */
export interface TensorsRequest {
  type: 'tensors';
  id: number;
  input: Float32Array;
  names: string[];
}

export type ToWorker = LoadRequest | WarmFrameReply | ClassifyRequest | BenchBareRequest | TensorsRequest;

export interface StageTimings {
  capture: number;
  preprocess: number;
  inference: number;
  postprocess: number;
  /** Where the frame was preprocessed: on the page (live frames, while the worker ran the frame before) or in the worker. */
  preprocessedOn: 'page' | 'worker';
}

export type FromWorker =
  | { type: 'progress'; loaded: number; total: number }
  /** The session exists and the load asked for a warm-up frame (LoadRequest.warmFrame): send it now. */
  | { type: 'wantFrame' }
  /** threads: what onnxruntime actually runs with (ort.env.wasm.numThreads after session creation). */
  | {
      type: 'ready';
      backend: Backend;
      threads: number;
      warmupMs: number;
      notice?: string;
      /** Why this backend ("WebGPU: 12 ms vs WASM 40 ms"). */
      reason?: string;
      /** The warm-up ran on the page's frame: its result (id WARM_FRAME_ID) follows this message. */
      warmedOnFrame?: boolean;
    }
  | {
      type: 'error';
      stage: 'load' | 'classify' | 'bench' | 'tensors';
      message: string;
      id?: number;
      /** For load errors: whether the download or onnxruntime (session, warm-up) failed. */
      during?: 'download' | 'runtime' | 'session';
      /** A live frame replaced by a newer one before it ran: not a failure. */
      dropped?: boolean;
    }
  | { type: 'benchBare'; id: number; backend: Backend; times: number[] }
  | { type: 'tensors'; id: number; tensors: Record<string, { dims: number[]; data: Float32Array }> }
  | {
      type: 'result';
      id: number;
      backend: Backend;
      top: Prediction[];
      probabilities: Float32Array;
      /** The load's embeddingOutput for this frame, when the load named one. */
      embedding?: Float32Array;
      input?: Float32Array;
      timings: StageTimings;
      /** Where the model's crop lies in the frame, for the outline on the video. */
      crop: { x: number; y: number; width: number; height: number; frameWidth: number; frameHeight: number };
      /** Set when the engine had to change backend (e.g. the GPU device was lost). */
      notice?: string;
    };
