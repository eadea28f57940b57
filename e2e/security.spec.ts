// Privacy and security of the built app: the Content-Security-Policy is delivered (header and
// meta), nothing violates it while the model loads and classifies on wasm (threads) and WebGPU,
// no request leaves the origin, and our bundles contain no eval.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import config, { chromiumArgs } from '../playwright.config';
import { DIST_DIR as DIST, ROOT } from '../scripts/lib/paths';
import { contentSecurityPolicy, securityHeaders } from '../src/pwa/security-headers';
import { devPhoto, PHOTOS } from './fixtures/scene';

// WebGPU runs in headless Chromium through SwiftShader with this flag (docs: toolchain notes).
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...chromiumArgs, '--enable-unsafe-webgpu'] } });

interface Watch {
  violations: string[];
  consoleErrors: string[];
  requests: string[];
  /** The inference worker, to read the violations seen inside it. */
  workers: Worker[];
}

/**
 * Records CSP violations (page and workers), console errors (page and workers) and every request
 * the context makes (page, dedicated workers, service worker).
 */
async function watch(context: BrowserContext, page: Page): Promise<Watch> {
  const w: Watch = { violations: [], consoleErrors: [], requests: [], workers: [] };
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const onConsole = (where: string) => (msg: { type(): string; text(): string }) => {
    if (msg.type() === 'error') w.consoleErrors.push(`${where}: ${msg.text()}`);
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) w.violations.push(`${where} console: ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (err) => w.consoleErrors.push(`page error: ${err.message}`));
  page.on('worker', (worker) => {
    w.workers.push(worker);
    worker.on('console', onConsole(`worker ${worker.url()}`));
    // Violations inside a worker fire on its global scope, which no init script reaches.
    void worker
      .evaluate(() => {
        const seen: string[] = [];
        (self as unknown as { __csp: string[] }).__csp = seen;
        self.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
      })
      .catch(() => undefined);
  });
  context.on('request', (r) => w.requests.push(r.url()));
  return w;
}

/** Evaluates in a worker, or gives null after `ms`: onnxruntime's idle threads sit in Atomics.wait. */
function askWorker<T>(worker: Worker, fn: () => T, ms = 2000): Promise<Awaited<T> | null> {
  return Promise.race([worker.evaluate(fn).catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), ms))]) as Promise<Awaited<T> | null>;
}

async function violations(page: Page, w: Watch): Promise<string[]> {
  const all = [...w.violations, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
  const workerNames: string[] = [];
  for (const worker of w.workers) {
    const seen = await askWorker(worker, () => ({ name: self.name, csp: (self as unknown as { __csp?: string[] }).__csp ?? [] }));
    if (!seen) continue;
    workerNames.push(seen.name);
    all.push(...seen.csp.map((v) => `worker ${seen.name}: ${v}`));
  }
  expect(workerNames, 'the inference worker answered').toContain('inference');
  return all;
}

/** Loads the app on a backend, classifies the church photo, and checks nothing was blocked. */
async function loadAndClassify(context: BrowserContext, page: Page, backend: 'wasm' | 'webgpu', timeout = 60_000): Promise<Watch> {
  const w = await watch(context, page);
  await page.goto(`./?backend=${backend}`);
  const status = page.getByTestId('model-status');
  await expect(status).toHaveText(/^(ready|error)/, { timeout }); // fail fast, with the app's message
  await expect(status).toContainText('ready', { timeout: 1 });
  await expect(page.getByTestId('backend')).toHaveText(backend);
  await page.getByTestId('upload-input').setInputFiles(devPhoto(PHOTOS.church.file));
  await expect(page.getByTestId('top1-label')).toContainText('church', { timeout });
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(await violations(page, w)).toEqual([]);
  expect(w.consoleErrors).toEqual([]);
  return w;
}

test.describe('Content-Security-Policy', () => {
  test('is sent as a header with cross-origin isolation, and as a meta element before any script', async ({ request }) => {
    const response = await request.get('./');
    const headers = response.headers();
    for (const [name, value] of Object.entries(securityHeaders)) expect(headers[name.toLowerCase()], name).toBe(value);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");

    const html = await response.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta, 'CSP meta element in the built index.html').not.toBeNull();
    expect(meta![1].replaceAll('&#39;', "'")).toBe(contentSecurityPolicy('meta'));
    expect(meta![1]).not.toContain('frame-ancestors'); // ignored (and logged as an error) in meta
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.search(/<script|<link/));
    // No inline scripts, no scripts from elsewhere.
    for (const [, attrs, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(body.trim(), 'inline script').toBe('');
      expect(attrs).toMatch(/src="\/(?!\/)/);
    }
  });

  test('wasm with threads: loading and classifying cause no violation, console error or foreign request', async ({ context, page }) => {
    const w = await loadAndClassify(context, page, 'wasm');
    // onnxruntime's thread pool runs: its threads are workers started from the onnxruntime chunk the
    // inference worker imported (ort.wasm.bundle here, the WASM-only build).
    const ortThreads = w.workers.filter((x) => /\/assets\/ort\.[\w.-]*bundle/.test(x.url()));
    expect(ortThreads.length, w.workers.map((x) => x.url()).join(', ')).toBeGreaterThan(0);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

    const origin = new URL(page.url()).origin;
    const foreign = w.requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(blob|data):/.test(u));
    expect(foreign).toEqual([]);
    expect(w.requests.some((u) => u.endsWith('.wasm'))).toBe(true);
  });
});

test('WebGPU (SwiftShader here) loads and classifies with no violation', async ({ context, page }) => {
  // SwiftShader compiles the WebGPU kernels on the CPU: the warm-up alone takes about a minute here.
  test.setTimeout(360_000);
  await loadAndClassify(context, page, 'webgpu', 240_000);
});

test('our built JavaScript has no eval or new Function', () => {
  // onnxruntime-web 1.30's bundle (inside the inference worker chunk) has none either: checked
  // here with the rest. If a future version adds one, exclude that exact snippet, not the file.
  const files = [
    ...readdirSync(DIST).filter((f) => f.endsWith('.js')),
    ...readdirSync(join(DIST, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `assets/${f}`),
  ];
  expect(files.some((f) => f.startsWith('assets/inference.worker'))).toBe(true);
  expect(files).toContain('sw.js');
  const found: string[] = [];
  for (const file of files) {
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*['"`]/g)) {
      found.push(`${file}: …${code.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
    }
  }
  expect(found).toEqual([]);
});

test('docs/deploy.md gives the same headers the app is served with', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
  for (const [name, value] of Object.entries(securityHeaders)) {
    expect(doc, `${name} in the _headers example`).toContain(`  ${name}: ${value}\n`);
    expect(doc, `${name} in the nginx example`).toContain(`add_header ${name} "${value}" always;`);
  }
});

test('dist/_headers, for hosts that read one, carries the same headers', () => {
  const file = readFileSync(join(DIST, '_headers'), 'utf8');
  expect(file.startsWith('/*\n')).toBe(true);
  for (const [name, value] of Object.entries(securityHeaders)) expect(file, name).toContain(`  ${name}: ${value}\n`);
  expect(file).toContain('/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n');
});
