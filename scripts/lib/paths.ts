// The one module that knows where things are on disk: the repository root, the built models, the
// team's ../shared folder (absent on a user's machine) and the per-user cache. Scripts, tests, the
// Vite and Playwright configs import their paths from here; runtime code (src/) never touches the
// file system.
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file sits in scripts/lib/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Read-only inputs laid next to the repository on the team's machines and in CI; may not exist.
 * CNN_LENS_SHARED points elsewhere (`CNN_LENS_SHARED=/nonexistent` simulates a user's clone).
 */
export const SHARED_DIR = process.env.CNN_LENS_SHARED ? resolve(process.env.CNN_LENS_SHARED) : resolve(ROOT, '..', 'shared');

/** Vite's public folder: copied as is into the build. */
export const PUBLIC_DIR = join(ROOT, 'public');

/** The production build (`npm run build`). */
export const DIST_DIR = join(ROOT, 'dist');

/** Where `npm run model` writes the built models (gitignored; served by Vite from public/). */
export const BUILT_MODELS_DIR = join(PUBLIC_DIR, 'models');

/** The default model's id: its folder name under the built models. */
export const DEFAULT_MODEL_ID = 'squeezenet1_0';

/** The built folder of one model, e.g. modelDir('squeezenet1_0'). */
export function modelDir(id: string): string {
  return join(BUILT_MODELS_DIR, id);
}

/** The default model's built folder. */
export const DEFAULT_MODEL_DIR = modelDir(DEFAULT_MODEL_ID);

/** The default model's ONNX file. */
export const DEFAULT_MODEL_FILE = join(DEFAULT_MODEL_DIR, 'model.onnx');

/** A path under public/ as the URL path the app serves it at (relative to the base URL). */
export function publicUrlPath(path: string): string {
  return relative(PUBLIC_DIR, path).split(sep).join('/');
}

/** The 200 ImageNet validation photos of ../shared (scripts/lib/dev-photos.ts finds them elsewhere when absent). */
export const SHARED_DEV_PHOTOS_DIR = join(SHARED_DIR, 'data', 'imagenette-dev');

/** Pinned upstream files (URL + sha256): the model's weights and labels, and the dev photos. */
export const MODEL_SOURCES_FILE = join(ROOT, 'models', 'sources.json');
export const DEV_PHOTOS_LIST_FILE = join(ROOT, 'models', 'dev-photos.json');

/** tsx's CLI, to run a TypeScript script as a child process with the same Node. */
export const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A script under scripts/, e.g. script('build-model.ts'). */
export function script(name: string): string {
  return join(ROOT, 'scripts', name);
}

/**
 * The per-user cache for downloaded pinned files: $CNN_LENS_CACHE, else $XDG_CACHE_HOME/cnn-lens,
 * else ~/.cache/cnn-lens. Read at call time so tests can point it elsewhere.
 */
export function cacheDir(): string {
  if (process.env.CNN_LENS_CACHE) return resolve(process.env.CNN_LENS_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'cnn-lens');
}

/** Where the downloaded dev photos go (same layout as ../shared/data/imagenette-dev). */
export function cachedDevPhotosDir(): string {
  return join(cacheDir(), 'imagenette-dev');
}
