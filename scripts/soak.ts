// Soak test: the built app (vite preview) with Chromium's fake camera for N minutes, watching
// throughput, JS heap (page and inference worker) and onnxruntime tensors for leaks.
//
//   npm run soak -- --minutes 10 [--backend wasm|webgpu] [--photo file.jpg] [--bucket 10]
//                   [--inspector] [--json out.json]
//
// Frames come from window.__cnnLens.frames (the app's live-loop result count, src/ui/test-hook.ts).
// Heap: CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage, in the page (a page CDP
// session) and in the worker (a browser CDP session attached to the worker target), at start
// (after warm-up) and end; performance.memory (precise) in the page for the trend.
// Tensors: OrtEngine's created/released counters, read in the worker (globalThis.__ortTensorCounts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { launchScene } from './lib/browser.js';
import { devPhotosDir, devPhotosMissingReason } from './lib/dev-photos.js';
import { serveApp } from './lib/preview.js';
import { photoToY4m } from './lib/y4m.js';

/** A dev photo of a church (ImageNet class 497): a scene the model is sure about. */
export const DEFAULT_PHOTO_FILE = 'n03028079/ILSVRC2012_val_00004912.JPEG';

/** The default scene's photo, from ../shared or the per-user cache (npm run photos). */
export function defaultPhoto(): string {
  const dir = devPhotosDir();
  if (!dir) throw new Error(`no --photo given and ${devPhotosMissingReason()}`);
  return join(dir, DEFAULT_PHOTO_FILE);
}
const MB = 1024 * 1024;

export interface SoakOptions {
  /** The served app's base URL. */
  url: string;
  seconds: number;
  backend?: 'wasm' | 'webgpu';
  photo?: string;
  bucketSeconds?: number;
  /** Turn the layer inspector on for the run. */
  inspector?: boolean;
  log?: (line: string) => void;
}

export interface HeapSample {
  /** CDP Runtime.getHeapUsage after a forced GC, bytes. */
  page: number;
  /** Same in the inference worker; null where the worker could not be attached. */
  worker: number | null;
  /** Same in the inspector's reference worker, when the inspector is on. */
  referenceWorker?: number | null;
  /** performance.memory.usedJSHeapSize in the page (no GC), bytes. */
  pageMemory: number | null;
}

export interface TensorCounts {
  created: number;
  released: number;
}

export interface SoakBucket {
  /** Seconds since the measured run began, at the bucket's end. */
  t: number;
  frames: number;
  fps: number;
  /** The FPS the app itself displays at that moment. */
  appFps: number;
  pageMemoryMB: number | null;
}

export interface SoakResult {
  seconds: number;
  backend: string;
  frames: number;
  fps: number;
  buckets: SoakBucket[];
  heapStart: HeapSample;
  heapEnd: HeapSample;
  tensorsStart: TensorCounts | null;
  tensorsEnd: TensorCounts | null;
  cspViolations: string[];
  pageErrors: string[];
  inspector: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what} timed out after ${ms} ms`)))]);
}

/**
 * CDP into the inference worker. Playwright has no CDP session for workers, so this attaches to the
 * worker target through a browser session (non-flat mode) and exchanges raw messages.
 */
class WorkerProbe {
  private nextId = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== this.sessionId) return;
      const msg = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }

  /**
   * The dedicated worker with this name: 'inference', or the inspector's 'reference' (onnxruntime's
   * threads share the inference worker's script but are named 'em-pthread').
   */
  static async attach(browser: Browser, name: string): Promise<WorkerProbe | null> {
    try {
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = await cdp.send('Target.getTargets');
      const target = targetInfos.find((t) => t.type === 'worker' && t.title === name);
      if (!target) return null;
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      return new WorkerProbe(cdp, sessionId);
    } catch {
      return null;
    }
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    return withTimeout(answer, 10_000, `worker ${method}`);
  }

  async heapAfterGc(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    return (await this.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  async tensorCounts(): Promise<TensorCounts | null> {
    const r = await this.send<{ result: { value?: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(globalThis.__ortTensorCounts ?? null)',
      returnByValue: true,
    });
    return r.result.value ? (JSON.parse(r.result.value) as TensorCounts | null) : null;
  }
}

/** Installed before the app runs: collects CSP violations. */
function pageInstrumentation(): void {
  const w = window as unknown as { __soakCsp: string[] };
  w.__soakCsp = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__soakCsp.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
}

interface PageCounters {
  frames: number;
  appFps: number;
  memory: number | null;
  csp: string[];
}

function readCounters(page: Page): Promise<PageCounters> {
  return withTimeout(
    page.evaluate(() => {
      const hook = window.__cnnLens;
      if (!hook) throw new Error('window.__cnnLens is missing: is this the CNN Lens app?');
      const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return {
        frames: hook.frames,
        appFps: hook.fps,
        memory: memory ? memory.usedJSHeapSize : null,
        csp: (window as unknown as { __soakCsp: string[] }).__soakCsp,
      };
    }),
    10_000,
    'reading the page counters',
  );
}

async function heap(pageCdp: CDPSession, page: Page, worker: WorkerProbe | null, reference: WorkerProbe | null): Promise<HeapSample> {
  await pageCdp.send('HeapProfiler.collectGarbage');
  const pageUsed = (await pageCdp.send('Runtime.getHeapUsage')).usedSize;
  const workerUsed = worker ? await worker.heapAfterGc().catch(() => null) : null;
  const sample: HeapSample = { page: pageUsed, worker: workerUsed, pageMemory: (await readCounters(page)).memory };
  if (reference) sample.referenceWorker = await reference.heapAfterGc().catch(() => null);
  return sample;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { url, seconds, backend = 'wasm', photo = defaultPhoto(), inspector = false, log = (l: string) => console.log(l) } = options;
  const bucketSeconds = options.bucketSeconds ?? (seconds > 180 ? 60 : 10);
  const dir = mkdtempSync(join(tmpdir(), 'cnn-lens-soak-'));
  let browser: Browser | null = null;
  try {
    // Limited-range BT.601 4:2:0, as Chromium's fake camera decodes it (scripts/lib/y4m.ts).
    const video = photoToY4m(photo, join(dir, 'scene.y4m'), 320, 240, 3);
    browser = await launchScene({
      fakeVideo: video,
      webgpu: backend === 'webgpu',
      extraArgs: ['--enable-precise-memory-info'],
    });
    const context = await browser.newContext();
    await context.addInitScript(pageInstrumentation);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });

    log(`soak: ${url}?backend=${backend}, ${seconds} s, fake camera from ${photo}`);
    await page.goto(`${url}?backend=${backend}`);
    const status = page.getByTestId('model-status');
    await status.filter({ hasText: /^(ready|error)/ }).waitFor({ timeout: backend === 'webgpu' ? 300_000 : 120_000 });
    const statusText = (await status.textContent()) ?? '';
    if (!statusText.startsWith('ready')) throw new Error(`the model did not load: ${statusText}`);

    if (inspector) {
      await page.getByTestId('inspector-toggle').click();
      await page.locator('[data-testid="inspector"][data-open="true"]').waitFor({ timeout: 10_000 });
      log('soak: inspector on');
    }

    // The camera starts by itself when the page opens (the fake device, accepted by the fake UI).
    const firstFrame = Date.now();
    while ((await readCounters(page)).frames === 0) {
      if (Date.now() - firstFrame > 60_000) throw new Error('no frame was classified within 60 s of the camera starting');
      await sleep(250);
    }
    await sleep(3000); // past the first frames' one-off allocations

    const pageCdp = await context.newCDPSession(page);
    const worker = await WorkerProbe.attach(browser, 'inference');
    if (!worker) log('soak: could not attach to the inference worker; its heap and tensor counts are not measured');
    const reference = inspector ? await WorkerProbe.attach(browser, 'reference') : null;
    if (inspector && !reference) log('soak: no worker named "reference" to measure for the inspector');
    const heapStart = await heap(pageCdp, page, worker, reference);
    const tensorsStart = worker ? await worker.tensorCounts() : null;
    const first = await readCounters(page);
    log(`start  heap: ${fmtHeap(heapStart)} (after GC); tensors ${fmtTensors(tensorsStart)}`);

    const t0 = Date.now();
    const buckets: SoakBucket[] = [];
    let last = { t: 0, frames: first.frames };
    log('    t(s)  frames   fps  app-fps  page-heap(MB, no GC)');
    while (last.t < seconds) {
      const wait = Math.min(bucketSeconds, seconds - last.t);
      await sleep(t0 + (last.t + wait) * 1000 - Date.now());
      const now = await readCounters(page);
      const t = (Date.now() - t0) / 1000;
      const frames = now.frames - last.frames;
      const bucket: SoakBucket = {
        t: Math.round(t),
        frames,
        fps: frames / (t - last.t),
        appFps: now.appFps,
        pageMemoryMB: now.memory === null ? null : now.memory / MB,
      };
      buckets.push(bucket);
      log(
        `${String(bucket.t).padStart(8)}${String(frames).padStart(8)}${bucket.fps.toFixed(1).padStart(6)}${bucket.appFps.toFixed(1).padStart(9)}  ${bucket.pageMemoryMB?.toFixed(1) ?? '-'}`,
      );
      last = { t, frames: now.frames };
    }

    const end = await readCounters(page);
    const heapEnd = await heap(pageCdp, page, worker, reference);
    const tensorsEnd = worker ? await worker.tensorCounts() : null;
    const frames = end.frames - first.frames;
    const result: SoakResult = {
      seconds: last.t,
      backend,
      frames,
      fps: frames / last.t,
      buckets,
      heapStart,
      heapEnd,
      tensorsStart,
      tensorsEnd,
      cspViolations: end.csp,
      pageErrors,
      inspector,
    };
    log(`end    heap: ${fmtHeap(heapEnd)} (after GC); tensors ${fmtTensors(tensorsEnd)}`);
    log(
      `soak: ${frames} frames in ${last.t.toFixed(0)} s = ${result.fps.toFixed(1)} FPS on ${backend}; ` +
        `heap growth page ${growth(heapStart.page, heapEnd.page)}, inference worker ${growth(heapStart.worker, heapEnd.worker)}` +
        `${heapStart.referenceWorker === undefined ? '' : `, reference worker ${growth(heapStart.referenceWorker, heapEnd.referenceWorker ?? null)}`}; ` +
        `performance.memory ${fmtMB(heapStart.pageMemory)} -> ${fmtMB(heapEnd.pageMemory)}; ` +
        `tensors created ${tensorsEnd?.created ?? 'n/a'}, released ${tensorsEnd?.released ?? 'n/a'}, alive ${tensorsEnd ? tensorsEnd.created - tensorsEnd.released : 'n/a'}; ` +
        `CSP violations ${end.csp.length}; page errors ${pageErrors.length}`,
    );
    return result;
  } finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmtMB(bytes: number | null, signed = false): string {
  if (bytes === null) return 'n/a';
  const mb = (bytes / MB).toFixed(2);
  return `${signed && bytes >= 0 ? '+' : ''}${mb} MB`;
}

function growth(start: number | null, end: number | null): string {
  return start === null || end === null ? 'n/a' : fmtMB(end - start, true);
}

function fmtHeap(h: HeapSample): string {
  const reference = h.referenceWorker === undefined ? '' : `, reference worker ${fmtMB(h.referenceWorker)}`;
  return `page ${fmtMB(h.page)}, inference worker ${fmtMB(h.worker)}${reference}`;
}

function fmtTensors(t: TensorCounts | null): string {
  return t ? `created ${t.created}, released ${t.released}` : 'n/a';
}

function parseArgs(argv: string[]): { seconds: number; backend: 'wasm' | 'webgpu'; photo?: string; bucket?: number; inspector: boolean; json?: string } {
  const out: ReturnType<typeof parseArgs> = { seconds: 60, backend: 'wasm', inspector: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error(`${arg} must be a positive number, got ${v}`);
      return n;
    };
    if (arg === '--minutes') out.seconds = positive(value()) * 60;
    else if (arg === '--seconds') out.seconds = positive(value());
    else if (arg === '--bucket') out.bucket = positive(value());
    else if (arg === '--photo') out.photo = resolve(value());
    else if (arg === '--json') out.json = resolve(value());
    else if (arg === '--inspector') out.inspector = true;
    else if (arg === '--backend') {
      const b = value();
      if (b !== 'wasm' && b !== 'webgpu') throw new Error(`--backend must be wasm or webgpu, got ${b}`);
      out.backend = b;
    } else throw new Error(`unknown argument ${arg}; usage: npm run soak -- --minutes N [--backend wasm|webgpu] [--photo file.jpg] [--bucket S] [--inspector] [--json out.json]`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const served = await serveApp();
  try {
    const result = await runSoak({ url: served.url, seconds: args.seconds, backend: args.backend, photo: args.photo, bucketSeconds: args.bucket, inspector: args.inspector });
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await served.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(`soak failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
