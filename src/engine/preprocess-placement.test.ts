import { describe, expect, it } from 'vitest';
import { preprocessPlacement } from './preprocess-placement.js';

describe('preprocessPlacement', () => {
  it('keeps preprocessing in the worker where onnxruntime uses every core', () => {
    expect(preprocessPlacement('auto', 2, 2, 'wasm')).toBe('worker');
    expect(preprocessPlacement('auto', 4, 4, 'wasm')).toBe('worker');
    expect(preprocessPlacement('auto', 1, 1, 'wasm')).toBe('worker');
  });

  it('moves it to the page where a core is spare (a phone: 8 cores, 4 wasm threads) or the GPU infers', () => {
    expect(preprocessPlacement('auto', 8, 4, 'wasm')).toBe('page');
    expect(preprocessPlacement('auto', 2, 1, 'wasm')).toBe('page');
    expect(preprocessPlacement('auto', 2, 2, 'webgpu')).toBe('page');
  });

  it('follows a forced choice whatever the device', () => {
    expect(preprocessPlacement('page', 2, 2, 'wasm')).toBe('page');
    expect(preprocessPlacement('worker', 8, 4, 'webgpu')).toBe('worker');
  });
});
