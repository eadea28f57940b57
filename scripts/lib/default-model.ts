// Loads a built model and its manifest in Node (building it first when missing or stale).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateManifest, type ModelManifest } from '../../src/model/manifest.js';
import { DEFAULT_MODEL_ID, modelDir, ROOT, script, TSX_CLI } from './paths.js';

export interface LoadedModel {
  bytes: Uint8Array;
  manifest: ModelManifest;
  path: string;
}

/** A model `npm run model` builds, by id (e.g. 'squeezenet1_0', 'mobilenet_v2'). */
export function loadBuiltModel(id: string): LoadedModel {
  execFileSync(process.execPath, [TSX_CLI, script('build-model.ts'), '--if-stale', '--model', id], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = modelDir(id);
  const manifest = validateManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const path = join(dir, manifest.file);
  return { bytes: readFileSync(path), manifest, path };
}

export function loadDefaultModel(): LoadedModel {
  return loadBuiltModel(DEFAULT_MODEL_ID);
}

/** Multiply-adds of one forward pass of the default model, from the model summary. */
export async function defaultModelMacs(): Promise<number> {
  const { readOnnx } = await import('../../src/reference/load-graph.js');
  const { summarizeModel } = await import('../../src/summary/summary.js');
  return summarizeModel(readOnnx(loadDefaultModel().bytes)).totals.macs;
}
