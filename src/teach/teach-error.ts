// One error type for every way teaching can be refused, so the UI can show the message as is and
// branch on `kind` (e.g. highlight the empty class, or offer "Import another file").

export type TeachErrorKind =
  | 'no-examples'
  | 'duplicate-class'
  | 'empty-class-name'
  | 'too-few-classes'
  | 'embedding-size'
  | 'no-teachable-head';

export class TeachError extends Error {
  constructor(
    readonly kind: TeachErrorKind,
    message: string,
    /** The class the problem is about, when there is one. */
    readonly className?: string,
  ) {
    super(message);
    this.name = 'TeachError';
  }
}
