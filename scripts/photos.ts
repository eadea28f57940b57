// npm run photos: makes the 200 dev photos available (../shared, the per-user cache, or a pinned
// download into that cache) and prints the folder.
import { fetchDevPhotos } from './lib/dev-photos.js';

fetchDevPhotos().then(
  (dir) => console.log(dir),
  (err: unknown) => {
    console.error(`npm run photos: ${(err as Error).message}`);
    process.exit(1);
  },
);
