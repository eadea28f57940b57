// Why a model could not be loaded, as data: `kind` for code that decides what to do, `message` for
// people, `details` for the raw text behind a "details" disclosure (never shown by default).

export type LoadErrorKind =
  /** The model's manifest is missing or invalid. */
  | 'manifest'
  /** The model's bytes could not be downloaded. */
  | 'download'
  /** onnxruntime's own wasm could not be downloaded or compiled (no model can run). */
  | 'runtime'
  /** The model needs more memory than this device can give it. */
  | 'memory'
  /** onnxruntime refused the model or its warm-up run failed. */
  | 'engine'
  /** The inference worker died while loading. */
  | 'crashed'
  /** A newer load replaced this one before it finished. */
  | 'superseded';

export class ModelLoadError extends Error {
  constructor(
    readonly kind: LoadErrorKind,
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

export function isSuperseded(err: unknown): boolean {
  return err instanceof ModelLoadError && err.kind === 'superseded';
}
