// Browser helper workers for the reference engine (spawned from inside the reference worker).
import type { HelperPort } from './parallel.js';

export function browserHelperSpawner(): () => HelperPort {
  return () => {
    const worker = new Worker(new URL('./reference-helper.worker.ts', import.meta.url), { type: 'module', name: 'reference-helper' });
    return {
      postMessage: (m, transfer) => worker.postMessage(m, transfer),
      onMessage: (l) => worker.addEventListener('message', (e: MessageEvent) => l(e.data)),
      onError: (l) => worker.addEventListener('error', (e: ErrorEvent) => l(e.message || 'helper worker error')),
      terminate: () => worker.terminate(),
    };
  };
}
