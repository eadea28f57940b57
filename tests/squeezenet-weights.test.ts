import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeSqueezenetWeights, squeezenetConvs, WeightFileError } from '../src/model/squeezenet.js';
import { NO_WEIGHTS, WEIGHTS_FILE } from './helpers/data.js';

const file = WEIGHTS_FILE ? new Uint8Array(readFileSync(WEIGHTS_FILE)) : new Uint8Array();

describe('Deep Compression weight decoder', () => {
  beforeEach(({ skip }) => skip(!WEIGHTS_FILE, NO_WEIGHTS));

  it('decodes 26 layers and 1,248,424 parameters from exactly 675,763 bytes', () => {
    const layers = decodeSqueezenetWeights(file);
    expect(layers).toHaveLength(26);
    expect(layers.map((l) => l.spec.name).slice(0, 4)).toEqual(['conv1', 'fire2/squeeze1x1', 'fire2/expand1x1', 'fire2/expand3x3']);
    expect(layers.reduce((n, l) => n + l.weights.length + l.bias.length, 0)).toBe(1_248_424);
    expect(layers[0].weights).toHaveLength(96 * 3 * 7 * 7);
    expect(layers[25].bias).toHaveLength(1000);
  });

  it('reproduces the stored counts and yields finite, sparse-but-not-empty weights', () => {
    const layers = decodeSqueezenetWeights(file);
    const view = new DataView(file.buffer, file.byteOffset);
    layers.forEach((l, i) => {
      expect(l.stored).toBe(view.getUint32(i * 4, true));
      let nonZero = 0;
      let nonFinite = 0;
      for (const w of l.weights) {
        if (!Number.isFinite(w)) nonFinite++;
        if (w !== 0) nonZero++;
      }
      expect(nonFinite).toBe(0);
      // Pruning keeps 20-100% of each layer; stored entries bound the non-zeros from above.
      expect(nonZero).toBeGreaterThan(0.15 * l.weights.length);
      expect(nonZero).toBeLessThanOrEqual(l.stored);
    });
  });

  it('names the layer where a truncated file ends', () => {
    expect(() => decodeSqueezenetWeights(file.subarray(0, 50_000))).toThrow(WeightFileError);
    expect(() => decodeSqueezenetWeights(file.subarray(0, file.length - 1))).toThrow(/inside layer conv10 \(conv_final\) index stream/);
    expect(() => decodeSqueezenetWeights(file.subarray(0, 60))).toThrow(/shorter than its 104-byte header/);
  });

  it('rejects bytes left over after the last layer', () => {
    const longer = new Uint8Array(file.length + 3);
    longer.set(file);
    expect(() => decodeSqueezenetWeights(longer)).toThrow(/3 bytes left over after the last layer conv10/);
  });

  it('rejects an index stream that runs past a layer', () => {
    const bad = file.slice();
    // Claim more stored entries for conv1 than it has weights.
    new DataView(bad.buffer).setUint32(0, 96 * 3 * 7 * 7 + 1, true);
    expect(() => decodeSqueezenetWeights(bad)).toThrow(/layer conv1 \(conv1\) claims 14113 stored entries/);
  });
});

describe('SqueezeNet v1.0 layer table', () => {
  it('describes the channel plumbing consistently', () => {
    const convs = squeezenetConvs();
    expect(convs.at(-1)).toMatchObject({ name: 'conv10', inChannels: 512, outChannels: 1000, pad: 1 });
  });
});
