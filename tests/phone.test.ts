// npm run phone: the production build over HTTPS on every interface, with the isolation headers,
// a self-signed certificate made into the per-user cache, and each LAN URL printed with a QR code.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, script, TSX_CLI } from '../scripts/lib/paths.js';
import { HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL } from './helpers/data.js';

const PORT = 4650;
let child: ChildProcess | null = null;
afterAll(() => void child?.kill('SIGTERM'));

/** Starts the command and resolves with its output once it says the server is up. */
function startPhone(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, [TSX_CLI, script('phone.ts'), '--port', String(PORT)], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run phone did not start within 150 s:\n${out}`)), 150_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ctrl+C stops the server')) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child!.stdout!.on('data', read);
    child!.stderr!.on('data', read);
    child!.on('exit', (code) => reject(new Error(`npm run phone exited (${code}):\n${out}`)));
  });
}

/** GET over HTTPS accepting the self-signed certificate (what "proceed anyway" does on the phone). */
function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run phone', () => {
  it(`serves the app over https on port ${PORT} with the isolation headers and prints a LAN URL with its QR code`, async ({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    const cache = mkdtempSync(join(tmpdir(), 'cnn-lens-cache-'));
    const out = await startPhone({ CNN_LENS_CACHE: cache });

    const page = await get(`https://127.0.0.1:${PORT}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>CNN Lens</title>');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");

    // The certificate was made on this first run, into the cache the variable points at.
    expect(out).toContain(`made a self-signed certificate in ${join(cache, 'tls')}`);
    expect(existsSync(join(cache, 'tls', 'cert.pem'))).toBe(true);
    const lan = out.match(new RegExp(`on your network: (https://(?!127\\.)\\d+\\.\\d+\\.\\d+\\.\\d+:${PORT}/)`));
    expect(lan, out).not.toBeNull();
    // The QR code follows the URL: rows of half-block characters.
    const after = out.slice(out.indexOf(lan![1]));
    expect(after.split('\n').filter((l) => /[▄▀█]{5}/.test(l)).length).toBeGreaterThan(10);
    expect(out).toContain('accept');
    expect(out.toLowerCase()).toContain('certificate');
  }, 180_000);
});
