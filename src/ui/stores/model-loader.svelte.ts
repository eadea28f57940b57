// The "Model" card's actions: pick a built-in model, open the user's own .onnx (picker, drop),
// apply preprocessing and labels, go back to the default model, change backend, forget the kept
// model. Every one of them is a model switch (engine.switchModel): the newest wins, and the model
// in use keeps serving whenever a file is refused or fails to load. Messages are built from
// structured errors, never from status text.
// Remembering: every model that becomes the one in use is recorded as the last model used
// (../model/last-model, localStorage), and a user's model is kept, file and settings, in IndexedDB
// (./model-store); the app starts on it again, offline too. Storage failures are said, never fatal.
import { ModelLoadError } from '../../engine/load-error';
import type { BackendChoice } from '../../engine/protocol';
import { CustomModelError, DEFAULT_CUSTOM_INPUT_SIZE, torchvisionPreprocess } from '../../validate/custom-model';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, isBundledModel } from '../../model/bundled-models';
import { ManifestError } from '../../model/manifest';
import type { LoadedCustom } from '../model/custom-source';
import { LabelsError, parseLabelsFile, shortenedNote } from '../model/labels';
import { formFrom, ModelFormError, type ModelForm } from '../model/model-form';
import { readLastModel, writeLastModel } from '../model/last-model';
import { engine, type ModelSource, type PreparedModel } from './engine.svelte';
import { modelStore, type StoredModel } from './model-store';
import { settings } from './settings.svelte';
import { urlParam } from '../settings/url-params';

/** A failed action, for the model card: the message, and onnxruntime's raw text if any. */
export interface LoaderError {
  message: string;
  /** Raw engine text, behind a "details" disclosure. */
  details?: string;
}

function isKnown(err: unknown): boolean {
  return err instanceof CustomModelError || err instanceof ManifestError || err instanceof ModelFormError || err instanceof ModelLoadError || err instanceof LabelsError;
}

class ModelLoaderStore {
  /** What is happening now, for people (e.g. "Checking model…"). */
  progress = $state('');
  error = $state.raw<LoaderError | null>(null);
  /** A remark that is not an error (labels shortened, not remembered). */
  note = $state('');
  form = $state<ModelForm>(formFrom(torchvisionPreprocess(DEFAULT_CUSTOM_INPUT_SIZE)));
  /** An action that runs before the switch (reading a labels file). */
  private reading = $state(false);
  /** The built-in model picked, while it loads (the picker shows it; the old model still serves). */
  choosing = $state<string | null>(null);
  /** Whether a user's model is kept on this device (as far as this visit knows), for "Forget". */
  stored = $state(false);
  /** A save to IndexedDB is running (a large model takes a moment). */
  keeping = $state(false);
  /** Why the user's model could not be kept or read back (quota, private mode); the app goes on. */
  storageError = $state('');
  /** What IndexedDB holds (model id, preprocessing, labels), so an unchanged model is not written again. */
  private savedKey = '';
  /** The bytes read back from IndexedDB at start: their first commit needs no new save. */
  private restoredBytes: Uint8Array | null = null;

  constructor() {
    engine.onCommit((m) => {
      if (m.custom) this.form = formFrom(m.custom.manifest.preprocess);
      this.remember(m);
    });
  }

  /** Records the model now in use as the last one; keeps a user's model in IndexedDB. */
  private remember(m: PreparedModel): void {
    if (!m.custom) {
      if (m.builtinId && isBundledModel(m.builtinId)) writeLastModel({ kind: 'builtin', id: m.builtinId });
      return;
    }
    writeLastModel({ kind: 'custom' });
    const custom = m.custom;
    const key = [custom.model.id, JSON.stringify(custom.manifest.preprocess), custom.labelsFile ? custom.manifest.labels.join('\n') : ''].join('\n');
    if (custom.original === this.restoredBytes) {
      this.restoredBytes = null;
      this.savedKey = key;
    }
    if (key === this.savedKey) return;
    this.savedKey = key;
    void this.keep(custom, key);
  }

  private async keep(custom: LoadedCustom, key: string): Promise<void> {
    this.keeping = true;
    try {
      await modelStore.save({ fileName: custom.fileName, bytes: custom.original, manifest: custom.manifest, labelsFile: custom.labelsFile });
      if (this.savedKey === key) {
        this.stored = true;
        this.storageError = '';
      }
    } catch (err) {
      if (this.savedKey === key) this.savedKey = '';
      this.storageError = err instanceof Error ? err.message : String(err);
      // Not kept: the next start must not look for it (nor find an older one).
      if (engine.custom === custom) writeLastModel(null);
    } finally {
      if (this.savedKey === key || this.savedKey === '') this.keeping = false;
    }
  }

  get busy(): boolean {
    return engine.busy || this.reading;
  }

  /** The user's model in use; null while a model of the app is. */
  get custom(): LoadedCustom | null {
    return engine.custom;
  }

  private fail(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    const still = engine.manifest ? ` The current model (${engine.manifest.name}) is still in use.` : '';
    this.error = {
      message: `${isKnown(err) ? message : `${what}: ${message}`}.${still}`.replace(/\.\./g, '.'),
      details: err instanceof ModelLoadError ? err.details : undefined,
    };
  }

  /** The one way every action here changes the model. */
  private async switchTo(source: ModelSource, what: string, backend: BackendChoice = settings.backend): Promise<boolean> {
    this.error = null;
    this.progress =
      source.kind === 'default' ? 'Loading the default model…' : source.kind === 'builtin' ? `Loading ${source.id}…` : source.kind === 'reload' ? 'Reloading the model…' : 'Loading…';
    const result = await engine.switchModel({ source, backend, onProgress: (text) => (this.progress = text) });
    if (result.status === 'superseded') return false;
    this.progress = '';
    if (result.status === 'failed') {
      this.fail(result.error, what);
      // Nothing else to fall back on (the first load was replaced by one that failed): the default.
      if (!engine.ready && source.kind !== 'default') void this.loadDefault();
      return false;
    }
    return true;
  }

  /** The model the app starts with. */
  async loadDefault(): Promise<boolean> {
    return this.switchTo({ kind: 'default' }, 'The default model could not be loaded');
  }

  /**
   * The model the app starts on: a bundled one named by ?model= (e.g. mobilenet_v2), else the last
   * model used on this device (a built-in one, or the user's model kept in IndexedDB), else the default.
   */
  async loadStart(): Promise<boolean> {
    const asked = urlParam('model');
    if (asked === null) {
      const last = readLastModel();
      if (last?.kind === 'custom') return this.loadKept();
      if (last?.kind === 'builtin' && last.id !== DEFAULT_MODEL_ID) return this.switchTo({ kind: 'builtin', id: last.id }, `The last model used (${last.id}) could not be loaded`);
      return this.loadDefault();
    }
    if (asked === DEFAULT_MODEL_ID) return this.loadDefault();
    if (!isBundledModel(asked)) {
      const ok = await this.loadDefault();
      this.note = `There is no built-in model "${asked}" (built in: ${BUNDLED_MODELS.join(', ')}); the default model is in use.`;
      return ok;
    }
    return this.switchTo({ kind: 'builtin', id: asked }, `The built-in model ${asked} could not be loaded`);
  }

  /** The user's model kept in IndexedDB, with its settings; the default model if it cannot be read. */
  private async loadKept(): Promise<boolean> {
    this.progress = 'Reading your model from this device…';
    let kept: StoredModel | null = null;
    try {
      kept = await modelStore.load();
    } catch (err) {
      this.storageError = err instanceof Error ? err.message : String(err);
    }
    if (!kept) {
      if (!this.storageError) this.note = 'Your last model is no longer kept on this device; the default model is in use.';
      return this.loadDefault();
    }
    this.stored = true;
    this.restoredBytes = kept.bytes;
    const remembered = { preprocess: kept.manifest.preprocess, labels: kept.labelsFile ? kept.manifest.labels : undefined };
    return this.switchTo({ kind: 'bytes', bytes: kept.bytes, name: kept.fileName, remembered }, `Your model ${kept.fileName} could not be loaded again`);
  }

  /** A built-in model from the picker; the model in use serves until it has warmed up. */
  async choose(id: string): Promise<void> {
    this.note = '';
    if (!isBundledModel(id)) {
      this.error = { message: `There is no built-in model "${id}" (built in: ${BUNDLED_MODELS.join(', ')}).` };
      return;
    }
    this.choosing = id;
    try {
      await this.switchTo({ kind: 'builtin', id }, `The built-in model ${id} could not be loaded`);
    } finally {
      if (this.choosing === id) this.choosing = null;
    }
  }

  /** Removes the kept user's model from this device; if it is in use, back to the default model. */
  async forget(): Promise<void> {
    this.note = '';
    this.storageError = '';
    try {
      await modelStore.forget();
      this.stored = false;
      this.savedKey = '';
    } catch (err) {
      this.storageError = err instanceof Error ? err.message : String(err);
    }
    if (readLastModel()?.kind === 'custom') writeLastModel(null);
    if (engine.custom) await this.backToDefault();
  }

  /** Reads, validates and loads a user's .onnx file. Nothing changes unless every step succeeds. */
  async open(file: File): Promise<void> {
    this.note = '';
    await this.switchTo({ kind: 'file', file }, `${file.name} could not be loaded`);
  }

  /** A model made on this device (a taught model), through the same switch; true once it is in use. */
  async openBytes(bytes: Uint8Array, name: string): Promise<boolean> {
    this.note = '';
    return this.switchTo({ kind: 'bytes', bytes, name }, `${name} could not be loaded`);
  }

  /** The model in use again, with the engine's current options (e.g. teaching's embedding output). */
  async reload(): Promise<void> {
    if (!engine.manifest) return;
    await this.switchTo({ kind: 'reload' }, 'The model could not be reloaded');
  }

  /** Back to the bundled default model. */
  async backToDefault(): Promise<void> {
    this.note = '';
    await this.switchTo({ kind: 'default' }, 'The default model could not be loaded');
  }

  /** Same model, another backend. */
  async switchBackend(choice: BackendChoice): Promise<void> {
    if (!engine.manifest) return;
    await this.switchTo({ kind: 'reload' }, 'The backend could not be changed', choice);
  }

  /** The model in use with these settings and labels, through the same switch as any other load. */
  private async applyWith(current: LoadedCustom, labels: string[], labelsFile: string | null, what: string): Promise<void> {
    // A snapshot: typing on while it loads changes nothing of this load.
    const form = { ...this.form };
    const onRemembered = (note: string) => {
      if (note) this.note = [this.note, note].filter(Boolean).join('. ');
    };
    await this.switchTo({ kind: 'settings', current, form, labels, labelsFile, onRemembered }, what);
  }

  /** A labels text file, one class name per line; applied at once with the current settings. */
  async openLabels(file: File): Promise<void> {
    const current = engine.custom;
    if (!current) return;
    this.error = null;
    this.note = '';
    this.reading = true;
    const started = engine.latest;
    let parsed;
    try {
      this.progress = `Reading ${file.name}…`;
      parsed = parseLabelsFile(new Uint8Array(await file.arrayBuffer()), current.model.numClasses, file.name);
    } catch (err) {
      this.progress = '';
      this.fail(err, `${file.name} could not be used`);
      return;
    } finally {
      this.reading = false;
    }
    // Another load started while the file was read: it wins.
    if (engine.latest !== started || engine.custom !== current) return;
    this.note = shortenedNote(parsed, file.name);
    await this.applyWith(current, parsed.labels, file.name, `${file.name} could not be used`);
  }

  /** Applies the settings form to the loaded custom model (reloads the engine with them). */
  async apply(): Promise<void> {
    const current = engine.custom;
    if (!current) return;
    this.note = '';
    await this.applyWith(current, current.manifest.labels, current.labelsFile, 'The settings could not be applied');
  }

  /** The proposed (torchvision) defaults in the form, for the model's input size; not yet applied. */
  resetForm(): void {
    const current = engine.custom;
    if (!current) return;
    const [, , h, w] = current.manifest.inputShape;
    this.form = formFrom(torchvisionPreprocess(h, w));
    this.error = null;
  }
}

export const modelLoader = new ModelLoaderStore();