// The taught classes kept on this device (localStorage, one key) with their examples' embeddings
// as base64 float16 (the format the exported file's metadata uses). Saving never loses what is in
// memory: when the browser's storage is full or the set passes MAX_TEACH_CHARS, save throws a
// StorageFullError with a message for the panel, and the previous saved copy stays as it was.
import type { TeachClass } from '../../teach/classes';
import { decodeFloat16Base64, encodeFloat16Base64 } from '../../teach/taught-metadata';

/** About 3 MB of the ~5 M characters localStorage gives the whole app. */
export const MAX_TEACH_CHARS = 3_000_000;
const KEY = 'cnn-lens:teach';

export interface StoredTeaching {
  /** The base model the embeddings come from. */
  baseModelId: string;
  baseModelName: string;
  classes: TeachClass[];
}

interface Serialised {
  version: 1;
  baseModelId: string;
  baseModelName: string;
  classes: { name: string; dim: number; count: number; data: string }[];
}

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class StorageFullError extends Error {
  readonly kind = 'storage-full';
}

function joined(embeddings: Float32Array[], dim: number): Float32Array {
  const all = new Float32Array(embeddings.length * dim);
  embeddings.forEach((e, i) => all.set(e, i * dim));
  return all;
}

export class TeachStorage {
  constructor(
    private readonly storage: KeyValue | null = typeof localStorage !== 'undefined' ? localStorage : null,
    private readonly maxChars = MAX_TEACH_CHARS,
  ) {}

  load(): StoredTeaching | null {
    try {
      const raw = this.storage?.getItem(KEY);
      if (!raw) return null;
      const s = JSON.parse(raw) as Serialised;
      if (s.version !== 1 || !Array.isArray(s.classes)) return null;
      return {
        baseModelId: s.baseModelId,
        baseModelName: s.baseModelName,
        classes: s.classes.map((c) => {
          const all = decodeFloat16Base64(c.data);
          return { name: c.name, embeddings: Array.from({ length: c.count }, (_, i) => all.slice(i * c.dim, (i + 1) * c.dim)) };
        }),
      };
    } catch {
      return null; // A damaged copy is not worth an error at start: teaching starts empty.
    }
  }

  /** Saves the whole set; throws StorageFullError (the saved copy unchanged) when it does not fit. */
  save(t: StoredTeaching): void {
    if (!this.storage) return;
    const s: Serialised = {
      version: 1,
      baseModelId: t.baseModelId,
      baseModelName: t.baseModelName,
      classes: t.classes.map((c) => {
        const dim = c.embeddings[0]?.length ?? 0;
        return { name: c.name, dim, count: c.embeddings.length, data: encodeFloat16Base64(joined(c.embeddings, dim)) };
      }),
    };
    const json = JSON.stringify(s);
    const full = (why: string) =>
      new StorageFullError(`storage full: ${why}; the newest examples are kept in this tab only (nothing was lost), export the model to keep them, or remove some examples`);
    if (json.length > this.maxChars) throw full(`the examples take ${(json.length / 1e6).toFixed(1)} M characters, over the ${(this.maxChars / 1e6).toFixed(1)} M this app keeps`);
    try {
      this.storage.setItem(KEY, json);
    } catch (err) {
      throw full(`the browser refused to store more (${(err as Error).name || 'quota exceeded'})`);
    }
  }

  clear(): void {
    this.storage?.removeItem(KEY);
  }
}
