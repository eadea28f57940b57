import { describe, expect, it } from 'vitest';
import { pickFaster, probeFromAdapter, softwareAdapterReason, type AdapterFacts } from './backend-policy.js';

const gpu = (over: Partial<AdapterFacts> = {}): AdapterFacts => ({ isFallbackAdapter: false, vendor: 'nvidia', architecture: 'hopper', device: '', description: '', ...over });

describe('softwareAdapterReason', () => {
  it('rejects an adapter flagged as fallback', () => {
    expect(softwareAdapterReason(gpu({ isFallbackAdapter: true }))).toBe('WebGPU adapter is a software fallback');
  });
  it('rejects SwiftShader even when not flagged (Chromium --enable-unsafe-webgpu)', () => {
    expect(softwareAdapterReason(gpu({ vendor: 'google', architecture: 'swiftshader' }))).toBe('WebGPU adapter is software (swiftshader)');
    expect(softwareAdapterReason(gpu({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toMatch(/llvmpipe/);
  });
  it('accepts a hardware adapter', () => {
    expect(softwareAdapterReason(gpu())).toBeNull();
    expect(softwareAdapterReason(gpu({ vendor: 'apple', architecture: 'metal-3' }))).toBeNull();
  });
});

describe('probeFromAdapter', () => {
  it('says why WebGPU is not usable, and whether a forced choice may still use it', () => {
    expect(probeFromAdapter(null)).toEqual({ usable: false, reason: 'no WebGPU adapter is available', forcible: false });
    expect(probeFromAdapter(null, 'denied')).toEqual({ usable: false, reason: 'WebGPU adapter request failed: denied', forcible: false });
    expect(probeFromAdapter(gpu({ architecture: 'swiftshader' }))).toEqual({ usable: false, reason: 'WebGPU adapter is software (swiftshader)', forcible: true });
  });
  it('names a usable adapter', () => {
    expect(probeFromAdapter(gpu())).toEqual({ usable: true, adapter: 'nvidia hopper' });
  });
});

describe('pickFaster', () => {
  it('keeps WebGPU when its warm runs are faster, and says by how much', () => {
    expect(pickFaster(12, 40)).toEqual({ backend: 'webgpu', reason: 'WebGPU: 12 ms vs WASM 40 ms' });
  });
  it('keeps WASM when the GPU is slower (or equal: no GPU for nothing)', () => {
    expect(pickFaster(55.4, 8.25)).toEqual({ backend: 'wasm', reason: 'WASM: 8.3 ms vs WebGPU 55 ms' });
    expect(pickFaster(20, 20).backend).toBe('wasm');
  });
});
