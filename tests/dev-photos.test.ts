// The dev photos' pinned download (what a clone without ../shared gets): each file checked against
// its sha256, labels.csv written last, from the committed list in models/dev-photos.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPhotoLabels, devPhotoList, downloadDevPhotos, type DevPhotoList } from '../scripts/lib/dev-photos.js';
import { SHARED_DEV_PHOTOS_DIR } from '../scripts/lib/paths.js';

const body = (name: string) => Buffer.from(`not really a JPEG: ${name}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let server: Server;
let base: string;

beforeAll(async () => {
  delete process.env.CNN_LENS_OFFLINE;
  server = createServer((req, res) => {
    if (req.url?.startsWith('/repo/')) res.end(body(req.url.slice('/repo/'.length)));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const list = (photos: DevPhotoList['photos']): DevPhotoList => ({ urlBase: base, classes: { n01440764: 0, n03028079: 497 }, photos });

describe('downloadDevPhotos', () => {
  it('downloads every listed photo into the layout of ../shared and writes labels.csv with the class indices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'photos-'));
    const photos = [
      { file: 'n01440764/a.JPEG', path: 'train/n01440764/a.JPEG', sha256: sha(body('train/n01440764/a.JPEG')) },
      { file: 'n03028079/b.JPEG', path: 'val/n03028079/b.JPEG', sha256: sha(body('val/n03028079/b.JPEG')) },
    ];
    expect(await downloadDevPhotos(list(photos), dir, () => undefined)).toBe(dir);
    expect(readFileSync(join(dir, 'n03028079/b.JPEG'))).toEqual(body('val/n03028079/b.JPEG'));
    expect(devPhotoLabels(dir)).toEqual([
      { file: 'n01440764/a.JPEG', index: 0 },
      { file: 'n03028079/b.JPEG', index: 497 },
    ]);
  });

  it('refuses a photo whose sha256 differs and leaves the folder incomplete (no labels.csv)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'photos-'));
    const photos = [{ file: 'n01440764/a.JPEG', path: 'a.JPEG', sha256: 'f'.repeat(64) }];
    await expect(downloadDevPhotos(list(photos), dir, () => undefined)).rejects.toThrow(/a\.JPEG: sha256 [0-9a-f]{64} does not match the pinned ffff/);
    expect(existsSync(join(dir, 'labels.csv'))).toBe(false);
  });

  it('the committed list pins 200 photos of 10 classes, each with a URL path and a sha256', () => {
    const committed = devPhotoList();
    expect(committed.photos).toHaveLength(200);
    expect(Object.keys(committed.classes)).toHaveLength(10);
    expect(committed.urlBase).toMatch(/^https:\/\/github\.com\/thunderInfy\/imagenette\/raw\/[0-9a-f]{40}\/$/);
    for (const p of committed.photos) {
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(committed.classes[p.file.split('/')[0]]).toBeTypeOf('number');
    }
  });

  it('matches the photos of ../shared, file by file, where they are present', ({ skip }) => {
    skip(!existsSync(join(SHARED_DEV_PHOTOS_DIR, 'labels.csv')), `no ${SHARED_DEV_PHOTOS_DIR} to compare with`);
    const committed = devPhotoList();
    for (const p of committed.photos) expect(sha(readFileSync(join(SHARED_DEV_PHOTOS_DIR, p.file))), p.file).toBe(p.sha256);
    const indices = Object.fromEntries(devPhotoLabels(SHARED_DEV_PHOTOS_DIR).map((r) => [r.file, r.index]));
    for (const p of committed.photos) expect(committed.classes[p.file.split('/')[0]], p.file).toBe(indices[p.file]);
  });
});
