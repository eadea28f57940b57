import { describe, expect, it } from 'vitest';
import { cacheKey, replacedKeys } from './cached-fetch.js';

describe('cacheKey', () => {
  it('versions a file by its sha256, keeping the URL otherwise', () => {
    expect(cacheKey('https://a.test/cnn-lens/models/m/model.onnx', 'ab12')).toBe('https://a.test/cnn-lens/models/m/model.onnx?sha256=ab12');
    expect(cacheKey('https://a.test/x.wasm')).toBe('https://a.test/x.wasm');
  });
});

describe('replacedKeys', () => {
  const keys = [
    'https://a.test/models/squeezenet/model.onnx?sha256=old',
    'https://a.test/models/mobilenetv2/model.onnx?sha256=m',
    'https://a.test/assets/ort-wasm-simd-threaded.jsep-AAAA.wasm',
    'https://a.test/assets/ort-wasm-simd-threaded-BBBB.wasm',
  ];
  it('drops older versions of the same model, and keeps other models', () => {
    expect(replacedKeys('https://a.test/models/squeezenet/model.onnx?sha256=new', keys)).toEqual([keys[0]]);
  });
  it('keeps one runtime wasm: the one just stored', () => {
    expect(replacedKeys(keys[3], keys)).toEqual([keys[2]]);
  });
});
