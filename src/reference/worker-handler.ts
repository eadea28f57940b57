// What the reference worker does with each request, apart from the messaging itself, so that
// it runs (and is tested) the same in Node and in a browser worker.
import { ReferenceEngine } from './engine.js';
import { ModelError } from './model-error.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

export class WorkerHandler {
  private engine: ReferenceEngine | null = null;

  /** The response and the buffers to transfer with it (tensor copies are handed over, not cloned). */
  handle(req: WorkerRequest): { response: WorkerResponse; transfer: ArrayBuffer[] } {
    try {
      switch (req.type) {
        case 'load': {
          const engine = ReferenceEngine.load(req.model, req.options);
          this.engine = engine;
          return {
            response: {
              id: req.id,
              type: 'loaded',
              inputNames: [...engine.inputNames],
              outputNames: [...engine.outputNames],
              inputShape: engine.shapeOf(engine.inputNames[0])!,
              layers: engine.layers.map((l) => ({ name: l.node.name, opType: l.node.opType, outputShape: l.outputShapes[0] })),
            },
            transfer: [],
          };
        }
        case 'run': {
          const r = this.loaded().run(req.input, { stopAfter: req.stopAfter, want: req.want });
          const transfer = Object.values(r.tensors).map((t) => t.data.buffer as ArrayBuffer);
          return { response: { id: req.id, type: 'ran', tensors: r.tensors, timings: r.timings, totalMs: r.totalMs }, transfer };
        }
        case 'whatIf': {
          const w = this.loaded().whatIfPool(req.node);
          return { response: { id: req.id, type: 'whatIf', poolType: w.type, tensor: w.tensor }, transfer: [w.tensor.data.buffer as ArrayBuffer] };
        }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { response: { id: req.id, type: 'error', message, kind: err instanceof ModelError ? err.kind : undefined }, transfer: [] };
    }
  }

  private loaded(): ReferenceEngine {
    if (!this.engine) throw new Error('no model loaded: send a load message first');
    return this.engine;
  }
}
