// The worker's serving engine in Node (onnxruntime-web's wasm build): classification, the
// inspector's intermediate tensors and the bench's bare runs all go through OrtEngine, so its
// tensor counters see every tensor, and every one is released.
import { describe, expect, it } from 'vitest';
import { loadDefaultModel } from '../../scripts/lib/default-model.js';
import { OrtEngine } from './ort-engine.js';
import { ServingEngine } from './serving-engine.js';
import { withEmbeddingOutput } from '../teach/embedding-output.js';

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

  it('sends the embedding output from the same run that classifies, with unchanged scores', async () => {
    const model = loadDefaultModel();
    const served = withEmbeddingOutput(model.bytes);
    const input = new Float32Array(3 * 227 * 227).map((_, i) => Math.cos(i) * 40);
    const plain = (await ServingEngine.start(model.bytes, model.manifest, 'wasm', 1)).serving;
    const teaching = (await ServingEngine.start(served.bytes, model.manifest, 'wasm', 1, served.embeddingOutput)).serving;
    try {
      const a = (await plain.classify(input)).scores;
      const b = (await teaching.classify(input)).scores;
      expect(a.extra).toBeUndefined();
      expect(b.extra?.length).toBe(512);
      expect(b.top).toEqual(a.top);
      // The embedding is fire9/concat averaged over its 13x13 positions, as the reference tensor says.
      const fire9 = (await teaching.tensors(input, [served.info.featureTensor]))[served.info.featureTensor];
      const hw = fire9.dims[2] * fire9.dims[3];
      for (const c of [0, 100, 511]) {
        let sum = 0;
        for (let i = 0; i < hw; i++) sum += fire9.data[c * hw + i];
        expect(b.extra![c]).toBeCloseTo(sum / hw, 3);
      }
      await expect(ServingEngine.start(model.bytes, model.manifest, 'wasm', 1, 'cnn_lens_embedding')).rejects.toThrow('the model has no output named "cnn_lens_embedding"');
    } finally {
      await Promise.all([plain.release(), teaching.release()]);
    }
  });

  it('warms up on the frame it is given and returns that run as the first scores; on zeros otherwise', async () => {
    const model = loadDefaultModel();
    const input = new Float32Array(3 * 227 * 227).map((_, i) => Math.sin(i / 7) * 60);
    let asked = 0;
    const warmed = await ServingEngine.start(model.bytes, model.manifest, 'wasm', 1, undefined, async () => (asked++, input));
    const zeros = await ServingEngine.start(model.bytes, model.manifest, 'wasm', 1, undefined, async () => null);
    const failing = await ServingEngine.start(model.bytes, model.manifest, 'wasm', 1, undefined, () => Promise.reject(new Error('no frame')));
    try {
      expect(asked).toBe(1);
      const later = (await warmed.serving.classify(input)).scores;
      expect(warmed.warmScores?.top).toEqual(later.top);
      expect(warmed.warmScores?.top[0].probability).toBeCloseTo(later.top[0].probability, 5);
      expect(warmed.warmScores?.probabilities.length).toBe(1000);
      // The same run as on zeros would give other scores: the frame was really the warm-up's input.
      const onZeros = (await zeros.serving.classify(new Float32Array(3 * 227 * 227))).scores;
      expect(warmed.warmScores?.top[0].index === onZeros.top[0].index && warmed.warmScores?.top[1].index === onZeros.top[1].index).toBe(false);
      expect(zeros.warmScores).toBeUndefined();
      // A frame that cannot be read leaves the warm-up on zeros, not a failed load.
      expect(failing.warmScores).toBeUndefined();
      expect(failing.warmupMs).toBeGreaterThan(0);
    } finally {
      await Promise.all([warmed.serving.release(), zeros.serving.release(), failing.serving.release()]);
    }
  });
});
