// A self-signed TLS certificate for `npm run phone`, made on first use with `selfsigned` and kept in
// the per-user cache; made afresh when this machine's addresses are no longer all in it, or when it
// is about to expire.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { cacheDir } from './paths.js';

export interface TlsCert {
  key: string;
  cert: string;
  /** Where they are kept. */
  dir: string;
  /** True when this call made them. */
  made: boolean;
}

interface Stored {
  names: string[];
  notAfter: string;
}

const DAYS = 365;

export async function localCert(names: string[], dir = join(cacheDir(), 'tls')): Promise<TlsCert> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const infoFile = join(dir, 'names.json');
  if (existsSync(keyFile) && existsSync(certFile) && existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as Stored;
    const fresh = Date.parse(info.notAfter) - Date.now() > 7 * 24 * 3600 * 1000;
    if (fresh && names.every((n) => info.names.includes(n))) {
      return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), dir, made: false };
    }
  }
  const notAfter = new Date(Date.now() + DAYS * 24 * 3600 * 1000);
  const isIp = (n: string) => /^[\d.]+$/.test(n) || n.includes(':');
  const pems = await generate([{ name: 'commonName', value: 'CNN Lens (local, self-signed)' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIp(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  writeFileSync(infoFile, `${JSON.stringify({ names, notAfter: notAfter.toISOString() } satisfies Stored)}\n`);
  return { key: pems.private, cert: pems.cert, dir, made: true };
}
