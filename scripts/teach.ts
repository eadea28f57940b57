// npm run teach -- --images DIR --labels CSV --shots N[,N...] [--model ID|FILE.onnx] [--seed S]
//                  [--export FILE.onnx] [--threads T]
// Teaches new classes from a labelled folder of photos with the app's code: N photos per class
// are the examples (a seeded pick), the head is trained on their embeddings and tested on every
// other photo. Ends with `acc=… n=… classes=…` (one line per N when several are given).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTaughtModel } from '../src/teach/taught-model.js';
import { loadModelForCli } from './lib/model-cli.js';
import { embedAll, PhotoEmbedder, readLabelsCsv, teachAndTest, type TeachRun } from './lib/teach-pipeline.js';

const USAGE = 'usage: npm run teach -- --images DIR --labels CSV --shots N[,N...] [--model ID|FILE.onnx] [--seed S] [--export FILE.onnx] [--threads T]';

function report(run: TeachRun, several: boolean): void {
  console.log(`\n${run.shots} shot(s) per class: ${run.head.method}${run.head.iterations ? ` (${run.head.iterations} L-BFGS iterations)` : ''}, trained in ${run.trainMs.toFixed(0)} ms`);
  if (run.heldOut) {
    console.log(`  held-out check on the examples (${run.heldOut.method}): ${(run.heldOut.accuracy * 100).toFixed(1)} % of ${run.heldOut.total}`);
  } else {
    console.log('  held-out check: needs at least 2 examples per class');
  }
  for (const c of run.perClass) console.log(`  ${c.name.padEnd(24)} ${c.correct}/${c.total}`);
  console.log(`  under the unknown threshold (${run.head.unknownThreshold}): ${(run.unknownRate * 100).toFixed(1)} % of test photos`);
  console.log(`acc=${run.accuracy.toFixed(4)} n=${run.tested} classes=${run.classes.length}${several ? ` shots=${run.shots}` : ''}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      images: { type: 'string' },
      labels: { type: 'string' },
      shots: { type: 'string' },
      model: { type: 'string' },
      seed: { type: 'string', default: '1' },
      export: { type: 'string' },
      threads: { type: 'string', default: '1' },
    },
  });
  if (!values.images || !values.labels || !values.shots) {
    console.error(USAGE);
    return 2;
  }
  const shotList = values.shots.split(',').map((s) => Number(s.trim()));
  if (shotList.some((s) => !Number.isInteger(s) || s < 1)) {
    console.error(`--shots must be whole numbers of at least 1 (e.g. 10 or 1,5,10), got "${values.shots}"`);
    return 2;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    console.error(`--seed must be an integer, got "${values.seed}"`);
    return 2;
  }
  if (values.export && shotList.length > 1) {
    console.error('--export needs a single --shots value (which head would be exported?)');
    return 2;
  }
  let csv: string;
  try {
    csv = readFileSync(values.labels, 'utf8');
  } catch (err) {
    console.error(`${values.labels}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    return 2;
  }
  const photos = readLabelsCsv(csv, values.labels);
  const model = await loadModelForCli(values.model);
  const embedder = await PhotoEmbedder.create(model.bytes, model.manifest.preprocess, Number(values.threads) || 1);
  const t0 = performance.now();
  const embeddings = await embedAll(embedder, photos, resolve(values.images));
  await embedder.release();
  console.log(`model ${model.manifest.id}: ${photos.length} photos embedded (${embedder.dim} features each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let last: TeachRun | null = null;
  for (const shots of shotList) {
    last = teachAndTest(photos, embeddings, shots, seed);
    report(last, shotList.length > 1);
  }
  if (values.export && last) {
    const bytes = buildTaughtModel({ base: model.bytes, baseModelId: model.manifest.id, preprocess: model.manifest.preprocess, head: last.head, examples: last.examples });
    writeFileSync(values.export, bytes);
    console.log(`wrote ${values.export} (${(bytes.length / 1e6).toFixed(1)} MB): ${last.classes.length} classes, output taught_probabilities`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`teach: ${(err as Error).message}`);
    process.exit(1);
  },
);
