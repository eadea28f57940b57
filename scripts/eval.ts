// npm run eval -- --images DIR --labels CSV [--model ID] [--backend wasm|webgpu] [--limit N] [--verbose]
//
// Accuracy of the app itself: every image goes through the real browser pipeline in headless
// Chromium (the upload input -> the browser decodes it -> createImageBitmap -> the inference worker),
// and the app's own top-5 (window.__cnnLens.lastTop) is scored against the CSV's ImageNet index.
// CSV columns: file,wnid,imagenet_index (file relative to --images). --model names a bundled model
// (squeezenet1_0 by default, mobilenet_v2), opened with ?model=; ImageNet index i is scored as the
// model's output i + imagenetOffset (1 for MobileNetV2, whose output 0 is "background").
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLED_MODELS, DEFAULT_MODEL_ID, isBundledModel } from '../src/model/bundled-models';
import { loadBuiltModel } from './lib/default-model';
import type { Page } from '@playwright/test';
import { launchScene } from './lib/browser';
import { serveApp } from './lib/preview';

interface Row {
  file: string;
  wnid: string;
  index: number;
}

function readLabels(csv: string): Row[] {
  const lines = readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${csv}: no "${name}" column (found ${header.join(', ')})`);
    return i;
  };
  const [fi, wi, ii] = [col('file'), col('wnid'), col('imagenet_index')];
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return { file: cells[fi].trim(), wnid: cells[wi].trim(), index: Number(cells[ii]) };
  });
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string' },
      labels: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL_ID },
      backend: { type: 'string', default: 'wasm' },
      limit: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (!values.images || !values.labels) {
    throw new Error('usage: npm run eval -- --images DIR --labels CSV [--model squeezenet1_0|mobilenet_v2] [--backend wasm|webgpu] [--limit N] [--verbose]');
  }
  const modelId = values.model;
  if (!isBundledModel(modelId)) throw new Error(`--model must be a bundled model (${BUNDLED_MODELS.join(', ')}), not "${modelId}"`);
  const offset = loadBuiltModel(modelId).manifest.imagenetOffset ?? 0;
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'webgpu') throw new Error(`--backend must be wasm or webgpu, not ${backend}`);
  let rows = readLabels(values.labels);
  if (values.limit) rows = rows.slice(0, Number(values.limit));

  const served = await serveApp();
  const browser = await launchScene({ webgpu: backend === 'webgpu' });
  try {
    const page = await browser.newPage();
    await page.goto(`${served.url}?backend=${backend}&camera=off&model=${modelId}`);
    await page.waitForFunction(() => window.__cnnLens?.ready, null, { timeout: 180_000 });
    const ran = await page.evaluate(() => window.__cnnLens!.backend);
    if (ran !== backend) console.error(`note: asked for ${backend}, the app runs ${ran}`);
    const loaded = await page.evaluate(() => window.__cnnLens!.modelId);
    if (loaded !== modelId) throw new Error(`asked the app for model ${modelId}, it loaded ${loaded}`);

    const perClass = new Map<number, { name: string; n: number; top1: number; top5: number }>();
    let top1 = 0;
    let top5 = 0;
    const t0 = performance.now();
    for (const [i, row] of rows.entries()) {
      const outcome = await classifyInApp(page, resolve(values.images, row.file));
      const target = row.index + offset;
      const stats = perClass.get(row.index) ?? { name: row.wnid, n: 0, top1: 0, top5: 0 };
      stats.n++;
      if ('error' in outcome) {
        console.error(`${row.file}: ${outcome.error}`);
      } else {
        const hit1 = outcome.top[0] === target;
        const hit5 = outcome.top.includes(target);
        top1 += +hit1;
        top5 += +hit5;
        stats.top1 += +hit1;
        stats.top5 += +hit5;
        const at = outcome.top.indexOf(target);
        if (at >= 0 && stats.name === row.wnid) stats.name = outcome.labels[at];
        if (values.verbose) console.log(`${hit1 ? 'ok  ' : hit5 ? 'top5' : 'miss'} ${row.file} -> ${outcome.labels[0]} (${outcome.top[0]})`);
      }
      perClass.set(row.index, stats);
      if (!values.verbose && (i + 1) % 50 === 0) console.error(`${i + 1}/${rows.length}…`);
    }
    const seconds = (performance.now() - t0) / 1000;

    console.log(`\nmodel ${modelId}, backend ${ran}, ${rows.length} images in ${seconds.toFixed(1)} s`);
    console.log(`${'class'.padEnd(24)} ${'index'.padStart(5)} ${'n'.padStart(4)} ${'top1'.padStart(7)} ${'top5'.padStart(7)}`);
    for (const [index, s] of [...perClass.entries()].sort((a, b) => a[0] - b[0])) {
      console.log(`${s.name.slice(0, 24).padEnd(24)} ${String(index).padStart(5)} ${String(s.n).padStart(4)} ${(s.top1 / s.n).toFixed(4).padStart(7)} ${(s.top5 / s.n).toFixed(4).padStart(7)}`);
    }
    const n = rows.length;
    console.log(`top1=${(top1 / n).toFixed(4)} top5=${(top5 / n).toFixed(4)} n=${n}`);
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
