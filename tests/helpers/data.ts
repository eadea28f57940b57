// What the data-dependent tests need, found the way the scripts find it (../shared, then the
// per-user cache): each test that lacks its data skips itself with the reason, so a clone with no
// ../shared and no network still runs everything else. `npm test` downloads into the cache first.
import { existsSync } from 'node:fs';
import { defaultModelPins, localPinned } from '../../scripts/fetch-pinned.js';
import { devPhotosDir, devPhotosMissingReason } from '../../scripts/lib/dev-photos.js';
import { DEFAULT_MODEL_FILE, publicUrlPath } from '../../scripts/lib/paths.js';

/** The 200 dev photos' folder, or null. */
export const DEV_PHOTOS_DIR = devPhotosDir();
export const NO_DEV_PHOTOS = devPhotosMissingReason();

/** A local copy of the default model's compressed weights, or null. */
export const WEIGHTS_FILE = localPinned(defaultModelPins().weights);
export const NO_WEIGHTS = `${defaultModelPins().weights.file} is neither in ../shared nor in the per-user cache (npm run model downloads it)`;

/** Whether the default model is built (public/models/...). */
export const HAS_DEFAULT_MODEL = existsSync(DEFAULT_MODEL_FILE);
export const NO_DEFAULT_MODEL = `public/${publicUrlPath(DEFAULT_MODEL_FILE)} is not built and its weights are not available (npm run model)`;
