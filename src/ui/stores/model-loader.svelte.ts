// The "Model" card's actions: open the user's own .onnx (picker, drop), apply preprocessing and
// labels, go back to the default model, change backend. Every one of them is a model switch
// (engine.switchModel): the newest wins, and the model in use keeps serving whenever a file is
// refused or fails to load. Messages are built from structured errors, never from status text.
import { ModelLoadError } from '../../engine/load-error';
import type { BackendChoice } from '../../engine/protocol';
import { CustomModelError, DEFAULT_CUSTOM_INPUT_SIZE, torchvisionPreprocess } from '../../validate/custom-model';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, isBundledModel } from '../../model/bundled-models';
import { ManifestError } from '../../model/manifest';
import type { LoadedCustom } from '../model/custom-source';
import { LabelsError, parseLabelsFile, shortenedNote } from '../model/labels';
import { formFrom, ModelFormError, type ModelForm } from '../model/model-form';
import { engine, type ModelSource } from './engine.svelte';
import { settings } from './settings.svelte';

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

  constructor() {
    engine.onCommit((m) => {
      if (m.custom) this.form = formFrom(m.custom.manifest.preprocess);
    });
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
    this.progress = source.kind === 'default' ? 'Loading the default model…' : source.kind === 'reload' ? 'Reloading the model…' : 'Loading…';
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

  /** The model the app starts on: a bundled one named by ?model= (e.g. mobilenet_v2), else the default. */
  async loadStart(): Promise<boolean> {
    const asked = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('model') : null;
    if (asked === null || asked === DEFAULT_MODEL_ID) return this.loadDefault();
    if (!isBundledModel(asked)) {
      const ok = await this.loadDefault();
      this.note = `There is no built-in model "${asked}" (built in: ${BUNDLED_MODELS.join(', ')}); the default model is in use.`;
      return ok;
    }
    return this.switchTo({ kind: 'builtin', id: asked }, `The built-in model ${asked} could not be loaded`);
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