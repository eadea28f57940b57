// npm run phone [-- --port N] [--http] [--adb]
// Builds the app (when dist/ is stale) and serves the production build on every interface with the
// production headers (COOP/COEP, CSP: vite.config.ts's preview headers), over HTTPS with a
// self-signed certificate kept in the per-user cache, and prints each LAN URL with a QR code.
//   --http  plain http (for `adb reverse` or a tunnel that adds TLS itself)
//   --adb   runs `adb reverse tcp:PORT tcp:PORT` so an Android phone on USB opens
//           http://localhost:PORT (a secure context: camera, threads, install, offline); implies --http
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { build, preview } from 'vite';
import { lanAddresses, lanHostNames } from './lib/lan.js';
import { ROOT } from './lib/paths.js';
import { distIsStale } from './lib/preview.js';
import { localCert } from './lib/tls-cert.js';

const DEFAULT_PORT = 8443;

interface PhoneOptions {
  port: number;
  https: boolean;
  adb: boolean;
}

function options(argv: string[]): PhoneOptions {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, http: { type: 'boolean', default: false }, adb: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log('usage: npm run phone [-- --port N] [--http] [--adb]');
    process.exit(0);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be a port number (1-65535), got ${values.port}`);
  return { port, https: !values.http && !values.adb, adb: values.adb };
}

/** Runs adb reverse; returns the line to print (success, or why not). */
function adbReverse(port: number): string {
  const r = spawnSync('adb', ['reverse', `tcp:${port}`, `tcp:${port}`], { encoding: 'utf8' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return 'adb is not on the PATH: install Android platform-tools (Debian: apt-get install adb), enable USB debugging on the phone, and run again; or run `adb reverse` yourself.';
  }
  if (r.status !== 0) return `adb reverse failed: ${(r.stderr || r.stdout || String(r.error)).trim()} (is the phone connected, with USB debugging allowed?)`;
  return `adb reverse tcp:${port} tcp:${port} done: on the phone open http://localhost:${port}/ (camera, threads, install and offline all work there).`;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (distIsStale()) {
    console.log('building the app (dist/ is missing or older than the sources)…');
    await build({ root: ROOT, logLevel: 'warn' });
  }
  const addresses = lanAddresses();
  const tls = opts.https ? await localCert(['localhost', '127.0.0.1', ...lanHostNames().filter((n) => !n.startsWith('.')), ...addresses]) : null;
  if (tls?.made) console.log(`made a self-signed certificate in ${tls.dir}`);
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    preview: {
      host: true,
      port: opts.port,
      strictPort: true,
      ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    },
  });
  const scheme = tls ? 'https' : 'http';
  console.log(`\nCNN Lens, production build with its headers, on every interface (${scheme}${tls ? ', self-signed certificate' : ''}):`);
  console.log(`  this machine: ${scheme}://localhost:${opts.port}/`);
  if (addresses.length === 0) console.log('  no network interface besides loopback: connect to a Wi-Fi or use --adb');
  for (const address of addresses) {
    const url = `${scheme}://${address}:${opts.port}/`;
    console.log(`  on your network: ${url}`);
    console.log(await QRCode.toString(url, { type: 'terminal', small: true }));
  }
  if (tls) {
    console.log(
      'What to expect: the phone warns once about the self-signed certificate: accept it (Advanced > Proceed); then the camera and multithreaded inference work. ' +
        'Installing and offline use need a trusted certificate: use --adb over USB or a static host (README, "On your phone").',
    );
  } else if (!opts.adb) {
    console.log('Plain http: a phone on the LAN gets no camera and no threads here; use this behind adb reverse or a TLS tunnel.');
  }
  if (opts.adb) console.log(adbReverse(opts.port));
  console.log('Ctrl+C stops the server.');
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException & { port?: number };
  console.error(`npm run phone: ${e.code === 'EADDRINUSE' ? `port ${e.port ?? ''} is in use: pick another with --port N` : e.message}`);
  process.exit(1);
});
