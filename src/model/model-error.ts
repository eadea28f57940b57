// One error type for every way a model can be refused, so the app can show the message as is and
// branch on `kind` (e.g. offer "try another file" for not-onnx, "unsupported op" for the validator).

export type ModelErrorKind =
  | 'not-onnx'
  | 'truncated'
  | 'unsupported-op'
  | 'dynamic-dimension'
  | 'non-float-input'
  | 'invalid-model';

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    /** The node the problem was found at, when there is one. */
    readonly nodeName?: string,
    readonly opType?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
