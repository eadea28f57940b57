// npm run eval -- --images DIR --labels CSV [--model ID] [--compare ID] [--backend wasm|webgpu] [--limit N] [--verbose]
//
// Accuracy of the app itself: every image goes through the real browser pipeline in headless
// Chromium (the upload input -> the browser decodes it -> createImageBitmap -> the inference worker),
// and the app's own top-5 (window.__cnnLens.lastTop) is scored against the CSV's ImageNet index.
// CSV columns: file,wnid,imagenet_index (file relative to --images). --model names a bundled model
// (squeezenet1_0 by default, mobilenet_v2), opened with ?model=; ImageNet index i is scored as the
// model's output i + imagenetOffset (1 for MobileNetV2, whose output 0 is "background").
// --compare ID runs a second bundled model over the same photos first and prints the paired
// difference (bootstrap interval, McNemar's exact test) before the evaluated model's closing line.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, isBundledModel } from '../src/model/bundled-models';
import { loadBuiltModel } from './lib/default-model';
import type { Browser, Page } from '@playwright/test';
import { launchScene } from './lib/browser';
import { readLabelsCsv, type LabelRow } from './lib/labels-csv';
import { pairedComparison } from './lib/paired-accuracy';
import { serveApp } from './lib/preview';

const USAGE =
  'usage: npm run eval -- --images DIR --labels CSV [--model squeezenet1_0|mobilenet_v2] [--compare squeezenet1_0|mobilenet_v2] [--backend wasm|webgpu] [--limit N] [--verbose]';

/** Every photo the CSV names must be there before minutes of browser work start. */
function checkPhotos(images: string, rows: LabelRow[]): void {
  if (!existsSync(images)) throw new Error(`--images: no folder ${images}`);
  const missing = rows.filter((r) => !existsSync(resolve(images, r.file))).map((r) => r.file);
  if (missing.length > 0) {
    throw new Error(`${missing.length} of the ${rows.length} photos the labels name are not in ${images}: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}`);
  }
}

/** Uploads one image through the app's file input and returns its top-5 indices (or an error). */
async function classifyInApp(page: Page, path: string): Promise<{ top: number[]; labels: string[] } | { error: string }> {
  const before = await page.evaluate(() => window.__cnnLens!.stills);
  await page.getByTestId('upload-input').setInputFiles(path);
  const outcome = await page.waitForFunction(
    (n) => {
      const hook = window.__cnnLens!;
      if (hook.stills > n) return { top: hook.lastTop.map((p) => p.index), labels: hook.lastTop.map((p) => p.label) };
      const error = document.querySelector('[data-testid="image-error"]')?.textContent;
      return error ? { error } : null;
    },
    before,
    { timeout: 60_000, polling: 20 },
  );
  return (await outcome.jsonValue()) as { top: number[]; labels: string[] } | { error: string };
}

interface ModelRun {
  modelId: string;
  /** Per photo, in the CSV's order: top-1 and top-5 hits. */
  top1: boolean[];
  top5: boolean[];
}

/** Opens the app on one model and classifies every row through it, printing its per-class table. */
async function evaluate(browser: Browser, url: string, modelId: string, backend: string, rows: LabelRow[], images: string, verbose: boolean): Promise<ModelRun> {
  const offset = loadBuiltModel(modelId).manifest.imagenetOffset ?? 0;
  const page = await browser.newPage();
  try {
    await page.goto(`${url}?backend=${backend}&camera=off&model=${modelId}`);
    await page.waitForFunction(() => window.__cnnLens?.ready, null, { timeout: 180_000 });
    const ran = await page.evaluate(() => window.__cnnLens!.backend);
    if (ran !== backend) console.error(`note: asked for ${backend}, the app runs ${ran}`);
    const loaded = await page.evaluate(() => window.__cnnLens!.modelId);
    if (loaded !== modelId) throw new Error(`asked the app for model ${modelId}, it loaded ${loaded}`);

    const perClass = new Map<number, { name: string; n: number; top1: number; top5: number }>();
    const top1: boolean[] = [];
    const top5: boolean[] = [];
    const t0 = performance.now();
    for (const [i, row] of rows.entries()) {
      const outcome = await classifyInApp(page, resolve(images, row.file));
      const target = row.index + offset;
      const stats = perClass.get(row.index) ?? { name: row.wnid, n: 0, top1: 0, top5: 0 };
      stats.n++;
      let hit1 = false;
      let hit5 = false;
      if ('error' in outcome) {
        console.error(`${row.file}: ${outcome.error}`);
      } else {
        hit1 = outcome.top[0] === target;
        hit5 = outcome.top.includes(target);
        const at = outcome.top.indexOf(target);
        if (at >= 0 && stats.name === row.wnid) stats.name = outcome.labels[at];
        if (verbose) console.log(`${hit1 ? 'ok  ' : hit5 ? 'top5' : 'miss'} ${row.file} -> ${outcome.labels[0]} (${outcome.top[0]})`);
      }
      top1.push(hit1);
      top5.push(hit5);
      stats.top1 += +hit1;
      stats.top5 += +hit5;
      perClass.set(row.index, stats);
      if (!verbose && (i + 1) % 50 === 0) console.error(`${modelId}: ${i + 1}/${rows.length}…`);
    }
    const seconds = (performance.now() - t0) / 1000;

    console.log(`\nmodel ${modelId}, backend ${ran}, ${rows.length} images in ${seconds.toFixed(1)} s`);
    console.log(`${'class'.padEnd(24)} ${'index'.padStart(5)} ${'n'.padStart(4)} ${'top1'.padStart(7)} ${'top5'.padStart(7)}`);
    for (const [index, s] of [...perClass.entries()].sort((a, b) => a[0] - b[0])) {
      console.log(`${s.name.slice(0, 24).padEnd(24)} ${String(index).padStart(5)} ${String(s.n).padStart(4)} ${(s.top1 / s.n).toFixed(4).padStart(7)} ${(s.top5 / s.n).toFixed(4).padStart(7)}`);
    }
    return { modelId, top1, top5 };
  } finally {
    await page.close();
  }
}

function accuracyLine(run: ModelRun): string {
  const n = run.top1.length;
  const count = (hits: boolean[]) => hits.filter(Boolean).length;
  return `top1=${(count(run.top1) / n).toFixed(4)} top5=${(count(run.top5) / n).toFixed(4)} n=${n}`;
}

const points = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/** The paired comparison of two runs over the same photos, one metric per line. */
function comparisonLines(a: ModelRun, b: ModelRun): string[] {
  const lines = [`\n${a.modelId} vs ${b.modelId}, paired over the same ${a.top1.length} photos:`];
  for (const metric of ['top1', 'top5'] as const) {
    const c = pairedComparison(a[metric], b[metric]);
    lines.push(
      `  ${metric}: ${(100 * c.a).toFixed(1)} % vs ${(100 * c.b).toFixed(1)} %, difference ${points(c.diff)} points, ` +
        `${Math.round(c.level * 100)} % bootstrap interval ${points(c.interval[0])} to ${points(c.interval[1])}`,
      `        right only with ${a.modelId}: ${c.onlyA}, only with ${b.modelId}: ${c.onlyB} (exact McNemar test: p = ${c.p.toPrecision(2)})`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string' },
      labels: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL_ID },
      compare: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      limit: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (!values.images || !values.labels) throw new Error(USAGE);
  const modelId = values.model;
  if (!isBundledModel(modelId)) throw new Error(`--model must be a bundled model (${BUNDLED_MODELS.join(', ')}), not "${modelId}"`);
  const compareId = values.compare;
  if (compareId !== undefined) {
    if (!isBundledModel(compareId)) throw new Error(`--compare must be a bundled model (${BUNDLED_MODELS.join(', ')}), not "${compareId}"`);
    if (compareId === modelId) throw new Error(`--compare names the model being evaluated (${modelId}); name the other one`);
  }
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'webgpu') throw new Error(`--backend must be wasm or webgpu, not ${backend}`);
  if (!existsSync(values.labels)) throw new Error(`--labels: no file ${values.labels}`);
  let rows = readLabelsCsv(values.labels);
  if (values.limit !== undefined) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive whole number, not "${values.limit}"`);
    rows = rows.slice(0, limit);
  }
  checkPhotos(values.images, rows);

  const served = await serveApp();
  const browser = await launchScene({ webgpu: backend === 'webgpu' });
  try {
    // The compared model first, so the run still ends with the evaluated model's own line.
    const other = compareId === undefined ? null : await evaluate(browser, served.url, compareId, backend, rows, values.images, values.verbose);
    if (other) console.log(`${other.modelId}: ${accuracyLine(other)}`);
    const run = await evaluate(browser, served.url, modelId, backend, rows, values.images, values.verbose);
    if (other) for (const line of comparisonLines(run, other)) console.log(line);
    console.log(accuracyLine(run));
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
