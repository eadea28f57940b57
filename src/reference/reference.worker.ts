// Web Worker entry of the reference engine: `new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' })`.
// Heavy CNN work stays off the page's main thread; talk to it through ReferenceClient (client.ts).
// A load with `workers` > 1 spawns helper workers sharing memory (needs cross-origin isolation).
import { browserHelperSpawner } from './browser-workers.js';
import type { WorkerRequest } from './protocol.js';
import { WorkerHandler } from './worker-handler.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handler = new WorkerHandler({ spawnHelper: browserHelperSpawner() });

// Requests are answered in order: a load that starts helpers finishes before the next request runs.
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  queue = queue.then(async () => {
    const { response, transfer } = await handler.handleAsync(event.data);
    scope.postMessage(response, transfer);
  });
});
