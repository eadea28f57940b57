// Loads the built default model and its manifest in Node (building it first when missing or stale).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateManifest, type ModelManifest } from '../../src/model/manifest.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_MODEL_DIR = join(ROOT, 'public', 'models', 'squeezenet1_0');

export interface LoadedModel {
  bytes: Uint8Array;
  manifest: ModelManifest;
  path: string;
}

export function loadDefaultModel(): LoadedModel {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'build-model.ts'), '--if-stale'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const manifest = validateManifest(JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8')));
  const path = join(DEFAULT_MODEL_DIR, manifest.file);
  return { bytes: readFileSync(path), manifest, path };
}

/** Multiply-adds of one forward pass of the default model, from the model summary. */
export async function defaultModelMacs(): Promise<number> {
  const { readOnnx } = await import('../../src/reference/load-graph.js');
  const { summarizeModel } = await import('../../src/summary/summary.js');
  return summarizeModel(readOnnx(loadDefaultModel().bytes)).totals.macs;
}
