// Connects the layer inspector to the rest of the app: while it is open, every classified frame's
// input tensor goes to the reference engine, the loaded model follows the engine's, and a frozen
// frame is inspected in depth. Closing it stops all reference work.
import { deviceCores } from '../../engine/device-cores';
import { inspectorBudget } from '../../inspector/budget';
import { InspectorController } from '../../inspector/controller';
import type { WorkerLike } from '../../reference/protocol';
import { camera } from './camera.svelte';
import { engine } from './engine.svelte';
import { inspector } from './inspector.svelte';
import { requestInputTensors } from './pipeline';
import { results } from './results.svelte';

let controller: InspectorController | null = null;
let releaseInputs: (() => void) | null = null;
let loadedManifest: unknown = null;

function createController(): InspectorController {
  return new InspectorController(
    {
      createWorker: () => new Worker(new URL('../../reference/reference.worker.ts', import.meta.url), { type: 'module', name: 'reference' }) as unknown as WorkerLike,
      ortTensors: (input, names) => engine.client.tensors(input, names),
      // The production engine's threads plus the page's own thread come first; on WebGPU the CPU is free.
      budget: () => {
        const b = inspectorBudget({ cores: deviceCores(), backend: engine.backend, engineThreads: engine.ortThreads || engine.threads });
        inspector.budgetReason = b.reason;
        return b;
      },
    },
    {
      onSnapshot: (s) => inspector.onSnapshot(s),
      onParity: (p) => inspector.onParity(p),
      onError: (m) => (inspector.error = `Reference engine: ${m}`),
    },
  );
}

async function syncModel(): Promise<void> {
  const manifest = engine.manifest;
  if (!manifest || manifest === loadedManifest || !controller) return;
  loadedManifest = manifest;
  try {
    await inspector.loadModel(await engine.modelBytes(), manifest);
  } catch (err) {
    inspector.error = `The inspector could not read the model: ${(err as Error).message}`;
  }
}

export function setInspectorOpen(open: boolean): void {
  if (open) {
    controller ??= createController();
    inspector.attach(controller);
    releaseInputs ??= requestInputTensors();
    void syncModel();
  } else {
    releaseInputs?.();
    releaseInputs = null;
    controller?.dispose();
    controller = null;
    loadedManifest = null;
    inspector.snapshot = null;
    inspector.hz = 0;
    inspector.refreshes = 0;
  }
}

/** Call once from a component: effects that follow the app's state while the inspector is open. */
export function followApp(): void {
  $effect(() => {
    // A new model in the engine (e.g. the user's own) is loaded into the inspector too.
    if (inspector.open && engine.manifest) void syncModel();
  });
  $effect(() => {
    const r = results.latest;
    if (!inspector.open || !controller || !r?.input) return;
    inspector.frameCrop = r.crop;
    controller.submit(r.id, r.input);
  });
  $effect(() => {
    if (!inspector.open) return;
    // The refresh rate decays while no refresh comes (a stalled or throttled reference).
    const timer = setInterval(() => inspector.updateRate(), 1000);
    return () => clearInterval(timer);
  });
  $effect(() => {
    controller?.setFrozen(camera.state === 'frozen' || results.source === 'image');
  });
}
