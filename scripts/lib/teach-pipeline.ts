// The command-line teaching pipeline (npm run teach), with the app's own code: photos are decoded
// and preprocessed as in classify, embedded by onnxruntime-web through the embedding-output
// model (one run gives scores and embedding), the head is trained by src/teach/train-head.ts and
// tested on the photos that were not picked as examples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { createRng } from '../../src/model/seeded-rng.js';
import type { PreprocessSpec } from '../../src/model/manifest.js';
import { preprocess } from '../../src/preprocess/preprocess.js';
import { classKey, type TeachClass } from '../../src/teach/classes.js';
import { withEmbeddingOutput } from '../../src/teach/embedding-output.js';
import { heldOutCheck, shuffled, type HeldOutReport } from '../../src/teach/held-out.js';
import { predictHead, trainHead, type HeadOptions, type TrainedHead } from '../../src/teach/train-head.js';
import { decodeImage } from './decode-image.js';

export interface LabelledPhoto {
  file: string;
  className: string;
}

/** A CSV of `file,class[,...]` rows; a first row whose first cell is "file" (or "path") is a header. */
export function readLabelsCsv(text: string, csvName = 'labels CSV'): LabelledPhoto[] {
  const rows = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).filter(Boolean);
  if (rows.length && /^(file|filename|path|image)$/i.test(rows[0].split(',')[0].trim())) rows.shift();
  if (rows.length === 0) throw new Error(`${csvName} lists no photos`);
  return rows.map((row, i) => {
    const [file, className] = row.split(',').map((c) => c.trim());
    if (!file || !className) throw new Error(`${csvName} row ${i + 1} ("${row}") needs a file and a class name`);
    return { file, className };
  });
}

export interface ShotSplit {
  classes: string[];
  /** Per class (in `classes` order) the photos used as examples. */
  examples: LabelledPhoto[][];
  /** Every other photo, in CSV order. */
  test: LabelledPhoto[];
}

/** Picks `shots` photos per class with a seeded shuffle; classes in order of first appearance. */
export function splitShots(photos: LabelledPhoto[], shots: number, seed: number): ShotSplit {
  if (!Number.isInteger(shots) || shots < 1) throw new Error(`--shots must be a whole number of at least 1, got ${shots}`);
  const byClass = new Map<string, LabelledPhoto[]>();
  const names = new Map<string, string>();
  for (const p of photos) {
    const key = classKey(p.className);
    if (!byClass.has(key)) {
      byClass.set(key, []);
      names.set(key, p.className);
    }
    byClass.get(key)!.push(p);
  }
  const rng = createRng(seed);
  const chosen = new Set<LabelledPhoto>();
  const examples: LabelledPhoto[][] = [];
  for (const [key, list] of byClass) {
    if (list.length < shots) throw new Error(`class "${names.get(key)}" has ${list.length} photo(s), fewer than --shots ${shots}`);
    const pick = shuffled(list.length, rng).slice(0, shots).map((i) => list[i]);
    pick.forEach((p) => chosen.add(p));
    examples.push(pick);
  }
  return { classes: [...names.values()], examples, test: photos.filter((p) => !chosen.has(p)) };
}

/** Embeds photos with one onnxruntime session on the embedding-output model. */
export class PhotoEmbedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    private readonly embeddingOutput: string,
    private readonly spec: PreprocessSpec,
    readonly dim: number,
  ) {}

  static async create(modelBytes: Uint8Array, spec: PreprocessSpec, threads = 1): Promise<PhotoEmbedder> {
    const model = withEmbeddingOutput(modelBytes);
    ort.env.wasm.numThreads = threads;
    const session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    return new PhotoEmbedder(session, session.inputNames[0], model.embeddingOutput, spec, model.info.dim);
  }

  async embed(path: string): Promise<Float32Array> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    let input: Float32Array;
    try {
      input = preprocess(decodeImage(bytes), this.spec);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`);
    }
    const tensor = new ort.Tensor('float32', input, [1, 3, this.spec.cropHeight, this.spec.cropWidth]);
    const out = await this.session.run({ [this.inputName]: tensor });
    tensor.dispose();
    const embedding = new Float32Array(out[this.embeddingOutput].data as Float32Array);
    for (const t of Object.values(out)) t.dispose();
    return embedding;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export interface TeachRun {
  shots: number;
  classes: string[];
  head: TrainedHead;
  /** The examples as TeachClasses (what an export stores). */
  examples: TeachClass[];
  heldOut: HeldOutReport | null;
  /** On the photos not used as examples: accuracy of the most probable class. */
  accuracy: number;
  tested: number;
  perClass: { name: string; correct: number; total: number }[];
  /** Share of test photos under the unknown threshold. */
  unknownRate: number;
  trainMs: number;
}

/** Trains on `shots` photos per class and tests on the rest; `embeddings` maps photo file -> embedding. */
export function teachAndTest(photos: LabelledPhoto[], embeddings: Map<string, Float32Array>, shots: number, seed: number, options: HeadOptions = {}): TeachRun {
  const split = splitShots(photos, shots, seed);
  const examples: TeachClass[] = split.classes.map((name, c) => ({ name, embeddings: split.examples[c].map((p) => embeddings.get(p.file)!) }));
  const t0 = performance.now();
  const head = trainHead(examples, options);
  const trainMs = performance.now() - t0;
  const heldOut = heldOutCheck(examples, { ...options, seed });
  const perClass = split.classes.map((name) => ({ name, correct: 0, total: 0 }));
  let unknown = 0;
  for (const p of split.test) {
    const truth = split.classes.findIndex((c) => classKey(c) === classKey(p.className));
    const prediction = predictHead(head, embeddings.get(p.file)!);
    perClass[truth].total++;
    if (prediction.best === truth) perClass[truth].correct++;
    if (prediction.label === null) unknown++;
  }
  const correct = perClass.reduce((a, c) => a + c.correct, 0);
  const tested = split.test.length;
  return { shots, classes: split.classes, head, examples, heldOut, accuracy: tested ? correct / tested : NaN, tested, perClass, unknownRate: tested ? unknown / tested : 0, trainMs };
}

/** Embeds every photo of the CSV (paths relative to `imagesDir`). */
export async function embedAll(embedder: PhotoEmbedder, photos: LabelledPhoto[], imagesDir: string): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const p of photos) out.set(p.file, await embedder.embed(join(imagesDir, p.file)));
  return out;
}
