import { describe, expect, it } from 'vitest';
import { checkRows, formatReport, wasmSimdSupported, type DeviceFacts } from './device-check';

const facts = (over: Partial<DeviceFacts> = {}): DeviceFacts => ({
  secureContext: true,
  isolated: true,
  serviceWorkerControlled: true,
  cores: 8,
  threadsAsked: 4,
  threadsRun: 4,
  backend: 'wasm',
  backendNotice: '',
  backendReason: '',
  gpu: { vendor: 'google', architecture: 'swiftshader', fallback: true, shaderF16: false },
  wasmSimd: true,
  cameras: 2,
  storagePersisted: false,
  storageQuotaBytes: 10e9,
  storageUsageBytes: 35e6,
  model: 'SqueezeNet v1.0',
  appVersion: '0.1.0',
  userAgent: 'UA',
  ...over,
});

const row = (f: DeviceFacts, id: string) => checkRows(f).find((r) => r.id === id)!;

describe('device check rows', () => {
  it('has the four required rows, and states the threads onnxruntime runs, not the ones asked for', () => {
    const f = facts({ isolated: false, threadsRun: 1 });
    expect(checkRows(f).map((r) => r.id)).toEqual(expect.arrayContaining(['check-isolated', 'check-threads', 'check-backend', 'check-secure-context']));
    expect(row(f, 'check-threads')).toMatchObject({ value: '1 running (asked for 4; 8 cores)', ok: false });
    expect(row(f, 'check-isolated').ok).toBe(false);
    expect(row(facts(), 'check-threads')).toMatchObject({ value: '4 running (asked for 4; 8 cores)', ok: true });
  });

  it('explains a backend fallback and describes the WebGPU adapter', () => {
    const f = facts({ backendNotice: 'WebGPU unavailable (no adapter); running on WASM' });
    expect(row(f, 'check-backend')).toMatchObject({ value: 'wasm (WebGPU unavailable (no adapter); running on WASM)', ok: false });
    expect(row(f, 'check-webgpu').value).toBe('google, swiftshader, fallback (software) adapter; shader-f16 no');
    expect(row(facts({ gpu: null }), 'check-webgpu').value).toBe('not in this browser');
    expect(row(f, 'check-storage').value).toBe('not persisted (may be evicted); 35 MB used of 10000 MB');
  });

  it('says why the backend was chosen', () => {
    expect(row(facts({ backendReason: 'WASM: WebGPU adapter is a software fallback' }), 'check-backend')).toMatchObject({ value: 'wasm (WASM: WebGPU adapter is a software fallback)', ok: true });
  });

  it('formats a plain-text report with every row and the user agent', () => {
    const f = facts();
    const text = formatReport(checkRows(f), f);
    expect(text.split('\n')[0]).toBe('CNN Lens device check');
    expect(text).toContain('WASM threads: 4 running (asked for 4; 8 cores)');
    expect(text).toContain('App version: 0.1.0');
    expect(text.endsWith('User agent: UA')).toBe(true);
  });

  it('detects WASM SIMD (Node has it)', () => {
    expect(wasmSimdSupported()).toBe(true);
  });
});
