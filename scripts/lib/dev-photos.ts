// The 200 dev photos (real ImageNet validation photos) for tests, eval and benches: ../shared when
// present, else the per-user cache once complete, else a download of the pinned upstream files
// (models/dev-photos.json: URL + sha256 of each). Whoever has none gets a reason to skip with.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeFetchError, refuseWhenOffline, sha256 } from '../fetch-pinned.js';
import { readLabelsCsv } from './labels-csv.js';
import { cachedDevPhotosDir, DEV_PHOTOS_LIST_FILE, SHARED_DEV_PHOTOS_DIR } from './paths.js';

export interface DevPhotoList {
  urlBase: string;
  /** WordNet id -> ImageNet class index. */
  classes: Record<string, number>;
  photos: { file: string; path: string; sha256: string }[];
}

export function devPhotoList(): DevPhotoList {
  return JSON.parse(readFileSync(DEV_PHOTOS_LIST_FILE, 'utf8')) as DevPhotoList;
}

/** labels.csv is written last, so its presence means the folder is complete. */
const COMPLETE_MARKER = 'labels.csv';

/** The folder with the 200 photos and labels.csv, or null where there is none yet. */
export function devPhotosDir(): string | null {
  for (const dir of [SHARED_DEV_PHOTOS_DIR, cachedDevPhotosDir()]) if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  return null;
}

/** Why data-dependent tests skip: shown as the skip reason. */
export function devPhotosMissingReason(): string {
  return `the 200 dev photos are not in ${SHARED_DEV_PHOTOS_DIR} nor in ${cachedDevPhotosDir()} (npm run photos downloads them)`;
}

/** The folder, or an error that says where the photos were looked for and how to get them. */
export function requireDevPhotosDir(): string {
  const dir = devPhotosDir();
  if (!dir) throw new Error(devPhotosMissingReason());
  return dir;
}

/** Rows of labels.csv: photo path relative to the folder, and its ImageNet class index. */
export function devPhotoLabels(dir = requireDevPhotosDir()): { file: string; index: number }[] {
  return readLabelsCsv(join(dir, COMPLETE_MARKER)).map(({ file, index }) => ({ file, index }));
}

/** The photos' folder: ../shared or the cache when complete, else downloaded into the cache. */
export async function fetchDevPhotos(log: (line: string) => void = console.error): Promise<string> {
  return devPhotosDir() ?? downloadDevPhotos(devPhotoList(), cachedDevPhotosDir(), log);
}

/**
 * Downloads the listed photos missing from `dir` (checking each sha256), then writes labels.csv.
 * Returns `dir`; throws with the first failure's URL and cause (no network, changed file).
 */
export async function downloadDevPhotos(list: DevPhotoList, dir: string, log: (line: string) => void = console.error, timeoutMs = 30_000): Promise<string> {
  const todo = list.photos.filter((p) => !existsSync(join(dir, p.file)));
  log(`downloading ${todo.length} dev photos from ${list.urlBase} into ${dir}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const photo = todo[next++];
      const url = list.urlBase + photo.path;
      let data: Uint8Array;
      try {
        refuseWhenOffline();
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        data = new Uint8Array(await response.arrayBuffer());
      } catch (err) {
        throw new Error(`downloading ${url} failed (${describeFetchError(err)})`);
      }
      if (sha256(data) !== photo.sha256) throw new Error(`${url}: sha256 ${sha256(data)} does not match the pinned ${photo.sha256}`);
      const path = join(dir, photo.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.part`, data);
      renameSync(`${path}.part`, path);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  const rows = list.photos.map((p) => {
    const wnid = p.file.split('/')[0];
    return `${p.file},${wnid},${list.classes[wnid]}`;
  });
  writeFileSync(join(dir, COMPLETE_MARKER), `file,wnid,imagenet_index\n${rows.join('\n')}\n`);
  return dir;
}
