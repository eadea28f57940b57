// npm run summary -- <model.onnx | --arch NAME> [--write out.onnx]
// Prints a torchinfo-style summary of any model the reference engine accepts. NAME is one of
// alexnet, alexnet-paper, squeezenet1_0, all-ops; --write also saves that model's .onnx file.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readOnnx } from '../src/reference/load-graph.js';
import { ARCHITECTURES, architectureOnnx, type ArchitectureName } from '../tests/builders/architectures.js';
import { formatSummary } from '../src/summary/format.js';
import { summarizeModel } from '../src/summary/summary.js';
import { DEFAULT_MODEL_FILE, ROOT } from './lib/paths.js';

export const SQUEEZENET_PATH = DEFAULT_MODEL_FILE;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { arch: { type: 'string' }, write: { type: 'string' } },
  });
  let bytes: Uint8Array;
  if (values.arch) {
    const arch = values.arch as ArchitectureName;
    if (!ARCHITECTURES.includes(arch)) throw new Error(`unknown --arch ${values.arch}; one of ${ARCHITECTURES.join(', ')}`);
    if (arch === 'squeezenet1_0' && !existsSync(SQUEEZENET_PATH)) execSync('npm run -s model', { cwd: ROOT, stdio: 'inherit' });
    bytes = architectureOnnx(arch, SQUEEZENET_PATH);
  } else if (positionals[0]) {
    bytes = new Uint8Array(readFileSync(positionals[0]));
  } else {
    throw new Error('usage: npm run summary -- <model.onnx | --arch NAME> [--write out.onnx]');
  }
  if (values.write) {
    writeFileSync(values.write, bytes);
    console.error(`wrote ${values.write} (${bytes.length} bytes)`);
  }
  process.stdout.write(formatSummary(summarizeModel(readOnnx(bytes))));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
