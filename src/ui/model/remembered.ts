// Per-model settings remembered on this device (localStorage), under the model's sha256, with a
// size cap: a model's labels are remembered only while they fit in MAX_REMEMBERED_CHARS.
import type { PreprocessSpec } from '../../model/manifest';

export interface RememberedSettings {
  preprocess: PreprocessSpec;
  labels?: string[];
}

/** Characters one model may take in storage (localStorage holds about 5 M for the whole app). */
export const MAX_REMEMBERED_CHARS = 200_000;

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const memory = new Map<string, string>();
const fallback: KeyValue = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
};

export class RememberedModels {
  constructor(
    private readonly storage: KeyValue = typeof localStorage !== 'undefined' ? localStorage : fallback,
    private readonly prefix = 'cnn-lens:model:',
  ) {}

  load(id: string): RememberedSettings | null {
    try {
      const raw = this.storage.getItem(this.prefix + id);
      return raw ? (JSON.parse(raw) as RememberedSettings) : null;
    } catch {
      return null;
    }
  }

  /** Saves; returns a note for the user when the labels were too large to keep. */
  save(id: string, settings: RememberedSettings): string {
    let json = JSON.stringify(settings);
    let note = '';
    if (json.length > MAX_REMEMBERED_CHARS && settings.labels) {
      json = JSON.stringify({ preprocess: settings.preprocess });
      note = `The labels are too large to remember on this device (over ${MAX_REMEMBERED_CHARS / 1000} k characters); they apply until the page is closed`;
    }
    try {
      this.storage.setItem(this.prefix + id, json);
    } catch {
      // Storage full or disabled (private mode): settings simply are not remembered.
    }
    return note;
  }
}
