// Teaching new classes by example: the classes and their examples' embeddings (from the inference
// worker's classify results, see engine.embedding), the head retrained in a worker as examples
// come in (debounced), live predictions of the taught classes, persistence on this device, and
// export / "use as model" / import of the taught ONNX file (src/teach/taught-model.ts).
import { decodeImage } from '../../app/image-input';
import type { ResultMessage } from '../../engine/inference-client';
import { checkNewClassName, validateClasses, type TeachClass } from '../../teach/classes';
import type { HeldOutReport } from '../../teach/held-out';
import { TeachError } from '../../teach/teach-error';
import { buildTaughtModel, readTaughtModel } from '../../teach/taught-model';
import { predictHead, type HeadPrediction, type TrainedHead } from '../../teach/train-head';
import { StorageFullError, TeachStorage } from '../teach/teach-storage';
import type { TrainReply, TrainRequest } from '../teach/train-protocol';
import { engine } from './engine.svelte';
import { modelLoader } from './model-loader.svelte';
import type { ResultSource } from './results.svelte';

/** Live examples are taken at most this often while the record button is held (about 6 a second). */
const RECORD_INTERVAL_MS = 160;
/** Retraining waits this long after the last change, so a held record button trains once or twice a second. */
const TRAIN_DEBOUNCE_MS = 400;

export interface TaughtPrediction extends HeadPrediction {
  classes: string[];
}

/** A refusal shown in the panel: the TeachError kind (or another) and its message. */
export interface TeachMessage {
  kind: string;
  message: string;
  className?: string;
}

function messageOf(err: unknown): TeachMessage {
  if (err instanceof TeachError) return { kind: err.kind, message: err.message, className: err.className };
  if (err instanceof StorageFullError) return { kind: err.kind, message: err.message };
  return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
}

class TeachStore {
  open = $state(false);
  classes = $state.raw<TeachClass[]>([]);
  /** The base model the examples' embeddings come from ('' before the first example). */
  baseModelId = $state('');
  baseModelName = $state('');
  /** The class a held record button adds to, or null. */
  recording = $state<number | null>(null);
  head = $state.raw<TrainedHead | null>(null);
  heldOut = $state.raw<HeldOutReport | null>(null);
  /** Why there is no held-out check yet, or why training cannot start (not an error). */
  trainNote = $state('');
  trainMs = $state(0);
  training = $state(false);
  prediction = $state.raw<TaughtPrediction | null>(null);
  error = $state.raw<TeachMessage | null>(null);
  /** Storage refused the newest examples: they are in this tab only. */
  storageError = $state('');
  busy = $state('');

  private readonly storage = new TeachStorage();
  private worker: Worker | null = null;
  private trainId = 0;
  private trainTimer: ReturnType<typeof setTimeout> | null = null;
  private waiting: (() => void)[] = [];
  private lastRecord = 0;

  constructor() {
    // A new model's first result decides again: the old model's taught answer is not this one's.
    engine.onCommit(() => (this.prediction = null));
    const stored = this.storage.load();
    if (stored && stored.classes.length) {
      this.classes = stored.classes;
      this.baseModelId = stored.baseModelId;
      this.baseModelName = stored.baseModelName;
      engine.embeddings = true; // before the first load: its results carry embeddings from the start
      this.scheduleTraining(0);
    }
  }

  get names(): string[] {
    return this.classes.map((c) => c.name);
  }

  /** Whether the model in use gives embeddings the examples can mix with. */
  get compatible(): boolean {
    const e = engine.embedding;
    return !!e?.ok && (!this.baseModelId || this.classes.every((c) => c.embeddings.length === 0) || e.baseModelId === this.baseModelId);
  }

  /** Why the model in use cannot be taught now, or ''. */
  get blocked(): string {
    const e = engine.embedding;
    if (!e) return engine.embeddings ? 'preparing the model for teaching…' : '';
    if (!e.ok) return e.error;
    if (!this.compatible) {
      return `these examples were taught on ${this.baseModelName || this.baseModelId}; the model in use (${engine.manifest?.name ?? ''}) gives different features: switch back to it, or remove the classes to teach this model`;
    }
    return '';
  }

  async setOpen(open: boolean): Promise<void> {
    this.open = open;
    await this.syncEmbeddings();
  }

  private async syncEmbeddings(): Promise<void> {
    await engine.setEmbeddings(this.open || this.classes.length > 0, () => modelLoader.reload());
  }

  /** Every classify result: live examples while recording, and the taught prediction. */
  offer(result: ResultMessage, source: ResultSource): void {
    const embedding = result.embedding;
    if (!embedding || !this.compatible) {
      this.prediction = null;
      return;
    }
    if (this.recording !== null && source === 'camera') {
      const now = performance.now();
      if (now - this.lastRecord >= RECORD_INTERVAL_MS) {
        this.lastRecord = now;
        this.addExamples(this.recording, [embedding.slice()]);
      }
    }
    const head = this.head;
    this.prediction = head && head.dim === embedding.length ? { ...predictHead(head, embedding), classes: head.classes } : null;
  }

  addClass(name: string): boolean {
    this.error = null;
    try {
      const trimmed = checkNewClassName(name, this.names);
      this.classes = [...this.classes, { name: trimmed, embeddings: [] }];
      this.changed();
      void this.syncEmbeddings();
      return true;
    } catch (err) {
      this.error = messageOf(err);
      return false;
    }
  }

  removeClass(index: number): void {
    this.classes = this.classes.filter((_, i) => i !== index);
    if (this.recording === index) this.recording = null;
    if (this.classes.length === 0) this.baseModelId = '';
    this.changed();
  }

  /** Removes the newest `count` examples of a class (all of them with Infinity). */
  removeExamples(index: number, count = 1): void {
    this.classes = this.classes.map((c, i) => (i === index ? { ...c, embeddings: c.embeddings.slice(0, Math.max(0, c.embeddings.length - count)) } : c));
    this.changed();
  }

  startRecording(index: number): void {
    this.error = null;
    if (this.blocked) {
      this.error = { kind: 'model', message: this.blocked };
      return;
    }
    this.lastRecord = 0;
    this.recording = index;
  }

  stopRecording(): void {
    this.recording = null;
  }

  /** Photos as examples, through the same image pipeline and worker run as any classified frame. */
  async addPhotos(index: number, files: File[]): Promise<void> {
    this.error = null;
    const target = this.classes[index]?.name;
    try {
      for (const [n, file] of files.entries()) {
        if (this.blocked) throw new Error(this.blocked);
        this.busy = `adding photo ${n + 1} of ${files.length} to "${target}"…`;
        const decoded = await decodeImage(file, engine.manifest?.preprocess ?? null);
        const result = await engine.client.classify(decoded.bitmap, 0);
        if (!engine.isCurrent(result) || !result.embedding) throw new Error('the model changed while the photo was classified; add it again');
        const at = this.classes.findIndex((c) => c.name === target);
        if (at < 0) return;
        this.addExamples(at, [result.embedding]);
      }
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.busy = '';
    }
  }

  private addExamples(index: number, embeddings: Float32Array[]): void {
    const e = engine.embedding;
    if (!e?.ok) return;
    if (!this.baseModelId || this.classes.every((c) => c.embeddings.length === 0)) {
      this.baseModelId = e.baseModelId;
      this.baseModelName = engine.manifest?.name ?? e.baseModelId;
    }
    this.classes = this.classes.map((c, i) => (i === index ? { ...c, embeddings: [...c.embeddings, ...embeddings] } : c));
    this.changed();
  }

  private changed(): void {
    this.persist();
    this.scheduleTraining(TRAIN_DEBOUNCE_MS);
  }

  private persist(): void {
    try {
      if (this.classes.length === 0) this.storage.clear();
      else this.storage.save({ baseModelId: this.baseModelId, baseModelName: this.baseModelName, classes: this.classes });
      this.storageError = '';
    } catch (err) {
      this.storageError = messageOf(err).message;
    }
  }

  private scheduleTraining(delay: number): void {
    if (this.trainTimer) clearTimeout(this.trainTimer);
    this.trainId++;
    this.training = true;
    this.trainTimer = setTimeout(() => this.train(), delay);
  }

  private train(): void {
    this.trainTimer = null;
    const classes = this.classes;
    try {
      validateClasses(classes, 'train');
    } catch (err) {
      // Not an error yet: the panel says what is missing before training can start.
      this.head = null;
      this.heldOut = null;
      this.prediction = null;
      this.trainNote = messageOf(err).message;
      this.finishTraining();
      return;
    }
    this.worker ??= this.startWorker();
    const request: TrainRequest = { id: this.trainId, classes };
    this.worker.postMessage(request);
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('../teach/teach.worker.ts', import.meta.url), { type: 'module', name: 'teach' });
    worker.onmessage = (event: MessageEvent<TrainReply>) => {
      const reply = event.data;
      if (reply.id !== this.trainId) return; // examples changed since: a newer training follows
      if (reply.ok) {
        this.head = reply.head;
        this.heldOut = reply.heldOut;
        this.trainNote = reply.heldOutNote;
        this.trainMs = reply.trainMs;
      } else {
        this.head = null;
        this.trainNote = reply.message;
      }
      this.finishTraining();
    };
    worker.onerror = (event) => {
      this.trainNote = `training stopped: ${event.message || 'the training worker failed'}`;
      this.worker = null;
      this.finishTraining();
    };
    return worker;
  }

  private finishTraining(): void {
    this.training = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves once the head matches the classes as they are now. */
  private settled(): Promise<void> {
    if (!this.training) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The taught ONNX file: the model in use up to its embedding, the head, names and preprocessing. */
  private async build(): Promise<{ bytes: Uint8Array; name: string }> {
    validateClasses(this.classes, 'export');
    if (this.blocked) throw new Error(this.blocked);
    if (this.trainTimer) {
      clearTimeout(this.trainTimer);
      this.train();
    }
    await this.settled();
    const head = this.head;
    const manifest = engine.manifest;
    if (!head || !manifest) throw new Error(this.trainNote || 'the head is not trained yet');
    const base = await engine.modelBytes();
    const bytes = buildTaughtModel({ base, baseModelId: this.baseModelId, preprocess: manifest.preprocess, head, examples: this.classes });
    const name = `${head.classes.map((c) => c.replace(/[^\p{L}\p{N}]+/gu, '-')).join('-').slice(0, 60)}.onnx`;
    return { bytes, name };
  }

  /** Downloads the taught model as one ONNX file; returns it (for tests and "use as model"). */
  async exportModel(): Promise<void> {
    this.error = null;
    this.busy = 'building the taught model…';
    try {
      const { bytes, name } = await this.build();
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.busy = '';
    }
  }

  /** Makes the taught model the model in use (inspector, summary and parity then see the head). */
  async useAsModel(): Promise<void> {
    this.error = null;
    this.busy = 'building the taught model…';
    try {
      const built = await this.build();
      const bytes = built.bytes;
      const name = `taught-${built.name}`;
      this.busy = `loading ${name}…`;
      if (!(await modelLoader.openBytes(bytes, name))) this.error = { kind: 'load', message: modelLoader.error?.message ?? `${name} could not be loaded` };
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.busy = '';
    }
  }

  /** Reads a taught file's classes and examples back, to go on teaching; classes of the same name merge. */
  async importFile(file: File): Promise<void> {
    this.error = null;
    try {
      const taught = readTaughtModel(new Uint8Array(await file.arrayBuffer()));
      if (!taught.examples) throw new TeachError('no-teachable-head', `${file.name} has a taught head but no stored examples: open it as a model instead`);
      const base = taught.metadata.baseModel;
      const hasExamples = this.classes.some((c) => c.embeddings.length > 0);
      if (hasExamples && base !== this.baseModelId) {
        throw new TeachError('embedding-size', `${file.name} was taught on another base model (${base}) than these classes (${this.baseModelName || this.baseModelId}): remove the classes first, or switch models`);
      }
      const merged = [...this.classes];
      for (const c of taught.examples) {
        const at = merged.findIndex((m) => m.name.trim().toLocaleLowerCase() === c.name.trim().toLocaleLowerCase());
        if (at >= 0) merged[at] = { ...merged[at], embeddings: [...merged[at].embeddings, ...c.embeddings] };
        else merged.push(c);
      }
      this.classes = merged;
      this.baseModelId = base;
      if (!this.baseModelName || !hasExamples) this.baseModelName = base;
      this.changed();
      await this.syncEmbeddings();
    } catch (err) {
      this.error = messageOf(err);
    }
  }
}

export const teach = new TeachStore();
