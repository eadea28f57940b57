// One place where a worker result fans out to the stores that show it.
import type { ResultMessage } from '../../engine/inference-client';
import { shortLabel } from '../../model/manifest';
import { announcer } from './announcer.svelte';
import { engine } from './engine.svelte';
import { results, type ResultSource } from './results.svelte';
import { settings } from './settings.svelte';

export function labelOf(index: number): string {
  return shortLabel(engine.manifest?.labels[index] ?? `class ${index}`);
}

export function acceptResult(result: ResultMessage, source: ResultSource): void {
  engine.noteResult(result);
  if (source === 'camera') results.addFrame(result, settings.smoothing, settings.smoothingAlpha);
  else results.addStill(result, source);
  const top1 = results.top[0];
  if (top1) announcer.offer(labelOf(top1.index));
}

/** Set by the inspector (or anyone) that needs each frame's preprocessed input tensor. */
export const inputRequests = { count: 0 };
