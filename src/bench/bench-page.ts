// The benchmark page (bench.html): exposes window.cnnLensBench for the Node bench driver. Each call
// runs in a fresh worker so no state (thread pool, GPU device) carries over between figures.
import type { BenchReply, BenchRequest } from './engine-bench.worker.js';

function runInWorker(req: BenchRequest, timeoutMs = 300_000): Promise<BenchReply> {
  const worker = new Worker(new URL('./engine-bench.worker.ts', import.meta.url), { type: 'module', name: 'engine-bench' });
  return new Promise<BenchReply>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
    worker.onmessage = (e: MessageEvent<BenchReply>) => {
      clearTimeout(timer);
      resolve(e.data);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      resolve({ ok: false, error: e.message || 'worker error' });
    };
    worker.postMessage(req);
  }).finally(() => worker.terminate());
}

declare global {
  interface Window {
    cnnLensBench: { run(req: BenchRequest): Promise<BenchReply>; ready: boolean };
  }
}

window.cnnLensBench = { run: (req) => runInWorker(req), ready: true };
document.body.dataset.ready = 'true';
