// The user's own model: read an .onnx file on this device (File.arrayBuffer; nothing is uploaded),
// validate it before anything is replaced, load it into the inference worker (the inspector follows
// engine.manifest), and let the user adjust preprocessing and labels, remembered per model.
// The previous model keeps serving whenever a file is refused or fails to load.
import {
  CustomModelError,
  DEFAULT_CUSTOM_INPUT_SIZE,
  inspectCustomModel,
  ModelSettingsStore,
  parseLabels,
  torchvisionPreprocess,
  type CustomModel,
} from '../../validate/custom-model';
import { ManifestError, validateManifest, type ChannelOrder, type ModelManifest, type PreprocessSpec } from '../../model/manifest';
import { DEFAULT_MODEL_DIR, engine } from './engine.svelte';
import { settings } from './settings.svelte';

export type LoaderPhase = 'idle' | 'reading' | 'checking' | 'loading';

/** The editable settings, as typed by the user (parsed and checked on Apply). */
export interface ModelForm {
  /** Number inputs bind numbers; kept loose. */
  inputSize: string | number;
  channelOrder: ChannelOrder;
  mean: string;
  std: string;
  scale: string;
  resizeShortSide: string | number;
}

interface LoadedCustom {
  fileName: string;
  /** The file as read: re-inspected when a dynamic model's input size changes. */
  original: Uint8Array;
  model: CustomModel;
  manifest: ModelManifest;
  /** Names from the user's labels file, if any (else the proposed ones). */
  labelsFile: string | null;
}

const memory = new Map<string, string>();
const storage: Pick<Storage, 'getItem' | 'setItem'> =
  typeof localStorage !== 'undefined' ? localStorage : { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

/** An ArrayBuffer holding exactly these bytes (the engine transfers a copy of it to its worker). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** Lets the browser paint the progress text before a long synchronous step (protobuf decoding). */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function formatNumber(x: number): string {
  return String(Number(x.toPrecision(6)));
}

export function formatScale(scale: number): string {
  const inverse = 1 / scale;
  if (scale < 1 && Math.abs(inverse - Math.round(inverse)) < 1e-6) return `1/${Math.round(inverse)}`;
  return formatNumber(scale);
}

export function formFrom(p: PreprocessSpec): ModelForm {
  return {
    inputSize: String(Math.min(p.cropWidth, p.cropHeight)),
    channelOrder: p.channelOrder,
    mean: p.mean.map(formatNumber).join(', '),
    std: p.std.map(formatNumber).join(', '),
    scale: formatScale(p.scale),
    resizeShortSide: String(p.resizeShortSide),
  };
}

class SettingsInputError extends Error {}

function parseTriple(text: string, what: string): [number, number, number] {
  const parts = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) {
    throw new SettingsInputError(`${what} needs three numbers, one per channel (e.g. 0.485, 0.456, 0.406); got "${text}"`);
  }
  return parts as [number, number, number];
}

function parseScale(text: string): number {
  const t = text.trim();
  const fraction = /^([\d.]+)\s*\/\s*([\d.]+)$/.exec(t);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(t);
  if (!t || !Number.isFinite(value) || value <= 0) throw new SettingsInputError(`Scale must be a positive number such as 1/255 or 1; got "${text}"`);
  return value;
}

function parsePixels(text: string | number, what: string): number {
  // Number inputs bind numbers (or null when empty).
  const value = text === null || String(text).trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 4096) throw new SettingsInputError(`${what} must be a whole number of pixels from 1 to 4096; got "${text}"`);
  return value;
}

class ModelLoaderStore {
  phase = $state<LoaderPhase>('idle');
  /** What is happening now, for people (e.g. "Checking model…"). */
  progress = $state('');
  error = $state('');
  /** The user's model in use; null while the default model is. */
  custom = $state.raw<LoadedCustom | null>(null);
  form = $state<ModelForm>(formFrom(torchvisionPreprocess(DEFAULT_CUSTOM_INPUT_SIZE)));
  private token = 0;
  private imagenet: string[] | null = null;
  private readonly remembered = new ModelSettingsStore(storage);

  get busy(): boolean {
    return this.phase !== 'idle';
  }

  private begin(): number {
    this.error = '';
    return ++this.token;
  }

  private step(phase: LoaderPhase, progress: string): void {
    this.phase = phase;
    this.progress = progress;
  }

  private finish(token: number): void {
    if (token !== this.token) return;
    this.phase = 'idle';
    this.progress = '';
  }

  private fail(token: number, err: unknown, what: string): void {
    if (token !== this.token) return;
    const message = err instanceof Error ? err.message : String(err);
    const known = err instanceof CustomModelError || err instanceof ManifestError || err instanceof SettingsInputError;
    const still = engine.manifest ? ` The current model (${engine.manifest.name}) is still in use.` : '';
    this.error = `${known ? message : `${what}: ${message}`}.${still}`.replace(/\.\./g, '.');
  }

  /** ImageNet class names (from the default model's manifest) for 1000-class models. */
  private async imagenetLabels(): Promise<string[] | undefined> {
    if (this.imagenet) return this.imagenet;
    const current = engine.manifest;
    if (current && !this.custom && current.labels.length === 1000) {
      this.imagenet = current.labels;
      return this.imagenet;
    }
    try {
      // The app's own bundled manifest (served from the cache when offline); no user data is sent.
      const response = await fetch(`${DEFAULT_MODEL_DIR}manifest.json`);
      const manifest = validateManifest(await response.json());
      if (manifest.labels.length === 1000) this.imagenet = manifest.labels;
    } catch {
      // Without them a 1000-class model gets "class 0" … names until a labels file is given.
    }
    return this.imagenet ?? undefined;
  }

  /** Reads, validates and loads a user's .onnx file. Nothing changes unless every step succeeds. */
  async open(file: File): Promise<void> {
    const token = this.begin();
    try {
      this.step('reading', `Reading ${file.name} (${megabytes(file.size)})…`);
      // Read on this device only: the bytes never leave the browser.
      const original = new Uint8Array(await file.arrayBuffer());
      if (token !== this.token) return;
      this.step('checking', `Checking model… (${file.name}, ${megabytes(original.byteLength)})`);
      await nextPaint();
      const imagenetLabels = await this.imagenetLabels();
      let model = await inspectCustomModel(original, file.name, { imagenetLabels });
      if (token !== this.token) return;
      const saved = this.remembered.load(model.id);
      if (saved && model.dynamicSize) {
        const size = Math.min(saved.preprocess.cropWidth, saved.preprocess.cropHeight);
        if (size !== model.manifest.inputShape[2]) {
          await nextPaint();
          model = await inspectCustomModel(original, file.name, { imagenetLabels, inputSize: size });
        }
      }
      const [, , h, w] = model.manifest.inputShape;
      let manifest = model.manifest;
      if (saved) {
        const labels = saved.labels?.length === model.numClasses ? saved.labels : manifest.labels;
        manifest = { ...manifest, labels, preprocess: { ...saved.preprocess, cropWidth: w, cropHeight: h } };
        manifest.preprocess.resizeShortSide = Math.max(manifest.preprocess.resizeShortSide, Math.min(w, h));
        try {
          validateManifest(manifest);
        } catch {
          manifest = model.manifest;
        }
      }
      validateManifest(manifest);
      await this.loadIntoEngine(token, { fileName: file.name, original, model, manifest, labelsFile: saved?.labels?.length === model.numClasses ? 'remembered' : null });
    } catch (err) {
      this.fail(token, err, `${file.name} could not be loaded`);
    } finally {
      this.finish(token);
    }
  }

  private async loadIntoEngine(token: number, next: LoadedCustom): Promise<void> {
    this.step('loading', `Loading ${next.manifest.name} into the engine…`);
    await engine.load({ bytes: exactBuffer(next.model.bytes) }, next.manifest, settings.backend);
    if (token !== this.token) return;
    this.custom = next;
    this.form = formFrom(next.manifest.preprocess);
  }

  /** A labels text file, one class name per line; applied at once with the current settings. */
  async openLabels(file: File): Promise<void> {
    const current = this.custom;
    if (!current) return;
    const token = this.begin();
    try {
      this.step('reading', `Reading ${file.name}…`);
      const labels = parseLabels(await file.text(), current.model.numClasses, file.name);
      if (token !== this.token) return;
      await this.applyWith(token, current, labels, file.name);
    } catch (err) {
      this.fail(token, err, `${file.name} could not be used`);
    } finally {
      this.finish(token);
    }
  }

  /** Applies the settings form to the loaded custom model (reloads the engine with them). */
  async apply(): Promise<void> {
    const current = this.custom;
    if (!current) return;
    const token = this.begin();
    try {
      await this.applyWith(token, current, current.manifest.labels, current.labelsFile);
    } catch (err) {
      this.fail(token, err, 'The settings could not be applied');
    } finally {
      this.finish(token);
    }
  }

  /** The proposed (torchvision) defaults in the form, for the model's input size; not yet applied. */
  resetForm(): void {
    const current = this.custom;
    if (!current) return;
    const [, , h, w] = current.manifest.inputShape;
    this.form = formFrom(torchvisionPreprocess(h, w));
    this.error = '';
  }

  private async applyWith(token: number, current: LoadedCustom, labels: string[], labelsFile: string | null): Promise<void> {
    const f = this.form;
    const mean = parseTriple(f.mean, 'Mean');
    const std = parseTriple(f.std, 'Std');
    if (std.some((s) => s === 0)) throw new SettingsInputError('Std must not contain 0 (it divides each channel)');
    const scale = parseScale(f.scale);
    const resizeShortSide = parsePixels(f.resizeShortSide, 'Resize short side');
    let model = current.model;
    if (model.dynamicSize) {
      const size = parsePixels(f.inputSize, 'Input size');
      if (size !== model.manifest.inputShape[2] || size !== model.manifest.inputShape[3]) {
        this.step('checking', `Checking model at ${size}×${size}…`);
        await nextPaint();
        model = await inspectCustomModel(current.original, current.fileName, { imagenetLabels: await this.imagenetLabels(), inputSize: size });
        if (token !== this.token) return;
      }
    }
    const [, , h, w] = model.manifest.inputShape;
    if (resizeShortSide < Math.min(w, h)) {
      throw new SettingsInputError(`Resize short side (${resizeShortSide}) must be at least the model's input size (${Math.min(w, h)} px)`);
    }
    const preprocess: PreprocessSpec = { resizeShortSide, cropWidth: w, cropHeight: h, channelOrder: f.channelOrder, scale, mean, std };
    const manifest = validateManifest({ ...model.manifest, preprocess, labels });
    await this.loadIntoEngine(token, { ...current, model, manifest, labelsFile });
    if (token !== this.token) return;
    this.remembered.save(model.id, { preprocess, labels: labelsFile ? labels : undefined });
  }

  /** Back to the bundled default model. */
  async backToDefault(): Promise<void> {
    const token = this.begin();
    const before = engine.manifest;
    try {
      this.step('loading', 'Loading the default model…');
      await engine.loadDefault(settings.backend);
      if (token !== this.token) return;
      if (engine.manifest === before || !engine.manifest) throw new Error(engine.status.replace(/^ready \(new model failed: |^error: /, '').replace(/\)$/, ''));
      this.custom = null;
    } catch (err) {
      this.fail(token, err, 'The default model could not be loaded');
    } finally {
      this.finish(token);
    }
  }
}

export const modelLoader = new ModelLoaderStore();
