// npm run model [-- --model squeezenet1_0|mobilenet_v2|all] [--weights PATH] [--tflite PATH]
//                  [--labels PATH] [--out DIR] [--if-stale]
// Builds the app's models into public/models/<id>/ (model.onnx + manifest.json):
// - squeezenet1_0: decodes the Deep Compression SqueezeNet weights;
// - mobilenet_v2: converts the quantized TensorFlow Lite MobileNetV2 with our own TFLite reader.
// --out DIR writes one model (SqueezeNet unless --model names another) to DIR. With --if-stale a
// model whose outputs are up to date (same pins, same generating code) is skipped.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelManifest } from '../src/model/manifest.js';
import { MOBILENET_V2_ID, MOBILENET_V2_PREPROCESS, mobilenetV2Labels, mobilenetV2Onnx } from '../src/model/mobilenet-v2.js';
import { decodeSqueezenetWeights } from '../src/model/squeezenet.js';
import { SQUEEZENET_INPUT, SQUEEZENET_OUTPUT, squeezenetOnnx } from '../src/model/squeezenet-onnx.js';
import { resolvePinned, sha256, type PinnedFile } from './fetch-pinned.js';
import { MODEL_SOURCES_FILE, ROOT, modelDir } from './lib/paths.js';

/** Code shared by every model's output; each model adds its own generator files. */
const COMMON_FILES = ['src/model/onnx-write.ts', 'src/model/generated/onnx-pb.js', 'src/model/manifest.ts', 'scripts/build-model.ts', 'scripts/fetch-pinned.ts'];

type Flags = { weights?: string; tflite?: string; labels?: string };

interface Built {
  onnx: Uint8Array;
  manifest: Omit<ModelManifest, 'sha256'>;
  summary: string;
}

interface ModelRecipe {
  id: string;
  /** The code that shapes the output; other files (tests, readers, other models) do not matter. */
  files: string[];
  pins: object;
  build(flags: Flags): Promise<Built>;
}

interface Pins {
  squeezenet1_0: { weights: PinnedFile; labels: PinnedFile & { lines: number } };
  mobilenet_v2: { tflite: PinnedFile };
}

async function imagenetLabels(pins: Pins, flags: Flags): Promise<string[]> {
  const pin = pins.squeezenet1_0.labels;
  const file = await resolvePinned(pin, flags.labels ?? process.env.CNN_LENS_LABELS, 'CNN_LENS_LABELS');
  const labels = new TextDecoder().decode(file.data).split('\n').filter((l) => l.length > 0);
  if (labels.length !== pin.lines) throw new Error(`${file.from}: ${labels.length} class names, expected ${pin.lines}`);
  return labels;
}

function recipes(pins: Pins): ModelRecipe[] {
  const labelsPin = pins.squeezenet1_0.labels;
  return [
    {
      id: 'squeezenet1_0',
      files: ['src/model/squeezenet.ts', 'src/model/squeezenet-onnx.ts'],
      pins: pins.squeezenet1_0,
      async build(flags) {
        const weights = await resolvePinned(pins.squeezenet1_0.weights, flags.weights ?? process.env.CNN_LENS_WEIGHTS, 'CNN_LENS_WEIGHTS');
        const labels = await imagenetLabels(pins, flags);
        const layers = decodeSqueezenetWeights(weights.data);
        const params = layers.reduce((n, l) => n + l.weights.length + l.bias.length, 0);
        return {
          onnx: squeezenetOnnx(layers, { weights_sha256: pins.squeezenet1_0.weights.sha256 }),
          summary: `${layers.length} conv layers, ${params} parameters decoded from ${weights.from}`,
          manifest: {
            id: 'squeezenet1_0',
            name: 'SqueezeNet v1.0 (Deep Compression, ImageNet)',
            file: 'model.onnx',
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
          },
        };
      },
    },
    {
      id: MOBILENET_V2_ID,
      files: ['src/model/mobilenet-v2.ts', 'src/model/tflite/read-tflite.ts', 'src/model/tflite/tflite-to-onnx.ts', 'src/model/quantization.ts'],
      pins: { ...pins.mobilenet_v2, labels: labelsPin },
      async build(flags) {
        const tflite = await resolvePinned(pins.mobilenet_v2.tflite, flags.tflite ?? process.env.CNN_LENS_TFLITE, 'CNN_LENS_TFLITE');
        const labels = mobilenetV2Labels(await imagenetLabels(pins, flags));
        const converted = mobilenetV2Onnx(tflite.data, { tflite_sha256: pins.mobilenet_v2.tflite.sha256 });
        const [, c, h, w] = converted.inputShape;
        if (c !== 3) throw new Error(`MobileNetV2 input has ${c} channels, expected 3`);
        return {
          onnx: converted.bytes,
          summary: `${converted.nodeNames.length} nodes, ${converted.parameters} parameters converted from ${tflite.from}`,
          manifest: {
            id: MOBILENET_V2_ID,
            name: 'MobileNetV2 1.0 224 (quantized TensorFlow Lite, ImageNet)',
            file: 'model.onnx',
            source: 'github.com/google-coral/test_data @ 104342d2d3480b3e66203073dac24f4e2dbb4c41 mobilenet_v2_1.0_224_quant.tflite, converted by cnn-lens',
            licence: 'Apache-2.0 (google-coral/test_data); class names Apache-2.0 (google-coral/test_data)',
            citation: ['Sandler, Howard, Zhu, Zhmoginov, Chen. MobileNetV2: Inverted Residuals and Linear Bottlenecks. CVPR 2018, arXiv:1801.04381.'],
            inputName: converted.inputName,
            inputShape: ['N', 3, h, w],
            outputName: converted.outputName,
            outputNeedsSoftmax: !converted.endsInSoftmax,
            imagenetOffset: 1,
            preprocess: MOBILENET_V2_PREPROCESS,
            labels,
          },
        };
      },
    },
  ];
}

/** A hash of every input that shapes one model's output: its pins and the code that writes it. */
function buildStamp(recipe: ModelRecipe): string {
  const h = createHash('sha256').update(JSON.stringify(recipe.pins));
  for (const f of [...COMMON_FILES, ...recipe.files]) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest('hex');
}

function upToDate(outDir: string, stamp: string): boolean {
  const stampFile = join(outDir, '.stamp');
  return existsSync(join(outDir, 'model.onnx')) && existsSync(join(outDir, 'manifest.json')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      weights: { type: 'string' },
      tflite: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      'if-stale': { type: 'boolean', default: false },
    },
  });
  const pins = JSON.parse(readFileSync(MODEL_SOURCES_FILE, 'utf8')) as Pins;
  const all = recipes(pins);
  const wanted = values.model ?? (values.out ? 'squeezenet1_0' : 'all');
  const chosen = wanted === 'all' ? all : all.filter((r) => r.id === wanted);
  if (chosen.length === 0) throw new Error(`--model must be one of ${all.map((r) => r.id).join(', ')} or all, not "${wanted}"`);
  if (values.out && chosen.length > 1) throw new Error('--out writes one model: name it with --model');
  for (const recipe of chosen) {
    const outDir = resolve(values.out ?? modelDir(recipe.id));
    const stamp = buildStamp(recipe);
    if (values['if-stale'] && upToDate(outDir, stamp)) continue;
    const t0 = performance.now();
    const built = await recipe.build(values);
    const manifest: ModelManifest = { ...built.manifest, sha256: sha256(built.onnx) };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'model.onnx'), built.onnx);
    writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    writeFileSync(join(outDir, '.stamp'), stamp);
    console.log(
      `model ${recipe.id}: ${built.summary} -> ${join(outDir, 'model.onnx')} (${(built.onnx.byteLength / 1e6).toFixed(2)} MB) in ${(performance.now() - t0).toFixed(0)} ms`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(`npm run model: ${(err as Error).message}`);
  process.exit(1);
});
