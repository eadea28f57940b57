// Where live camera frames are preprocessed. On the page, frame n+1 is preprocessed while the worker
// runs frame n, so the worker's time per frame is the model's alone; but that work then runs beside
// onnxruntime's threads, and where no core is left over it takes one from them: a preempted thread
// stalls the others at the next barrier, and inference slows by more than the preprocessing saves.
// Measured on a 2-core machine with 2 wasm threads (npm run bench -- app, alternating builds):
// preprocessing on the page raised FPS / (1000 / inference ms) from ~0.88 to ~0.94 but lowered FPS
// by ~10 % (in-app inference 44 -> 52 ms). So: on the page where a core is spare (more cores than
// wasm threads) or where inference runs on the GPU; in the worker, serially, otherwise.
import type { Backend } from './protocol.js';

export type PreprocessPlacement = 'page' | 'worker';
/** 'auto' decides from the device; 'page' or 'worker' forces (`?preprocess=` in the URL, for comparison). */
export type PreprocessPlacementChoice = 'auto' | PreprocessPlacement;

export function preprocessPlacement(choice: PreprocessPlacementChoice, cores: number, wasmThreads: number, backend: Backend): PreprocessPlacement {
  if (choice !== 'auto') return choice;
  if (backend === 'webgpu') return 'page';
  return cores > wasmThreads ? 'page' : 'worker';
}
