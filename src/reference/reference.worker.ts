// Web Worker entry of the reference engine: `new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module' })`.
// Heavy CNN work stays off the page's main thread; talk to it through ReferenceClient (client.ts).
import type { WorkerRequest } from './protocol.js';
import { WorkerHandler } from './worker-handler.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handler = new WorkerHandler();

scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const { response, transfer } = handler.handle(event.data);
  scope.postMessage(response, transfer);
});
