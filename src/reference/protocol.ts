// The typed message protocol between the page and the reference engine's Web Worker.
import type { ReadOptions, Shape } from '../model/onnx-read.js';
import type { ModelErrorKind } from '../model/model-error.js';
import type { PoolType } from './ops/pool.js';
import type { NodeTiming, Tensor } from './tensor.js';

export type WorkerRequest =
  /** workers: how many workers compute split layers (default 1; more needs SharedArrayBuffer). */
  | { id: number; type: 'load'; model: Uint8Array; options?: ReadOptions; workers?: number }
  /** recycle: buffers of earlier 'ran' tensors the page is done with (transferred), for this run's copies. */
  | { id: number; type: 'run'; input: Float32Array; stopAfter?: string; want: string[]; recycle?: ArrayBuffer[] }
  | { id: number; type: 'whatIf'; node: string };

export interface LayerInfo {
  name: string;
  opType: string;
  outputShape: Shape;
}

export type WorkerResponse =
  /** workers: how many actually run (1 where shared memory or helper workers are unavailable). */
  | { id: number; type: 'loaded'; inputNames: string[]; outputNames: string[]; inputShape: Shape; layers: LayerInfo[]; workers?: number }
  | { id: number; type: 'ran'; tensors: Record<string, Tensor>; timings: NodeTiming[]; totalMs: number }
  | { id: number; type: 'whatIf'; poolType: PoolType; tensor: Tensor }
  | { id: number; type: 'error'; message: string; kind?: ModelErrorKind };

/** Minimal worker surface, satisfied by a browser Worker and by an adapter over node:worker_threads. */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerResponse }) => void): void;
  terminate(): void;
}
