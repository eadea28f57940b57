// The TeachError a call throws (any other outcome fails the test), so a test can assert its kind and message.
import { TeachError } from '../../src/teach/teach-error.js';

export function teachError(fn: () => unknown): TeachError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TeachError) return err;
    throw err;
  }
  throw new Error('expected a TeachError');
}
