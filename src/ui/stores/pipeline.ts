// One place where a worker result fans out to the stores that show it.
import type { ResultMessage } from '../../engine/inference-client';
import { shortLabel } from '../../model/manifest';
import { announcer } from './announcer.svelte';
import { engine } from './engine.svelte';
import { results, type ResultSource } from './results.svelte';
import { settings } from './settings.svelte';
import { teach } from './teach.svelte';

export function labelOf(index: number): string {
  return shortLabel(engine.manifest?.labels[index] ?? `class ${index}`);
}

export function acceptResult(result: ResultMessage, source: ResultSource): void {
  // A frame that was in flight when the model changed: its classes belong to the old model.
  if (!engine.isCurrent(result)) return;
  engine.noteResult(result);
  if (source === 'camera') results.addFrame(result, settings.smoothing, settings.smoothingAlpha);
  else results.addStill(result, source);
  teach.offer(result, source);
  const top1 = results.top[0];
  if (top1) announcer.offer(labelOf(top1.index));
}

/** How many views want each frame's preprocessed input tensor (read by the loop per frame). */
export const inputRequests = { count: 0 };

/**
 * Ask for the preprocessed input tensor ([1, 3, H, W] float32, NCHW) of every result, from now on:
 * it arrives in results.input (and results.latest.input). Call the returned function to stop.
 */
export function requestInputTensors(): () => void {
  inputRequests.count++;
  let released = false;
  return () => {
    if (!released) inputRequests.count--;
    released = true;
  };
}
