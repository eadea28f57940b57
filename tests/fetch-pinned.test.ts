// Where the model build finds pinned files when ../shared is absent: cache, then download.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, PinnedFileError, resolvePinned, sha256, type PinnedFile } from '../scripts/fetch-pinned.js';

const labelsBody = 'background\ntench, Tinca tinca\ngoldfish\n';
const labels = new TextEncoder().encode('tench, Tinca tinca\ngoldfish\n');
let server: Server;
let base: string;
let requests = 0;
/** A shared folder that does not exist, as on a user's clone. */
const NO_SHARED = join(tmpdir(), 'no-such-shared');

beforeAll(async () => {
  process.env.CNN_LENS_CACHE = mkdtempSync(join(tmpdir(), 'cache-'));
  delete process.env.CNN_LENS_OFFLINE; // these tests download from their own local server
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/labels.txt') res.end(labelsBody);
    else if (req.url === '/short.txt') res.end('background\ntench\n');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const pin = (url: string, hash = sha256(labels)): PinnedFile => ({
  file: 'labels.txt',
  shared: 'labels.txt',
  url,
  sha256: hash,
  dropFirstLine: 'background',
});

describe('resolvePinned without ../shared', () => {
  it('downloads, drops the first line, checks the sha256 and caches; the second call reads the cache', async () => {
    const first = await resolvePinned(pin(`${base}/labels.txt`), undefined, 'X', NO_SHARED);
    expect(new TextDecoder().decode(first.data)).toBe('tench, Tinca tinca\ngoldfish\n');
    expect(first.from).toContain('cached in');
    const cached = join(cacheDir(), sha256(labels).slice(0, 16), 'labels.txt');
    expect(existsSync(cached)).toBe(true);
    expect(readFileSync(cached)).toEqual(Buffer.from(labels));
    const before = requests;
    const second = await resolvePinned(pin(`${base}/labels.txt`), undefined, 'X', NO_SHARED);
    expect(second.from).toBe(cached);
    expect(requests).toBe(before);
  });

  it('rejects a download whose sha256 differs from the pin', async () => {
    await expect(resolvePinned(pin(`${base}/short.txt`, 'f'.repeat(64)), undefined, 'X', NO_SHARED)).rejects.toThrow(/does not match the pinned ffff/);
  });

  it('explains an unreachable source and how to pass a local copy', async () => {
    const p = pin(`${base}/missing.txt`, 'e'.repeat(64));
    await expect(resolvePinned(p, undefined, 'CNN_LENS_LABELS', NO_SHARED)).rejects.toThrow(PinnedFileError);
    await expect(resolvePinned(p, undefined, 'CNN_LENS_LABELS', NO_SHARED)).rejects.toThrow(/downloading .* failed \(HTTP 404.*CNN_LENS_LABELS=\/path\/to\/labels.txt/);
  });
});
