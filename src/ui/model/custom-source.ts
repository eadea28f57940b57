// A user's model (a file or bytes) -> a checked model ready for the engine: read on this device,
// validated, its remembered settings applied, its memory need estimated, all before anything is
// replaced. Also the same model with new settings (the form) or labels.
import { ModelLoadError } from '../../engine/load-error';
import { inspectCustomModel, type CustomModel } from '../../validate/custom-model';
import { validateManifest, type ModelManifest } from '../../model/manifest';
import { estimateMemory, memoryBudget, memoryRefusal } from './memory-estimate';
import { parseForm, preprocessFrom, type ModelForm } from './model-form';
import { RememberedModels, type RememberedSettings } from './remembered';

export interface LoadedCustom {
  fileName: string;
  /** The file as read: re-inspected when a dynamic model's input size changes. */
  original: Uint8Array;
  model: CustomModel;
  manifest: ModelManifest;
  /** Names from the user's labels file, if any (else the proposed ones). */
  labelsFile: string | null;
  /** The bytes the engine runs (a dynamic input fixed to the chosen size), as their own buffer. */
  engineBuffer: ArrayBuffer;
}

export interface PrepareContext {
  signal: AbortSignal;
  progress(text: string): void;
  imagenetLabels(): Promise<string[] | undefined>;
}

export const remembered = new RememberedModels();

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
}

/** An ArrayBuffer holding exactly these bytes. */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** Lets the browser paint the progress text before a long synchronous step (protobuf decoding). */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function stopIfSuperseded(signal: AbortSignal): void {
  if (signal.aborted) throw new ModelLoadError('superseded', 'superseded by a newer load');
}

/** Refuses, before any allocation, a model that would not fit in this device's memory. */
export function checkMemory(model: CustomModel, fileName: string): void {
  const [, , h, w] = model.manifest.inputShape;
  const deviceMemory = typeof navigator !== 'undefined' ? (navigator as Navigator & { deviceMemory?: number }).deviceMemory : undefined;
  const refusal = memoryRefusal(estimateMemory(model.graph), memoryBudget(deviceMemory), `${w}×${h}`, deviceMemory);
  if (refusal) throw new ModelLoadError('memory', `${fileName} ${refusal}`);
}

async function inspect(original: Uint8Array, fileName: string, ctx: PrepareContext, inputSize?: number): Promise<CustomModel> {
  await nextPaint();
  stopIfSuperseded(ctx.signal);
  const model = await inspectCustomModel(original, fileName, { imagenetLabels: await ctx.imagenetLabels(), inputSize });
  stopIfSuperseded(ctx.signal);
  return model;
}

/** Reads and checks a user's model, with the settings remembered for it. */
export async function prepareCustom(
  source: { kind: 'file'; file: File } | { kind: 'bytes'; bytes: Uint8Array; name: string; remembered?: RememberedSettings },
  ctx: PrepareContext,
): Promise<LoadedCustom> {
  const fileName = source.kind === 'file' ? source.file.name : source.name;
  let original: Uint8Array;
  if (source.kind === 'file') {
    ctx.progress(`Reading ${fileName} (${megabytes(source.file.size)})…`);
    // Read on this device only: the bytes never leave the browser.
    original = new Uint8Array(await source.file.arrayBuffer());
  } else {
    original = source.bytes;
  }
  stopIfSuperseded(ctx.signal);
  ctx.progress(`Checking model… (${fileName}, ${megabytes(original.byteLength)})`);
  let model = await inspect(original, fileName, ctx);
  // Settings kept with the bytes (the model remembered in IndexedDB) win over those kept by its id.
  const saved = (source.kind === 'bytes' ? source.remembered : undefined) ?? remembered.load(model.id);
  if (saved && model.dynamicSize) {
    const size = Math.min(saved.preprocess.cropWidth, saved.preprocess.cropHeight);
    if (size !== model.manifest.inputShape[2]) model = await inspect(original, fileName, ctx, size);
  }
  checkMemory(model, fileName);
  const [, , h, w] = model.manifest.inputShape;
  let manifest = model.manifest;
  const savedLabels = saved?.labels?.length === model.numClasses ? saved.labels : null;
  if (saved) {
    manifest = { ...manifest, labels: savedLabels ?? manifest.labels, preprocess: { ...saved.preprocess, cropWidth: w, cropHeight: h } };
    manifest.preprocess.resizeShortSide = Math.max(manifest.preprocess.resizeShortSide, Math.min(w, h));
    try {
      validateManifest(manifest);
    } catch {
      manifest = model.manifest;
    }
  }
  validateManifest(manifest);
  ctx.progress(`Loading ${manifest.name} into the engine…`);
  const engineBuffer = exactBuffer(model.bytes);
  return { fileName, original, model, manifest, labelsFile: savedLabels ? 'remembered' : null, engineBuffer };
}

/**
 * The model in use with the form's settings and these labels: re-checked at a new input size
 * when the model accepts any. Returns the model to load and what to remember once it is in use.
 */
export async function reconfigure(
  current: LoadedCustom,
  form: ModelForm,
  labels: string[],
  labelsFile: string | null,
  ctx: PrepareContext,
): Promise<{ custom: LoadedCustom; remember: () => string }> {
  const parsed = parseForm(form, current.model.dynamicSize);
  let model = current.model;
  const size = parsed.inputSize;
  if (size !== null && (size !== model.manifest.inputShape[2] || size !== model.manifest.inputShape[3])) {
    ctx.progress(`Checking model at ${size}×${size}…`);
    model = await inspect(current.original, current.fileName, ctx, size);
    checkMemory(model, current.fileName);
  }
  const [, , h, w] = model.manifest.inputShape;
  const preprocess = preprocessFrom(parsed, h, w);
  const manifest = validateManifest({ ...model.manifest, preprocess, labels });
  const custom: LoadedCustom = { ...current, model, manifest, labelsFile, engineBuffer: model === current.model ? current.engineBuffer : exactBuffer(model.bytes) };
  return { custom, remember: () => remembered.save(model.id, { preprocess, labels: labelsFile ? labels : undefined }) };
}
