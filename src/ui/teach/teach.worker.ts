/// <reference lib="webworker" />
// Trains the taught head off the page's thread: the app's own src/teach code (trainHead, the
// held-out check) on the examples' embeddings. One job at a time; the page drops stale answers.
import { heldOutCheck, heldOutUnavailable } from '../../teach/held-out';
import { TeachError } from '../../teach/teach-error';
import { trainHead } from '../../teach/train-head';
import type { TrainReply, TrainRequest } from './train-protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const { id, classes } = event.data;
  const t0 = performance.now();
  let reply: TrainReply;
  try {
    const head = trainHead(classes);
    const trainMs = performance.now() - t0;
    const heldOut = heldOutCheck(classes, { seed: 1 });
    reply = { id, ok: true, head, heldOut, heldOutNote: heldOut ? '' : (heldOutUnavailable(classes) ?? ''), trainMs };
  } catch (err) {
    reply = { id, ok: false, kind: err instanceof TeachError ? err.kind : 'error', message: (err as Error).message, className: err instanceof TeachError ? err.className : undefined };
  }
  self.postMessage(reply);
};
