// onnxruntime's error texts -> messages for people. Its raw text (build-machine paths, ERROR_CODE,
// C++ exception names) is kept as `details`, for a "details" disclosure, never as the message.
import { ModelLoadError } from './load-error.js';

const OUT_OF_MEMORY = /array buffer allocation failed|out of memory|bad_alloc|integer overflow|oom|memory access out of bounds|cannot enlarge memory|maximum call stack|allocation.*failed|failed to allocate/i;

/** The error a failed session creation or warm-up run becomes; `inputSize` names the input for memory errors. */
export function translateOrtError(raw: string, inputSize?: string): ModelLoadError {
  const size = inputSize ? ` with its ${inputSize} input` : '';
  if (OUT_OF_MEMORY.test(raw)) {
    return new ModelLoadError('memory', `the model needs more memory than onnxruntime can get on this device${size}; try a smaller input size or a smaller model`, raw);
  }
  const op = (/running ([A-Z][A-Za-z0-9]*) node/.exec(raw) ?? /op_type[:=\s"']*([A-Z][A-Za-z0-9]*)/.exec(raw))?.[1];
  return new ModelLoadError('engine', `onnxruntime could not run this model${op ? ` (it stopped at a ${op} operation)` : ''}`, raw);
}
