// The inference engine as the UI sees it: the worker client, the loaded model, the backend that
// actually runs (not the one requested) and any fallback notice.
import { defaultThreads, InferenceClient, type ReadyMessage, type ResultMessage } from '../../engine/inference-client';
import type { Backend, BackendChoice } from '../../engine/protocol';
import { BUNDLED_MODELS, isBundledModel } from '../../model/bundled-models';
import { validateManifest, type ModelManifest } from '../../model/manifest';

export const DEFAULT_MODEL_DIR = `${import.meta.env.BASE_URL}models/squeezenet1_0/`;

/** The model asked for with ?model= (null when absent); only bundled ids are honoured. */
function requestedModel(): string | null {
  return typeof location !== 'undefined' ? new URLSearchParams(location.search).get('model') : null;
}

/** Where a model comes from: a URL (manifest.file relative to it) or a user's own bytes. */
export type ModelSource = { url: string } | { bytes: ArrayBuffer };

class EngineStore {
  status = $state('loading');
  ready = $state(false);
  /** The backend that ran last (from 'ready' and from every result). */
  backend = $state<Backend | ''>('');
  notice = $state('');
  threads = $state(defaultThreads());
  /** Kept raw: 1000 labels need no deep reactivity, and a proxy cannot be posted to the worker. */
  manifest = $state.raw<ModelManifest | null>(null);
  private source: ModelSource | null = null;
  private clientInstance: InferenceClient | null = null;

  get client(): InferenceClient {
    this.clientInstance ??= new InferenceClient();
    return this.clientInstance;
  }

  /** Loads the bundled default model. */
  async loadDefault(choice: BackendChoice): Promise<void> {
    try {
      const asked = requestedModel();
      const known = asked !== null && isBundledModel(asked);
      const dir = known ? `${import.meta.env.BASE_URL}models/${asked}/` : DEFAULT_MODEL_DIR;
      const response = await fetch(`${dir}manifest.json`);
      if (!response.ok) throw new Error(`model manifest not found (HTTP ${response.status}): run npm run model`);
      const manifest = validateManifest(await response.json());
      await this.load({ url: `${dir}${manifest.file}` }, manifest, choice);
      if (asked !== null && !known) this.notice = `Unknown model "${asked}" in the address (bundled: ${BUNDLED_MODELS.join(', ')}); showing the default.`;
    } catch (err) {
      this.status = `error: ${(err as Error).message}`;
    }
  }

  /**
   * Loads (or replaces) a model; the previous one keeps serving if this fails. A custom-model
   * loader calls this with { bytes } and its validated manifest.
   */
  async load(source: ModelSource, manifest: ModelManifest, choice: BackendChoice): Promise<ReadyMessage> {
    this.status = 'loading model';
    this.notice = '';
    this.client.onProgress = (loaded, total) => {
      this.status = total ? `loading model ${Math.round((100 * loaded) / total)}%` : `loading model ${(loaded / 1e6).toFixed(1)} MB`;
    };
    // Bytes are transferred to the worker: keep a copy to reload on another backend later.
    const sent = 'bytes' in source ? { bytes: source.bytes.slice(0) } : source;
    try {
      const ready = await this.client.load(sent, manifest, choice, this.threads);
      this.source = source;
      this.manifest = manifest;
      this.backend = ready.backend;
      this.notice = ready.notice ?? '';
      this.ready = true;
      this.status = `ready (${manifest.name}, warm-up ${ready.warmupMs.toFixed(0)} ms)`;
      return ready;
    } catch (err) {
      this.status = this.ready ? `ready (new model failed: ${(err as Error).message})` : `error: ${(err as Error).message}`;
      throw err;
    }
  }

  /** The loaded model's bytes (fetched again for a URL source: the HTTP or service-worker cache answers). */
  async modelBytes(): Promise<Uint8Array> {
    const source = this.source;
    if (!source) throw new Error('no model is loaded');
    if ('bytes' in source) return new Uint8Array(source.bytes.slice(0));
    const response = await fetch(source.url);
    if (!response.ok) throw new Error(`could not read the model again (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Same model, another backend. */
  async switchBackend(choice: BackendChoice): Promise<void> {
    if (!this.source || !this.manifest) return;
    await this.load(this.source, this.manifest, choice).catch(() => undefined);
  }

  /** Every result says which backend ran it and whether it had to fall back. */
  noteResult(result: ResultMessage): void {
    if (result.backend !== this.backend) this.backend = result.backend;
    if (result.notice) this.notice = result.notice;
  }
}

export const engine = new EngineStore();
