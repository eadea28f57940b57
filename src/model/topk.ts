// Scores -> probabilities -> the k best classes. In src/model (the bottom layer) because both the
// onnxruntime engine and the inspector rank a model's outputs the same way.

/** Numerically stable softmax (subtracts the max so exp never overflows). */
export function softmax(logits: Float32Array, out: Float32Array = new Float32Array(logits.length)): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) out[i] /= sum;
  return out;
}

export interface Prediction {
  index: number;
  probability: number;
}

/** The k highest entries, best first; ties keep the lower index first. */
export function topK(values: Float32Array, k: number): Prediction[] {
  const best: Prediction[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (best.length === k && v <= best[k - 1].probability) continue;
    let j = best.length < k ? best.length : k - 1;
    while (j > 0 && best[j - 1].probability < v) j--;
    best.splice(j, 0, { index: i, probability: v });
    if (best.length > k) best.pop();
  }
  return best;
}
