// npm run model [-- --weights PATH] [--labels PATH] [--out DIR] [--if-stale]
// Decodes the Deep Compression SqueezeNet weights into public/models/squeezenet1_0/model.onnx and
// writes its manifest beside it. With --if-stale it does nothing when the outputs are up to date.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelManifest } from '../src/model/manifest.js';
import { decodeSqueezenetWeights } from '../src/model/squeezenet.js';
import { SQUEEZENET_INPUT, SQUEEZENET_OUTPUT, squeezenetOnnx } from '../src/model/squeezenet-onnx.js';
import { resolvePinned, sha256, type PinnedFile } from './fetch-pinned.js';
import { DEFAULT_MODEL_DIR, MODEL_SOURCES_FILE, ROOT } from './lib/paths.js';


/** The code that shapes the output; other files (tests, readers, other models) do not matter. */
const GENERATOR_FILES = [
  'src/model/squeezenet.ts',
  'src/model/squeezenet-onnx.ts',
  'src/model/onnx-write.ts',
  'src/model/generated/onnx-pb.js',
  'src/model/manifest.ts',
  'scripts/build-model.ts',
  'scripts/fetch-pinned.ts',
];

/** A hash of every input that shapes the output: the pins and the code that writes the model. */
function buildStamp(pins: object): string {
  const h = createHash('sha256').update(JSON.stringify(pins));
  for (const f of GENERATOR_FILES) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest('hex');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      weights: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      'if-stale': { type: 'boolean', default: false },
    },
  });
  const pins = JSON.parse(readFileSync(MODEL_SOURCES_FILE, 'utf8')).squeezenet1_0 as {
    weights: PinnedFile;
    labels: PinnedFile & { lines: number };
  };
  const outDir = resolve(values.out ?? DEFAULT_MODEL_DIR);
  const stampFile = join(outDir, '.stamp');
  const stamp = buildStamp(pins);
  if (
    values['if-stale'] &&
    existsSync(join(outDir, 'model.onnx')) &&
    existsSync(join(outDir, 'manifest.json')) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === stamp
  ) {
    return;
  }
  const t0 = performance.now();
  const weights = await resolvePinned(pins.weights, values.weights ?? process.env.CNN_LENS_WEIGHTS, 'CNN_LENS_WEIGHTS');
  const labelsFile = await resolvePinned(pins.labels, values.labels ?? process.env.CNN_LENS_LABELS, 'CNN_LENS_LABELS');
  const labels = new TextDecoder().decode(labelsFile.data).split('\n').filter((l) => l.length > 0);
  if (labels.length !== pins.labels.lines) {
    throw new Error(`${labelsFile.from}: ${labels.length} class names, expected ${pins.labels.lines}`);
  }

  const layers = decodeSqueezenetWeights(weights.data);
  const onnxBytes = squeezenetOnnx(layers, { weights_sha256: pins.weights.sha256 });
  const manifest: ModelManifest = {
    id: 'squeezenet1_0',
    name: 'SqueezeNet v1.0 (Deep Compression, ImageNet)',
    file: 'model.onnx',
    sha256: sha256(onnxBytes),
    source: 'github.com/songhan/SqueezeNet-Deep-Compression @ fb13faa2cf121ced9999f8a9d538ec6c56084733, decoded by cnn-lens',
    licence: 'BSD 2-Clause (SqueezeNet / Deep Compression authors); class names Apache-2.0 (google-coral/test_data)',
    citation: [
      'Iandola, Han, Moskewicz, Ashraf, Dally, Keutzer. SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size. arXiv:1602.07360, 2016.',
      'Han, Mao, Dally. Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding. ICLR 2016.',
    ],
    inputName: SQUEEZENET_INPUT,
    inputShape: ['N', 3, 227, 227],
    outputName: SQUEEZENET_OUTPUT,
    outputNeedsSoftmax: true,
    preprocess: {
      resizeShortSide: 256,
      cropWidth: 227,
      cropHeight: 227,
      channelOrder: 'BGR',
      scale: 1,
      mean: [104, 117, 123],
      std: [1, 1, 1],
    },
    labels,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.onnx'), onnxBytes);
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  writeFileSync(stampFile, stamp);
  const params = layers.reduce((n, l) => n + l.weights.length + l.bias.length, 0);
  console.log(
    `model: ${layers.length} conv layers, ${params} parameters decoded from ${weights.from} -> ${join(outDir, 'model.onnx')} ` +
      `(${(onnxBytes.byteLength / 1e6).toFixed(2)} MB) in ${(performance.now() - t0).toFixed(0)} ms`,
  );
}

main().catch((err: unknown) => {
  console.error(`npm run model: ${(err as Error).message}`);
  process.exit(1);
});
