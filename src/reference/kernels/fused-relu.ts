// Relu where a kernel stores its output, so that a Conv followed by a Relu can run as one pass
// (engine.ts fuses them when the inspector does not ask for the conv's own output). The formula is
// the Relu op's (ops/activation.ts uses `relu` too); kernels apply it to the float32 values they
// have just stored, still in cache, so a fused layer gives the same bits as Conv then Relu.

/** Relu(v) = max(v, 0), with NaN -> 0 as `v > 0` is false for it. */
export function relu(v: number): number {
  return v > 0 ? v : 0;
}

/** Relu in place on a rows x cols block of C starting at C[c], row stride ldc. */
export function reluBlock(C: Float32Array, c: number, ldc: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++, c += ldc) {
    for (let j = 0; j < cols; j++) C[c + j] = relu(C[c + j]);
  }
}
