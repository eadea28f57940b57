// The typed message protocol between the page and the reference engine's Web Worker.
import type { ReadOptions, Shape } from '../model/onnx-read.js';
import type { ModelErrorKind } from './model-error.js';
import type { PoolType } from './ops/pool.js';
import type { NodeTiming, Tensor } from './tensor.js';

export type WorkerRequest =
  | { id: number; type: 'load'; model: Uint8Array; options?: ReadOptions }
  | { id: number; type: 'run'; input: Float32Array; stopAfter?: string; want: string[] }
  | { id: number; type: 'whatIf'; node: string };

export interface LayerInfo {
  name: string;
  opType: string;
  outputShape: Shape;
}

export type WorkerResponse =
  | { id: number; type: 'loaded'; inputNames: string[]; outputNames: string[]; inputShape: Shape; layers: LayerInfo[] }
  | { id: number; type: 'ran'; tensors: Record<string, Tensor>; timings: NodeTiming[]; totalMs: number }
  | { id: number; type: 'whatIf'; poolType: PoolType; tensor: Tensor }
  | { id: number; type: 'error'; message: string; kind?: ModelErrorKind };

/** Minimal worker surface, satisfied by a browser Worker and by an adapter over node:worker_threads. */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerResponse }) => void): void;
  terminate(): void;
}
