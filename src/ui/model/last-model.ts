// Which model the app was last using, so it starts on it again: a built-in model by id, or "the
// user's model" (the file itself is kept in IndexedDB by ../stores/model-store). One small JSON
// value in localStorage, checked when read: anything unknown or damaged reads as "no choice", so
// the app starts on the default model with no error.
import { isBundledModel, type BundledModelId } from '../../model/bundled-models';

export type LastModel = { kind: 'builtin'; id: BundledModelId } | { kind: 'custom' };

export const LAST_MODEL_KEY = 'cnn-lens:last-model';

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage, or null where reading it throws (some private modes, storage turned off). */
function defaultStorage(): KeyValue | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The remembered choice, or null when there is none or it is not one this app knows. */
export function readLastModel(storage: KeyValue | null = defaultStorage()): LastModel | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(LAST_MODEL_KEY) ?? null;
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as { kind?: unknown; id?: unknown } | null;
    if (value?.kind === 'custom') return { kind: 'custom' };
    if (value?.kind === 'builtin' && typeof value.id === 'string' && isBundledModel(value.id)) return { kind: 'builtin', id: value.id };
  } catch {
    // Not JSON: written by something else; read as no choice.
  }
  return null;
}

/** Remembers the choice; false where storage refuses (full, private mode): the app goes on without. */
export function writeLastModel(choice: LastModel | null, storage: KeyValue | null = defaultStorage()): boolean {
  try {
    if (!storage) return false;
    if (choice === null) storage.removeItem(LAST_MODEL_KEY);
    else storage.setItem(LAST_MODEL_KEY, JSON.stringify(choice));
    return true;
  } catch {
    return false;
  }
}
