// Helper Web Worker of the reference engine: spawned by reference.worker.ts when it loads a model
// with `workers` > 1; computes its share of each split layer in shared memory (see parallel.ts).
import { runHelper, type HelperInit } from './parallel.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<HelperInit>) => {
  if (event.data?.type === 'helper-init') runHelper(event.data, (r) => scope.postMessage(r));
});
