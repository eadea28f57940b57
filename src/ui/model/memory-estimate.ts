// How much memory a model needs, from its inferred shapes, before anything is allocated: the
// weights plus the largest set of activations alive at once (tensors stay alive from the node that
// makes them to the last node that reads them), all float32. Refused over a budget derived from the
// device, with a message that says the input size and the estimate.

/** The parts of a shaped graph the estimate reads. */
export interface EstimateGraph {
  nodes: readonly { inputs: readonly string[]; outputs: readonly string[] }[];
  initializers: ReadonlyMap<string, { dims: readonly number[] }>;
  inputs: readonly { name: string }[];
  outputs: readonly { name: string }[];
  shapes: ReadonlyMap<string, readonly number[]>;
}

export interface MemoryEstimate {
  weightBytes: number;
  /** The largest total of activations alive at the same time. */
  peakActivationBytes: number;
  total: number;
}

const FLOAT_BYTES = 4;
const GiB = 1024 ** 3;
/** wasm32 addresses at most 4 GiB: onnxruntime's whole heap (weights, activations, its own) lives there. */
export const WASM32_LIMIT = 4 * GiB;

function elements(dims: readonly number[] | undefined): number {
  return (dims ?? []).reduce((a, d) => a * Math.max(1, d), 1);
}

export function estimateMemory(graph: EstimateGraph): MemoryEstimate {
  let weightBytes = 0;
  for (const t of graph.initializers.values()) weightBytes += elements(t.dims) * FLOAT_BYTES;
  const bytesOf = (name: string) => (graph.initializers.has(name) ? 0 : elements(graph.shapes.get(name)) * FLOAT_BYTES);
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, i) => node.inputs.forEach((name) => name && lastUse.set(name, i)));
  for (const o of graph.outputs) lastUse.set(o.name, graph.nodes.length);
  const live = new Map<string, number>();
  for (const input of graph.inputs) live.set(input.name, bytesOf(input.name));
  let current = [...live.values()].reduce((a, b) => a + b, 0);
  let peak = current;
  graph.nodes.forEach((node, i) => {
    // A node's outputs are written while its inputs are still being read.
    for (const name of node.outputs) {
      if (!name || live.has(name)) continue;
      const b = bytesOf(name);
      live.set(name, b);
      current += b;
    }
    peak = Math.max(peak, current);
    for (const [name, b] of live) {
      if ((lastUse.get(name) ?? -1) <= i) {
        live.delete(name);
        current -= b;
      }
    }
  });
  return { weightBytes, peakActivationBytes: peak, total: weightBytes + peak };
}

/**
 * What a model may use here: half of the device's memory where the browser says how much there is
 * (navigator.deviceMemory, in GB, rounded and capped by the browser), never more than wasm32's 4 GiB.
 */
export function memoryBudget(deviceMemoryGb: number | undefined): number {
  const device = deviceMemoryGb && deviceMemoryGb > 0 ? (deviceMemoryGb * GiB) / 2 : WASM32_LIMIT;
  return Math.min(WASM32_LIMIT, device);
}

export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GB`;
  return `${Math.max(0.1, n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`;
}

/** Null when the model fits, else the message that refuses it. */
export function memoryRefusal(estimate: MemoryEstimate, budget: number, inputSize: string, deviceMemoryGb: number | undefined): string | null {
  if (estimate.total <= budget) return null;
  const where = deviceMemoryGb ? `this device (${deviceMemoryGb} GB of memory) allows about ${formatBytes(budget)}` : `the browser's engine can address at most ${formatBytes(budget)}`;
  return (
    `needs about ${formatBytes(estimate.total)} of memory with its ${inputSize} input ` +
    `(${formatBytes(estimate.weightBytes)} of weights + ${formatBytes(estimate.peakActivationBytes)} of activations at once), ` +
    `but ${where}. Try a smaller input size or a smaller model`
  );
}
