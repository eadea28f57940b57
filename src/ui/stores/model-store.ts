// The last custom model kept on this device: the .onnx file itself, its manifest (preprocessing and
// labels) and where the labels came from, in IndexedDB through idb-keyval. One model is kept; saving
// replaces it, forget() removes it. Storage failures (quota, private browsing, storage turned off,
// a damaged record) become a ModelStoreError with a message for the user: callers show it and go
// on with the model in memory. Nothing here loads a model into the engine.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { validateManifest, type ModelManifest } from '../../model/manifest';

export interface StoredModel {
  /** The file name the user opened. */
  fileName: string;
  /** The original file's bytes (re-validated when loaded again, like any opened file). */
  bytes: Uint8Array;
  /** Preprocessing, labels, input shape: what the app ran the model with. */
  manifest: ModelManifest;
  /** The labels file's name, 'remembered', or null for the model's own / generic labels. */
  labelsFile: string | null;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
}

export type ModelStoreProblem = 'quota' | 'unavailable' | 'damaged' | 'other';

export class ModelStoreError extends Error {
  constructor(
    readonly problem: ModelStoreProblem,
    message: string,
  ) {
    super(message);
  }
}

const KEY = 'last-model';

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** A failed IndexedDB call in words a user can act on. */
export function storeFailure(err: unknown, action: 'save' | 'read' | 'forget', size = 0): ModelStoreError {
  if (err instanceof ModelStoreError) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  const detail = (err as Error | null)?.message ?? String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return new ModelStoreError(
      'quota',
      `Not enough storage space on this device to keep the model${size ? ` (${megabytes(size)})` : ''}. It stays loaded until the page is closed; free some space or use a smaller model to have it remembered.`,
    );
  }
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError' || name === 'NotSupportedError' || name === 'ReferenceError') {
    return new ModelStoreError(
      'unavailable',
      `This browser does not let the app store files here (private browsing, or site storage turned off), so the model cannot be ${action === 'save' ? 'remembered' : action === 'read' ? 'read back' : 'forgotten'}. The app keeps working; the model has to be opened again next time.`,
    );
  }
  return new ModelStoreError('other', `The model could not be ${action === 'save' ? 'saved on this device' : action === 'read' ? 'read from this device' : 'forgotten'} (${name || 'error'}: ${detail}).`);
}

/** Checks what came out of storage (written by an older version, or damaged) before it is used. */
export function checkStored(value: unknown): StoredModel {
  const v = value as Partial<StoredModel> | null;
  const bad = (what: string): never => {
    throw new ModelStoreError('damaged', `The remembered model is damaged (${what}) and was forgotten. Open the .onnx file again.`);
  };
  if (!v || typeof v !== 'object') return bad('not a record');
  if (typeof v.fileName !== 'string' || !v.fileName) bad('no file name');
  if (!(v.bytes instanceof Uint8Array) || v.bytes.byteLength === 0) bad('no model bytes');
  if (v.labelsFile !== null && typeof v.labelsFile !== 'string') bad('labels source');
  if (typeof v.savedAt !== 'number' || !Number.isFinite(v.savedAt)) bad('save time');
  try {
    validateManifest(v.manifest);
  } catch (err) {
    bad((err as Error).message);
  }
  return v as StoredModel;
}

export interface ModelStore {
  save(model: Omit<StoredModel, 'savedAt'>): Promise<void>;
  /** The remembered model, or null when none is kept. A damaged record is removed and reported. */
  load(): Promise<StoredModel | null>;
  forget(): Promise<void>;
}

/** The store; the names are parameters so tests can use a fresh database. */
export function createModelStore(dbName = 'cnn-lens', storeName = 'models'): ModelStore {
  let db: UseStore | null = null;
  // Opening is deferred to the first call: browsers without IndexedDB throw there, not at import.
  const store = (): UseStore => {
    if (typeof indexedDB === 'undefined') throw new DOMException('IndexedDB is not available', 'NotSupportedError');
    db ??= createStore(dbName, storeName);
    return db;
  };
  return {
    async save(model) {
      // Copy into a buffer of its own: a view into a larger (or transferred) buffer would store it all.
      const record: StoredModel = { ...model, bytes: model.bytes.slice(), savedAt: Date.now() };
      try {
        await set(KEY, record, store());
      } catch (err) {
        throw storeFailure(err, 'save', model.bytes.byteLength);
      }
      // Ask the browser not to evict it under storage pressure (it may say no; that is fine).
      await globalThis.navigator?.storage?.persist?.().catch(() => false);
    },
    async load() {
      let value: unknown;
      try {
        value = await get(KEY, store());
      } catch (err) {
        throw storeFailure(err, 'read');
      }
      if (value === undefined) return null;
      try {
        return checkStored(value);
      } catch (err) {
        await del(KEY, store()).catch(() => undefined);
        throw err;
      }
    },
    async forget() {
      try {
        await del(KEY, store());
      } catch (err) {
        throw storeFailure(err, 'forget');
      }
    },
  };
}

/** The app's store. */
export const modelStore = createModelStore();
