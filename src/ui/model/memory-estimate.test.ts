import { describe, expect, it } from 'vitest';
import { estimateMemory, memoryBudget, memoryRefusal, WASM32_LIMIT, type EstimateGraph } from './memory-estimate';

/** x[1,3,S,S] -> conv (C channels, 3x3 weights) -> relu -> global pool -> y[1,C]. */
function convNet(size: number, channels: number): EstimateGraph {
  return {
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    initializers: new Map([['w', { dims: [channels, 3, 3, 3] }]]),
    nodes: [
      { inputs: ['x', 'w'], outputs: ['c'] },
      { inputs: ['c'], outputs: ['r'] },
      { inputs: ['r'], outputs: ['y'] },
    ],
    shapes: new Map<string, number[]>([
      ['x', [1, 3, size, size]],
      ['c', [1, channels, size, size]],
      ['r', [1, channels, size, size]],
      ['y', [1, channels]],
    ]),
  };
}

describe('memory estimate', () => {
  it('counts weights and the largest set of activations alive at once', () => {
    const e = estimateMemory(convNet(100, 8));
    expect(e.weightBytes).toBe(8 * 27 * 4);
    // Peak at the ReLU: its input c and output r are both alive (x was freed after the conv).
    expect(e.peakActivationBytes).toBe(2 * 8 * 100 * 100 * 4);
    expect(e.total).toBe(e.weightBytes + e.peakActivationBytes);
  });

  it('keeps a tensor alive until its last reader (a skip connection)', () => {
    const g: EstimateGraph = {
      inputs: [{ name: 'x' }],
      outputs: [{ name: 'y' }],
      initializers: new Map(),
      nodes: [
        { inputs: ['x'], outputs: ['a'] },
        { inputs: ['a'], outputs: ['b'] },
        { inputs: ['b'], outputs: ['c'] },
        { inputs: ['x', 'c'], outputs: ['y'] },
      ],
      shapes: new Map<string, number[]>(['x', 'a', 'b', 'c', 'y'].map((n) => [n, [1, 1, 10, 10]])),
    };
    // x lives to the end: at node 2, x + b + c are alive; at node 3, x + c + y.
    expect(estimateMemory(g).peakActivationBytes).toBe(3 * 100 * 4);
  });

  it('derives the budget from the device memory, never above wasm32', () => {
    expect(memoryBudget(undefined)).toBe(WASM32_LIMIT);
    expect(memoryBudget(4)).toBe(2 * 1024 ** 3);
    expect(memoryBudget(32)).toBe(WASM32_LIMIT);
  });

  it('refuses a model with a huge static input, naming the input size and the estimate', () => {
    const huge = estimateMemory(convNet(8192, 16));
    const message = memoryRefusal(huge, memoryBudget(8), '8192×8192', 8);
    expect(message).toBe(
      'needs about 8.0 GB of memory with its 8192×8192 input (0.1 MB of weights + 8.0 GB of activations at once), but this device (8 GB of memory) allows about 4.0 GB. Try a smaller input size or a smaller model',
    );
    expect(memoryRefusal(estimateMemory(convNet(224, 16)), memoryBudget(8), '224×224', 8)).toBeNull();
  });
});
