// The model in use as the UI sees it, and the one way to change it: switchModel(source). Every
// source (the default model, a built-in one, a user's file or bytes, new settings for the model in
// use, another backend) goes through the same state machine (src/app/model-switch.ts): the newest
// load wins, older ones are aborted, and name, tag, labels, preprocessing and the worker's session
// change together, only after the new session's warm-up.
import { ModelSwitcher, type SwitchPhase } from '../../app/model-switch';
import { defaultThreads, InferenceClient, type ResultMessage } from '../../engine/inference-client';
import { ModelLoadError } from '../../engine/load-error';
import type { PreprocessPlacement } from '../../engine/preprocess-placement';
import type { Backend, BackendChoice } from '../../engine/protocol';
import { WorkerSession, type SessionSource, type WarmFrame } from '../../engine/worker-session';
import { DEFAULT_MODEL_ID } from '../../model/bundled-models';
import { validateManifest, type ModelManifest, type PreprocessSpec } from '../../model/manifest';
import { servingWithEmbedding, type ServedEmbedding } from '../teach/serving-embedding';
import { prepareCustom, reconfigure, type LoadedCustom } from '../model/custom-source';
import type { ModelForm } from '../model/model-form';
import type { RememberedSettings } from '../model/remembered';
import { results } from './results.svelte';
import { settings } from './settings.svelte';

export const MODELS_DIR = `${import.meta.env.BASE_URL}models/`;
export { DEFAULT_MODEL_ID };
export const DEFAULT_MODEL_DIR = `${MODELS_DIR}${DEFAULT_MODEL_ID}/`;

/** Every way a model can be chosen. Later sources (MobileNetV2, taught models) add a case here. */
export type ModelSource =
  | { kind: 'default' }
  /** A model built into the app, under public/models/<id>/. */
  | { kind: 'builtin'; id: string }
  /** A user's .onnx file (picked, dropped). */
  | { kind: 'file'; file: File }
  /** A user's model as bytes (pasted, made on this device, or kept from an earlier visit with its settings). */
  | { kind: 'bytes'; bytes: Uint8Array; name: string; remembered?: RememberedSettings }
  /**
   * The user's model in use with the settings form and these labels (checked in the prepare step);
   * what could not be remembered is said through onRemembered once it is in use.
   */
  | { kind: 'settings'; current: LoadedCustom; form: ModelForm; labels: string[]; labelsFile: string | null; onRemembered?: (note: string) => void }
  /** The model in use again, e.g. on another backend. */
  | { kind: 'reload' };

/** A source resolved to what the worker needs and what the page shows. */
export interface PreparedModel {
  manifest: ModelManifest;
  session: SessionSource;
  /** The user's model, or null for a model of the app. */
  custom: LoadedCustom | null;
  /** The built-in model's id (public/models/<id>/); absent or null for the user's model. */
  builtinId?: string | null;
  backend: BackendChoice;
  /** Run on commit (e.g. remember the settings that were just applied). */
  onCommit?: () => void;
  /** While teaching: the model as served, with its embedding as an extra output (or why it has none). */
  embedding?: ServedEmbedding;
}

export interface SwitchRequest {
  source: ModelSource;
  backend: BackendChoice;
  /** Progress for people, while this load is the current one. */
  onProgress?: (text: string) => void;
}

/**
 * Where the first load's warm-up frame comes from (the camera, once it is attached): the warm-up
 * runs on a real frame and its result, given back through deliver, is the first prediction.
 */
export interface FirstFrameSource {
  /** The newest camera frame, captured for this preprocessing, or null when no camera is live. */
  capture(spec: PreprocessSpec): Promise<(WarmFrame & { deliver(result: ResultMessage): void }) | null>;
}

export type SwitchResult = { status: 'ready' } | { status: 'superseded' } | { status: 'failed'; error: unknown };

async function fetchManifest(dir: string, signal: AbortSignal): Promise<ModelManifest> {
  let response: Response;
  try {
    response = await fetch(`${dir}manifest.json`, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ModelLoadError('download', `the model's manifest could not be downloaded (${(err as Error).message})`);
  }
  if (!response.ok) throw new ModelLoadError('manifest', `model manifest not found (HTTP ${response.status}): run npm run model`);
  try {
    return validateManifest(await response.json());
  } catch (err) {
    throw new ModelLoadError('manifest', `the model's manifest is invalid: ${(err as Error).message}`);
  }
}

async function fetchBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`could not read the model again (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

class EngineStore {
  status = $state('loading');
  ready = $state(false);
  /** The backend that ran last (from 'ready' and from every result). */
  backend = $state<Backend | ''>('');
  notice = $state('');
  /** Why the backend in use was chosen ("WASM: WebGPU adapter is a software fallback"). */
  backendReason = $state('');
  /** WASM threads asked for. */
  threads = $state(defaultThreads());
  /** WASM threads onnxruntime actually runs with, as the worker reports it (0 before a model loads). */
  ortThreads = $state(0);
  /** Where the model in use has live frames preprocessed (src/engine/preprocess-placement.ts). */
  preprocessOn = $state<PreprocessPlacement>('worker');
  /** Kept raw: 1000 labels need no deep reactivity, and a proxy cannot be posted to the worker. */
  manifest = $state.raw<ModelManifest | null>(null);
  /** The user's model in use; null while a model of the app is. */
  custom = $state.raw<LoadedCustom | null>(null);
  /** The built-in model in use (e.g. 'mobilenet_v2'); null while the user's model is. */
  builtinId = $state<string | null>(null);
  /** The generation of the model in use: results of any other are dropped. */
  generation = $state(0);
  phase = $state<SwitchPhase>('idle');
  /** Whether loads add the embedding output (teaching); change it with setEmbeddings. */
  embeddings = $state(false);
  /** The embedding the model in use sends with each result, or why it cannot (null: not asked for). */
  embedding = $state.raw<ServedEmbedding | null>(null);
  readonly client = new InferenceClient();
  private inUse: PreparedModel | null = null;
  /** The status line of the model in use, restored when a newer load fails. */
  private readyStatus = '';
  private listeners = new Set<(m: PreparedModel) => void>();
  private firstFrames: FirstFrameSource | null = null;
  /** Per load generation: where its warm-up frame's result goes. */
  private firstDeliveries = new Map<number, (result: ResultMessage) => void>();

  private readonly switcher = new ModelSwitcher<SwitchRequest, PreparedModel, WorkerSession>(
    {
      prepare: (req, ctx) => this.prepare(req, ctx.signal),
      load: (prepared, ctx) => {
        this.status = 'loading model';
        const served = prepared.embedding?.ok ? prepared.embedding : null;
        return WorkerSession.open({
          // Bytes are transferred to the worker: keep our copy for a reload and the inspector.
          source: served ? { bytes: served.bytes.slice(0) } : 'bytes' in prepared.session ? { bytes: prepared.session.bytes.slice(0) } : prepared.session,
          embeddingOutput: served?.output,
          manifest: prepared.manifest,
          backend: prepared.backend,
          threads: this.threads,
          preprocess: settings.preprocessPlacement,
          generation: ctx.generation,
          signal: ctx.signal,
          // Only while no model serves: later loads run beside a live loop that is already predicting.
          warmFrame: this.inUse || !this.firstFrames ? undefined : () => this.captureFirstFrame(prepared.manifest, ctx.generation),
          onProgress: (loaded, total) => {
            if (!ctx.isCurrent()) return;
            this.status = total ? `loading model ${Math.round((100 * loaded) / total)}%` : `loading model ${(loaded / 1e6).toFixed(1)} MB`;
          },
        });
      },
      commit: (prepared, session, generation) => this.commit(prepared, session, generation),
      discard: (session) => session.terminate(),
    },
    (state) => (this.phase = state.phase),
  );

  get busy(): boolean {
    return this.phase !== 'idle';
  }

  /** The camera offers its frames for the first load's warm-up (null: no longer). */
  setFirstFrameSource(source: FirstFrameSource | null): void {
    this.firstFrames = source;
  }

  private async captureFirstFrame(manifest: ModelManifest, generation: number): Promise<WarmFrame | null> {
    const captured = await this.firstFrames?.capture(manifest.preprocess);
    if (!captured) return null;
    this.firstDeliveries.set(generation, captured.deliver);
    return captured;
  }

  /** The newest load started (committed or not). */
  get latest(): number {
    return this.switcher.current.generation;
  }

  /** Called with every model that becomes the one in use. */
  onCommit(listener: (m: PreparedModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async prepare(req: SwitchRequest, signal: AbortSignal): Promise<PreparedModel> {
    const prepared = await this.prepareSource(req, signal);
    if (!this.embeddings) return { ...prepared, embedding: undefined };
    const bytes = 'bytes' in prepared.session ? new Uint8Array(prepared.session.bytes) : await fetchBytes(prepared.session.url, signal);
    return { ...prepared, embedding: servingWithEmbedding(bytes, prepared.manifest.id) };
  }

  /** Turns teaching's embedding output on or off: the model in use is reloaded with or without it. */
  async setEmbeddings(on: boolean, reload: (source: ModelSource) => Promise<unknown>): Promise<void> {
    if (this.embeddings === on) return;
    this.embeddings = on;
    // A load under way was prepared with the old setting: its commit reloads (see commit).
    if (this.inUse && !this.busy) await reload({ kind: 'reload' });
  }

  private async prepareSource(req: SwitchRequest, signal: AbortSignal): Promise<PreparedModel> {
    const { source, backend } = req;
    const progress = (text: string) => req.onProgress?.(text);
    switch (source.kind) {
      case 'default':
      case 'builtin': {
        const dir = source.kind === 'default' ? DEFAULT_MODEL_DIR : `${MODELS_DIR}${encodeURIComponent(source.id)}/`;
        const manifest = await fetchManifest(dir, signal);
        return { manifest, session: { url: `${dir}${manifest.file}` }, custom: null, builtinId: source.kind === 'default' ? DEFAULT_MODEL_ID : source.id, backend };
      }
      case 'file':
      case 'bytes': {
        const custom = await prepareCustom(source, { signal, progress, imagenetLabels: () => this.imagenetLabels(signal) });
        return { manifest: custom.manifest, session: { bytes: custom.engineBuffer }, custom, backend };
      }
      case 'settings': {
        const ctx = { signal, progress, imagenetLabels: () => this.imagenetLabels(signal) };
        const { custom, remember } = await reconfigure(source.current, source.form, source.labels, source.labelsFile, ctx);
        const onCommit = () => source.onRemembered?.(remember());
        return { manifest: custom.manifest, session: { bytes: custom.engineBuffer }, custom, backend, onCommit };
      }
      case 'reload':
        if (!this.inUse) throw new ModelLoadError('manifest', 'no model is loaded');
        return { ...this.inUse, backend, onCommit: undefined };
    }
  }

  private commit(prepared: PreparedModel, session: WorkerSession, generation: number): void {
    performance.mark('cnn-lens:engine-commit');
    this.client.adopt(session);
    const deliver = this.firstDeliveries.get(generation);
    this.firstDeliveries.clear();
    if (deliver) void session.firstResult?.then((result) => deliver({ ...result, generation }), () => undefined);
    this.inUse = prepared;
    this.generation = generation;
    this.manifest = prepared.manifest;
    this.custom = prepared.custom;
    this.builtinId = prepared.builtinId ?? null;
    this.embedding = prepared.embedding ?? null;
    this.backend = session.ready.backend;
    this.ortThreads = session.ready.threads;
    this.preprocessOn = session.preprocessOn;
    this.notice = session.ready.notice ?? '';
    this.backendReason = session.ready.reason ?? '';
    this.ready = true;
    this.readyStatus = `ready (${prepared.manifest.name}, warm-up ${session.ready.warmupMs.toFixed(0)} ms)`;
    this.status = this.readyStatus;
    // The old model's classes mean nothing for the new one.
    results.clear();
    prepared.onCommit?.();
    for (const listener of this.listeners) listener(prepared);
    // Teaching was turned on or off while this load was prepared: serve it again with the setting now.
    if (this.embeddings !== (prepared.embedding !== undefined)) queueMicrotask(() => void this.switchModel({ source: { kind: 'reload' }, backend: prepared.backend }));
  }

  /**
   * Makes `source` the model in use, superseding any load still running. Resolves (never rejects)
   * once this load is ready, failed (the model in use stays) or superseded by a newer one.
   */
  async switchModel(req: SwitchRequest): Promise<SwitchResult> {
    const outcome = await this.switcher.switchTo(req);
    if (outcome.status !== 'failed') return outcome.status === 'ready' ? { status: 'ready' } : { status: 'superseded' };
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    // The header describes the model in use, not the load that failed (the model card says why).
    this.status = this.ready ? this.readyStatus : `error: ${message}`;
    return { status: 'failed', error: outcome.error };
  }

  /** ImageNet class names for 1000-class custom models: the default model's, from its manifest. */
  private imagenet: string[] | null = null;
  private async imagenetLabels(signal: AbortSignal): Promise<string[] | undefined> {
    if (this.imagenet) return this.imagenet;
    if (this.manifest && !this.custom && this.manifest.labels.length === 1000) return (this.imagenet = this.manifest.labels);
    try {
      // The app's own bundled manifest (served from the cache when offline); no user data is sent.
      const manifest = await fetchManifest(DEFAULT_MODEL_DIR, signal);
      if (manifest.labels.length === 1000) this.imagenet = manifest.labels;
    } catch {
      // Without them a 1000-class model gets "class 0" … names until a labels file is given.
    }
    return this.imagenet ?? undefined;
  }

  /** The loaded model's bytes (fetched again for a URL source: the HTTP or service-worker cache answers). */
  async modelBytes(): Promise<Uint8Array> {
    const source = this.inUse?.session;
    if (!source) throw new Error('no model is loaded');
    if ('bytes' in source) return new Uint8Array(source.bytes.slice(0));
    return fetchBytes(source.url);
  }

  /** Whether a result came from the model in use (a superseded model's late results are dropped). */
  isCurrent(result: ResultMessage): boolean {
    return result.generation === this.generation;
  }

  /** Every result says which backend ran it and whether it had to fall back. */
  noteResult(result: ResultMessage): void {
    if (result.backend !== this.backend) this.backend = result.backend;
    if (result.notice) {
      this.notice = result.notice;
      this.backendReason = `${result.backend === 'wasm' ? 'WASM' : 'WebGPU'}: ${result.notice}`;
    }
  }
}

export const engine = new EngineStore();
