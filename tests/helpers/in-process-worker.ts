// The reference worker's protocol served in this thread: ReferenceClient talks to a WorkerHandler
// through structured clones (with transfers), asynchronously, as with a browser Worker minus the thread.
import type { WorkerLike, WorkerRequest, WorkerResponse } from '../../src/reference/protocol.js';
import { WorkerHandler } from '../../src/reference/worker-handler.js';

export function inProcessWorker(handler = new WorkerHandler()): WorkerLike {
  const listeners: ((e: { data: WorkerResponse }) => void)[] = [];
  return {
    postMessage(message: WorkerRequest, transfer: Transferable[] = []) {
      const data = structuredClone(message, { transfer });
      setTimeout(async () => {
        const { response, transfer: back } = await handler.handleAsync(data);
        const reply = structuredClone(response, { transfer: back });
        for (const l of listeners) l({ data: reply });
      });
    },
    addEventListener: (_type, listener) => void listeners.push(listener),
    terminate: () => void handler.dispose(),
  };
}
