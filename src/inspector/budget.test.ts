import { describe, expect, it } from 'vitest';
import { inspectorBudget, MAX_REFERENCE_WORKERS, restAfter, THROTTLED_LAYER_SHARE, THROTTLED_PARITY_SHARE } from './budget';

describe('inspectorBudget', () => {
  it('throttles a 2-core device on WASM: the engine takes both cores', () => {
    const b = inspectorBudget({ cores: 2, backend: 'wasm', engineThreads: 2 });
    expect(b).toMatchObject({ workers: 1, layerShare: THROTTLED_LAYER_SHARE, parityShare: THROTTLED_PARITY_SHARE });
    expect(b.reason).toContain('no free core');
  });

  it('gives the free cores to reference workers on WASM', () => {
    expect(inspectorBudget({ cores: 8, backend: 'wasm', engineThreads: 4 })).toMatchObject({ workers: 3, layerShare: 1, parityShare: 1 });
    expect(inspectorBudget({ cores: 4, backend: 'wasm', engineThreads: 2 })).toMatchObject({ workers: 1, layerShare: 1 });
    expect(inspectorBudget({ cores: 4, backend: 'wasm', engineThreads: 4 }).layerShare).toBe(THROTTLED_LAYER_SHARE);
  });

  it('on WebGPU every core but the page thread is free, capped', () => {
    expect(inspectorBudget({ cores: 2, backend: 'webgpu', engineThreads: 2 })).toMatchObject({ workers: 1, layerShare: 1 });
    expect(inspectorBudget({ cores: 4, backend: 'webgpu', engineThreads: 4 })).toMatchObject({ workers: 3, layerShare: 1 });
    expect(inspectorBudget({ cores: 16, backend: 'webgpu', engineThreads: 4 }).workers).toBe(MAX_REFERENCE_WORKERS);
    expect(inspectorBudget({ cores: 16, backend: 'webgpu', engineThreads: 4 }).reason).toContain('GPU');
  });

  it('reads an unknown core count or a backend not yet known as the tightest case', () => {
    expect(inspectorBudget({ cores: 0, backend: '', engineThreads: 1 })).toMatchObject({ workers: 1, layerShare: THROTTLED_LAYER_SHARE });
    expect(inspectorBudget({ cores: Number.NaN, backend: 'wasm', engineThreads: 0 }).workers).toBe(1);
  });
});

describe('restAfter', () => {
  it('rests so that runs take the given share of the time', () => {
    const run = 30;
    const rest = restAfter(run, 0.2);
    expect(rest).toBeCloseTo(120);
    expect(run / (run + rest)).toBeCloseTo(0.2);
    expect(restAfter(600, THROTTLED_PARITY_SHARE)).toBeCloseTo(11_400);
  });

  it('does not rest when unthrottled or after nothing', () => {
    expect(restAfter(50, 1)).toBe(0);
    expect(restAfter(0, 0.2)).toBe(0);
  });
});
