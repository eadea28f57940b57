// The worker's serving engine in Node (onnxruntime-web's wasm build): classification, the
// inspector's intermediate tensors and the bench's bare runs all go through OrtEngine, so its
// tensor counters see every tensor, and every one is released.
import { describe, expect, it } from 'vitest';
import { loadDefaultModel } from '../../scripts/lib/default-model.js';
import { OrtEngine } from './ort-engine.js';
import { ServingEngine } from './serving-engine.js';

describe('ServingEngine', () => {
  it('classifies, returns intermediate tensors as {dims, data} and bare times, leaving no tensor alive', async () => {
    const model = loadDefaultModel();
    const before = OrtEngine.tensorCounts;
    const { serving, warmupMs, notice } = await ServingEngine.start(model.bytes, model.manifest, 'wasm', 1);
    try {
      expect(serving.backend).toBe('wasm');
      expect(notice).toBeUndefined();
      expect(warmupMs).toBeGreaterThan(0);
      const input = new Float32Array(3 * 227 * 227).map((_, i) => Math.sin(i) * 50);
      const { scores } = await serving.classify(input);
      expect(scores.probabilities.length).toBe(1000);
      expect(scores.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      const tensors = await serving.tensors(input, ['conv1', model.manifest.outputName]);
      expect(tensors.conv1.dims).toEqual([1, 96, 111, 111]);
      expect(tensors.conv1.data).toBeInstanceOf(Float32Array);
      expect(tensors.conv1.data.length).toBe(96 * 111 * 111);
      await expect(serving.tensors(input, ['no-such-tensor'])).rejects.toThrow('onnxruntime has no tensor named no-such-tensor');
      const times = await serving.benchBare(1, 2);
      expect(times.length).toBe(2);
      const after = OrtEngine.tensorCounts;
      // warm-up + classify (1 in, 1 out each), tensors (1 in, 2 out), bench (3 runs of 1 in, 1 out).
      expect(after.created - before.created).toBe(2 + 2 + 3 + 6);
      expect(after.released - before.released).toBe(after.created - before.created);
    } finally {
      await serving.release();
    }
  });
});
