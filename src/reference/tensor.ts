import type { Shape } from '../model/onnx-read.js';

/** A dense float32 tensor, row-major (NCHW for images). */
export interface Tensor {
  dims: Shape;
  data: Float32Array;
}

/** Wall time of one node in one run. */
export interface NodeTiming {
  node: string;
  opType: string;
  ms: number;
  /** Set when this node ran inside another one (a Relu or Clip fused into its Conv): that node's name; ms is 0. */
  fusedInto?: string;
}
