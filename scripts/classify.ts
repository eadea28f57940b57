// npm run classify -- [--json] [--threads N] [--model ID|FILE.onnx] <image files...>
// Classifies JPEG and PNG files on onnxruntime-web (wasm) in Node, with the default model or
// --model (a built model's id, or an .onnx file: a taught model brings its class names).
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OrtEngine } from '../src/engine/ort-engine.js';
import { shortLabel } from '../src/model/manifest.js';
import { preprocess } from '../src/preprocess/preprocess.js';
import { decodeImage } from './lib/decode-image.js';
import { loadModelForCli } from './lib/model-cli.js';

interface FileResult {
  file: string;
  top?: { index: number; label: string; probability: number }[];
  error?: string;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string' }, json: { type: 'boolean', default: false }, threads: { type: 'string', default: '1' }, top: { type: 'string' } },
  });
  if (positionals.length === 0) {
    console.error('usage: npm run classify -- [--json] [--top K] [--threads N] [--model ID|FILE.onnx] <image.jpg|image.png ...>');
    return 2;
  }
  const model = await loadModelForCli(values.model);
  const classes = model.manifest.labels.length;
  // Without --top: five, or every class of a model with fewer (a taught model may have two).
  const k = values.top === undefined ? Math.min(5, classes) : Number(values.top);
  if (!Number.isInteger(k) || k < 1 || k > classes) {
    console.error(`--top must be an integer from 1 to ${classes}, got "${values.top}"`);
    return 2;
  }
  const engine = await OrtEngine.create(model.bytes, model.manifest, { backend: 'wasm', threads: Number(values.threads) || 1 });
  const results: FileResult[] = [];
  for (const file of positionals) {
    try {
      let bytes: Uint8Array;
      try {
        if (statSync(file).isDirectory()) throw new Error('is a directory, not an image file');
        bytes = readFileSync(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? 'no such file' : (err as Error).message);
      }
      const input = preprocess(decodeImage(bytes), model.manifest.preprocess);
      const scores = await engine.classify(input, Math.min(k, model.manifest.labels.length));
      results.push({
        file,
        top: scores.top.map((p) => ({ index: p.index, label: model.manifest.labels[p.index], probability: p.probability })),
      });
    } catch (err) {
      results.push({ file, error: (err as Error).message });
    }
  }
  for (const r of results) {
    if (values.json) {
      console.log(JSON.stringify(r));
    } else if (r.error) {
      console.error(`${r.file}: error: ${r.error}`);
    } else {
      console.log(r.file);
      for (const p of r.top ?? []) {
        console.log(`  ${(p.probability * 100).toFixed(2).padStart(6)}%  ${shortLabel(p.label)}  (${p.index}: ${p.label})`);
      }
    }
  }
  await engine.release();
  return results.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`classify: ${(err as Error).message}`);
    process.exit(1);
  },
);
