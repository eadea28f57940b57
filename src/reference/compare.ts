// Layer-by-layer comparison of two engines' tensors (reference vs onnxruntime), shared by the
// parity script, the tests and the in-app inspector.
import type { Tensor } from './tensor.js';

export interface LayerDiff {
  name: string;
  dims: number[];
  /** max |a - b| over the tensor. */
  maxAbsDiff: number;
  /** max |b|: the layer's largest magnitude in the trusted tensor. */
  maxMagnitude: number;
  /** maxAbsDiff / maxMagnitude: differences measured against the layer's own scale. */
  maxRelDiff: number;
  /** Shapes or lengths differ: the numbers above are meaningless. */
  shapeMismatch: boolean;
}

export function compareTensors(name: string, actual: Tensor, trusted: Tensor): LayerDiff {
  const shapeMismatch = actual.data.length !== trusted.data.length || actual.dims.join() !== trusted.dims.join();
  let maxAbsDiff = 0;
  let maxMagnitude = 0;
  const n = Math.min(actual.data.length, trusted.data.length);
  for (let i = 0; i < n; i++) {
    const d = Math.abs(actual.data[i] - trusted.data[i]);
    // NaN anywhere must show as a failure, not vanish in a max().
    if (d > maxAbsDiff || Number.isNaN(d)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
    const m = Math.abs(trusted.data[i]);
    if (m > maxMagnitude) maxMagnitude = m;
  }
  const maxRelDiff = maxMagnitude > 0 ? maxAbsDiff / maxMagnitude : maxAbsDiff;
  return { name, dims: [...actual.dims], maxAbsDiff, maxMagnitude, maxRelDiff, shapeMismatch };
}

/** Compares every name in `order` present in both maps; missing names are reported as mismatches. */
export function compareLayers(actual: Record<string, Tensor>, trusted: Record<string, Tensor>, order: readonly string[]): LayerDiff[] {
  return order.map((name) => {
    const a = actual[name];
    const t = trusted[name];
    if (!a || !t) return { name, dims: a?.dims ?? t?.dims ?? [], maxAbsDiff: Infinity, maxMagnitude: 0, maxRelDiff: Infinity, shapeMismatch: true };
    return compareTensors(name, a, t);
  });
}

export function formatLayerDiffs(diffs: readonly LayerDiff[]): string {
  const w = Math.max(5, ...diffs.map((d) => d.name.length));
  const lines = [`${'layer'.padEnd(w)}  ${'shape'.padEnd(18)}  ${'max |diff|'.padStart(11)}  ${'max |value|'.padStart(11)}  ${'rel diff'.padStart(9)}`];
  for (const d of diffs) {
    lines.push(
      `${d.name.padEnd(w)}  ${`[${d.dims.join(', ')}]`.padEnd(18)}  ${d.maxAbsDiff.toExponential(2).padStart(11)}  ${d.maxMagnitude.toExponential(2).padStart(11)}  ${d.maxRelDiff.toExponential(2).padStart(9)}${d.shapeMismatch ? '  SHAPE MISMATCH' : ''}`,
    );
  }
  return lines.join('\n');
}
