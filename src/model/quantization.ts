// Linear (asymmetric) dequantization, the one formula shared by the TFLite converter, the ONNX
// reader's folding of constant DequantizeLinear nodes and the reference DequantizeLinear op:
// real = scale * (q - zero_point), per tensor (one scale) or per axis (one scale per slice).

/**
 * Dequantizes `q` of shape `dims`. With one scale the whole tensor shares it; otherwise there is
 * one scale and zero point per index of `axis`. The product is rounded to float32 once, as
 * onnxruntime's DequantizeLinear computes it ((q - zp) is an exact integer).
 */
export function dequantize(
  q: ArrayLike<number>,
  dims: readonly number[],
  scale: ArrayLike<number>,
  zeroPoint: ArrayLike<number> | null,
  axis: number,
  out: Float32Array = new Float32Array(q.length),
): Float32Array {
  const zp = (i: number): number => (zeroPoint && zeroPoint.length > 0 ? zeroPoint[i] : 0);
  if (scale.length === 1) {
    const s = scale[0];
    const z = zp(0);
    for (let i = 0; i < q.length; i++) out[i] = (q[i] - z) * s;
    return out;
  }
  const a = axis < 0 ? axis + dims.length : axis;
  if (a < 0 || a >= dims.length || dims[a] !== scale.length) {
    throw new RangeError(`per-axis dequantization: ${scale.length} scales for axis ${axis} of shape [${dims.join(', ')}]`);
  }
  if (zeroPoint && zeroPoint.length > 0 && zeroPoint.length !== scale.length) {
    throw new RangeError(`per-axis dequantization: ${zeroPoint.length} zero points for ${scale.length} scales`);
  }
  let inner = 1;
  for (let d = a + 1; d < dims.length; d++) inner *= dims[d];
  const n = dims[a];
  for (let i = 0; i < q.length; i++) {
    const c = Math.floor(i / inner) % n;
    out[i] = (q[i] - zp(c)) * scale[c];
  }
  return out;
}
