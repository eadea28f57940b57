// The one module that knows where things are on disk: the repository root, the built models, the
// team's ../shared folder (absent on a user's machine) and the per-user cache. Scripts, tests and
// the Vite config import their paths from here; runtime code (src/) never touches the file system.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file sits in scripts/lib/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Read-only inputs laid next to the repository on the team's machines and in CI; may not exist. */
export const SHARED_DIR = resolve(ROOT, '..', 'shared');

/** Where `npm run model` writes the built models (gitignored; served by Vite from public/). */
export const BUILT_MODELS_DIR = join(ROOT, 'public', 'models');

/** The built folder of one model, e.g. modelDir('squeezenet1_0'). */
export function modelDir(id: string): string {
  return join(BUILT_MODELS_DIR, id);
}

/** The default model's built folder. */
export const DEFAULT_MODEL_DIR = modelDir('squeezenet1_0');

/** The 200 ImageNet validation photos of ../shared (see fetch of pinned copies when absent). */
export const SHARED_DEV_PHOTOS_DIR = join(SHARED_DIR, 'data', 'imagenette-dev');

/** tsx's CLI, to run a TypeScript script as a child process with the same Node. */
export const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * The per-user cache for downloaded pinned files: $CNN_LENS_CACHE, else $XDG_CACHE_HOME/cnn-lens,
 * else ~/.cache/cnn-lens. Read at call time so tests can point it elsewhere.
 */
export function cacheDir(): string {
  if (process.env.CNN_LENS_CACHE) return resolve(process.env.CNN_LENS_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'cnn-lens');
}
