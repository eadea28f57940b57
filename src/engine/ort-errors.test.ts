import { describe, expect, it } from 'vitest';
import { translateOrtError } from './ort-errors';

describe('translateOrtError', () => {
  it('turns allocation failures into a memory message with the input size, raw text kept as details', () => {
    const raw =
      "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: /onnxruntime_src/onnxruntime/core/framework/allocation_planner.cc:1234 Integer overflow";
    const err = translateOrtError(raw, '4000×4000');
    expect(err.kind).toBe('memory');
    expect(err.message).toBe('the model needs more memory than onnxruntime can get on this device with its 4000×4000 input; try a smaller input size or a smaller model');
    expect(err.message).not.toMatch(/ERROR_CODE|onnxruntime_src|\.cc/);
    expect(err.details).toBe(raw);
    expect(translateOrtError('RangeError: Array buffer allocation failed').kind).toBe('memory');
  });

  it('names the op of other failures without the internals', () => {
    const raw = 'ERROR_CODE: 1, ERROR_MESSAGE: Non-zero status code returned while running Conv node. Name:\'conv1\' Status Message: /build/x.cc:42 bad shape';
    const err = translateOrtError(raw);
    expect(err.kind).toBe('engine');
    expect(err.message).toBe('onnxruntime could not run this model (it stopped at a Conv operation)');
    expect(err.details).toBe(raw);
    expect(translateOrtError('something odd').message).toBe('onnxruntime could not run this model');
  });
});
