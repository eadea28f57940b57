// Node counterpart of the browser's helper workers: worker_threads running node-helper.ts (through
// tsx, so the TypeScript sources run as they are). For benchmarks and tests, not for the app.
import { Worker } from 'node:worker_threads';
import type { HelperPort } from './parallel.js';

export function nodeHelperSpawner(): () => HelperPort {
  return () => {
    // An eval'd bootstrap registers tsx in the thread, then imports the TypeScript entry.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./node-helper.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true });
    return {
      postMessage: (m, transfer) => worker.postMessage(m, transfer as never),
      onMessage: (l) => void worker.on('message', l),
      onError: (l) => void worker.on('error', (e) => l(e.message)),
      terminate: () => worker.terminate(),
    };
  };
}
