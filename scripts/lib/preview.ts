// Serves the built app with vite preview on a free port for Node scripts (eval, app bench);
// builds first when dist/ is missing or older than the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { DEFAULT_MODEL_FILE, DIST_DIR, publicUrlPath, ROOT } from './paths.js';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function distIsStale(): boolean {
  const built = join(DIST_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestMtime(join(ROOT, p)));
  return Math.max(...sources) > statSync(built).mtimeMs;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** The bench build adds bench.html and goes to its own folder, leaving dist/ to the app. */
const BENCH_OUT_DIR = 'dist-bench';
let benchBuilt = false;

/**
 * @param bench serve the app plus the benchmark page (bench.html), built once per process into
 * dist-bench/.
 */
export async function serveApp({ log = console.error, bench = false }: { log?: (msg: string) => void; bench?: boolean } = {}): Promise<Served> {
  if (!existsSync(DEFAULT_MODEL_FILE)) {
    throw new Error(`public/${publicUrlPath(DEFAULT_MODEL_FILE)} is missing: run \`npm run model\` first`);
  }
  if (bench && !benchBuilt) {
    await build({
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: BENCH_OUT_DIR, rollupOptions: { input: { main: join(ROOT, 'index.html'), bench: join(ROOT, 'bench.html') } } },
    });
    benchBuilt = true;
  } else if (!bench && distIsStale()) {
    log('building the app (dist/ is missing or stale)…');
    await build({ root: ROOT, logLevel: 'warn' });
  }
  const port = await freePort();
  const server: PreviewServer = await preview({
    root: ROOT,
    logLevel: 'warn',
    ...(bench ? { build: { outDir: BENCH_OUT_DIR } } : {}),
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => server.close(),
  };
}
