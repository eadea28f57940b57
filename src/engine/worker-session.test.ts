// WorkerSession.open with a stand-in for the browser's Worker: a load's failure is told apart by
// where it happened (the model's download, onnxruntime's own wasm, the session), and the worker of
// a failed load is terminated.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../model/manifest.js';
import { ModelLoadError } from './load-error.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { WorkerSession } from './worker-session.js';

class FakeWorker {
  static started: FakeWorker[] = [];
  readonly posted: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;

  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    FakeWorker.started.push(this);
  }

  postMessage(message: ToWorker): void {
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  answer(data: FromWorker): void {
    this.onmessage?.({ data } as MessageEvent<FromWorker>);
  }
}

const manifest = { id: 'm', inputShape: [1, 3, 227, 227], preprocess: { cropWidth: 227, cropHeight: 227 } } as unknown as ModelManifest;

function open(): Promise<WorkerSession> {
  return WorkerSession.open({ source: { url: '/models/m/model.onnx' }, manifest, backend: 'auto', threads: 2, generation: 1 });
}

/** The load's error when the worker reports this failure. */
async function failure(message: string, during: 'download' | 'runtime' | 'session'): Promise<{ err: unknown; worker: FakeWorker }> {
  const opening = open();
  const worker = FakeWorker.started.at(-1)!;
  expect(worker.posted.map((m) => m.type)).toEqual(['load']);
  worker.answer({ type: 'error', stage: 'load', message, during });
  return { err: await opening.catch((e: unknown) => e), worker };
}

describe('WorkerSession.open', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.started = [];
  });
  afterEach(() => vi.unstubAllGlobals());

  it('resolves on ready with what the worker runs', async () => {
    const opening = open();
    const [worker] = FakeWorker.started;
    expect(worker.options).toEqual({ type: 'module', name: 'inference' });
    worker.answer({ type: 'ready', backend: 'wasm', threads: 2, warmupMs: 40, warmedOnFrame: false });
    const session = await opening;
    expect(session.ready.threads).toBe(2);
    expect(worker.terminated).toBe(false);
  });

  it('says that onnxruntime itself could not be loaded when its wasm fails, apart from the model', async () => {
    const raw = 'could not download onnxruntime /assets/ort-wasm-simd-threaded-x.wasm: HTTP 503';
    const { err, worker } = await failure(raw, 'runtime');
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err).toMatchObject({ kind: 'runtime', message: `onnxruntime (the inference runtime) could not be loaded: ${raw}`, details: raw });
    expect(worker.terminated).toBe(true);
  });

  it('keeps the model download’s and the session’s failures as they were', async () => {
    const download = await failure('could not download the model /models/m/model.onnx: HTTP 404', 'download');
    expect(download.err).toMatchObject({ kind: 'download', message: 'could not download the model /models/m/model.onnx: HTTP 404' });
    expect(download.worker.terminated).toBe(true);
    const session = await failure('failed to call OrtRun(). ERROR_MESSAGE: running Erf node', 'session');
    expect(session.err).toMatchObject({ kind: 'engine', message: 'onnxruntime could not run this model (it stopped at a Erf operation)' });
    expect(session.worker.terminated).toBe(true);
  });
});
