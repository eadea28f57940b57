// The activation a kernel applies where it stores its output, so that a Conv followed by a Relu
// or a Clip (MobileNetV2's Relu6) runs as one pass (engine.ts fuses them when the inspector does
// not ask for the conv's own output). The formulas are the ops' own (ops/activation.ts uses
// `relu` and `clip` too); kernels apply them to the float32 values they have just stored, still in
// cache, so a fused layer gives the same bits as Conv then the activation.

/** Relu, or Clip to [lo, hi]. */
export type Activation = { kind: 'relu' } | { kind: 'clip'; lo: number; hi: number };

/** Relu(v) = max(v, 0), with NaN -> 0 as `v > 0` is false for it. */
export function relu(v: number): number {
  return v > 0 ? v : 0;
}

/** Clip(v) = min(max(v, lo), hi): ONNX applies min first, so with lo > hi every value becomes hi. */
export function clip(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** The activation in place on a rows x cols block of C starting at C[c], row stride ldc. */
export function activateBlock(C: Float32Array, c: number, ldc: number, rows: number, cols: number, act: Activation): void {
  if (act.kind === 'relu') {
    for (let r = 0; r < rows; r++, c += ldc) {
      for (let j = 0; j < cols; j++) C[c + j] = relu(C[c + j]);
    }
    return;
  }
  const { lo, hi } = act;
  for (let r = 0; r < rows; r++, c += ldc) {
    for (let j = 0; j < cols; j++) C[c + j] = clip(C[c + j], lo, hi);
  }
}
