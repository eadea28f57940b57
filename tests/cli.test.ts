// The command-line tools, run as a user runs them.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { onnx } from '../src/model/generated/onnx-pb.js';
import { DEV_PHOTOS_DIR, HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL, NO_DEV_PHOTOS, NO_WEIGHTS, WEIGHTS_FILE } from './helpers/data.js';
import { runScript } from './helpers/run-script.js';

const CHURCH = join(DEV_PHOTOS_DIR ?? '', 'n03028079/ILSVRC2012_val_00004912.JPEG');
const WEIGHTS = WEIGHTS_FILE ?? '';


describe('npm run classify', () => {
  beforeEach(({ skip }) => {
    skip(!HAS_DEFAULT_MODEL, NO_DEFAULT_MODEL);
    skip(!DEV_PHOTOS_DIR, NO_DEV_PHOTOS);
  });

  it('prints church first for a dev photo of a church, and errors per bad file with a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'classify-'));
    writeFileSync(join(dir, 'empty.jpg'), '');
    writeFileSync(join(dir, 'notes.png'), 'not an image at all');
    const r = await runScript('classify.ts', [CHURCH, join(dir, 'missing.jpg'), join(dir, 'empty.jpg'), join(dir, 'notes.png')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(CHURCH);
    expect(lines[1]).toMatch(/^\s+\d+\.\d\d%\s+church\s+\(497: church, church building\)$/);
    expect(lines.filter((l) => l.includes('%'))).toHaveLength(5);
    expect(r.stderr).toContain('missing.jpg: error: no such file');
    expect(r.stderr).toContain('empty.jpg: error: empty file (0 bytes)');
    expect(r.stderr).toContain('notes.png: error: not a JPEG or PNG image');
  });

  it('prints one JSON object per file with --json', async () => {
    const r = await runScript('classify.ts', ['--json', '--top', '3', CHURCH]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout.trim()) as { file: string; top: { index: number; probability: number }[] };
    expect(parsed.top.map((p) => p.index)[0]).toBe(497);
    expect(parsed.top).toHaveLength(3);
    expect(parsed.top[0].probability).toBeGreaterThan(parsed.top[1].probability);
  });
});

describe('npm run model', () => {
  beforeEach(({ skip }) => skip(!WEIGHTS_FILE, NO_WEIGHTS));

  it('writes a valid ONNX model and manifest to --out', async () => {
    const out = mkdtempSync(join(tmpdir(), 'model-'));
    const r = await runScript('build-model.ts', ['--out', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/26 conv layers, 1248424 parameters/);
    const model = onnx.ModelProto.decode(readFileSync(join(out, 'model.onnx')));
    expect(Number(model.opsetImport[0].version)).toBeGreaterThanOrEqual(13);
    const g = model.graph as onnx.GraphProto;
    expect(g.input[0].name).toBe('data');
    expect(g.input[0].type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 3, 227, 227]);
    expect(g.output[0].name).toBe('logits');
    expect(g.node.map((n) => n.name)).toEqual(expect.arrayContaining(['conv1', 'fire2/squeeze1x1', 'fire2/expand1x1', 'fire2/expand3x3', 'fire9/concat', 'conv10']));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.preprocess).toEqual({ resizeShortSide: 256, cropWidth: 227, cropHeight: 227, channelOrder: 'BGR', scale: 1, mean: [104, 117, 123], std: [1, 1, 1] });
    expect(manifest.labels).toHaveLength(1000);
    expect(manifest.labels[497]).toBe('church, church building');
  });

  it('refuses a weight file whose sha256 does not match, and says what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weights-'));
    const bad = join(dir, 'compressed_SqueezeNet.net');
    copyFileSync(WEIGHTS, bad);
    const bytes = readFileSync(bad);
    bytes[1000] ^= 0xff;
    writeFileSync(bad, bytes);
    const r = await runScript('build-model.ts', ['--out', dir], { CNN_LENS_WEIGHTS: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sha256 [0-9a-f]{64} does not match the pinned e4ab6960/);
    expect(r.stderr).toContain('Point CNN_LENS_WEIGHTS at the original');
  });

  it('refuses a truncated weight file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weights-'));
    const cut = join(dir, 'cut.net');
    writeFileSync(cut, readFileSync(WEIGHTS).subarray(0, 4096));
    const r = await runScript('build-model.ts', ['--weights', cut, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('4096 bytes, expected 675763 (truncated or a different file)');
  });
});

describe('npm run model without its inputs', () => {
  it('names a missing explicit path', async () => {
    const r = await runScript('build-model.ts', ['--weights', '/nonexistent/w.net', '--out', tmpdir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/w.net (given by flag or CNN_LENS_WEIGHTS) does not exist');
  });

  it('names the file, its pinned URL and the variable when there is no shared folder, no cache and no network', async () => {
    const r = await runScript('build-model.ts', ['--out', mkdtempSync(join(tmpdir(), 'model-'))], {
      CNN_LENS_SHARED: '/nonexistent',
      CNN_LENS_CACHE: mkdtempSync(join(tmpdir(), 'empty-cache-')),
      CNN_LENS_OFFLINE: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('compressed_SqueezeNet.net is not in /nonexistent/models/squeezenet1_0-deep-compression');
    expect(r.stderr).toContain('downloading https://raw.githubusercontent.com/songhan/SqueezeNet-Deep-Compression/fb13faa2cf121ced9999f8a9d538ec6c56084733/compressed_SqueezeNet.net failed');
    expect(r.stderr).toContain('CNN_LENS_WEIGHTS=/path/to/compressed_SqueezeNet.net');
  });
});
