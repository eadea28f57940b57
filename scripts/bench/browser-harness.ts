// Builds the app once per bench run, serves it with `vite preview` on a free port and opens
// headless Chromium pages on it (Debian's Chromium unless CHROMIUM_PATH says otherwise).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { ROOT } from '../lib/default-model.js';
import { chromiumArgs } from '../../playwright.config.js';

let server: PreviewServer | null = null;
let built = false;

/** The bench build adds bench.html and goes to its own folder, leaving dist/ to the app. */
const OUT_DIR = 'dist-bench';

export async function previewUrl(): Promise<string> {
  if (!built) {
    await build({
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: OUT_DIR, rollupOptions: { input: { main: join(ROOT, 'index.html'), bench: join(ROOT, 'bench.html') } } },
    });
    built = true;
  }
  if (!server) server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return url;
}

export function chromiumPath(): string | undefined {
  if (process.env.PLAYWRIGHT_BUNDLED) return undefined;
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, ...extraArgs] });
}

export async function closeServer(): Promise<void> {
  await server?.close();
  server = null;
}
