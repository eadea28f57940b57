// `npm run eval`'s refusals: each bad argument is named before any browser or server starts. The
// run itself (both models through the app) is e2e/eval-cli.spec.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from './helpers/run-script.js';

function csv(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eval-args-'));
  const file = join(dir, 'labels.csv');
  writeFileSync(file, text);
  return { dir, file };
}

const GOOD = 'file,wnid,imagenet_index\nn01440764/a.JPEG,n01440764,0\nn01440764/b.JPEG,n01440764,0\n';

describe('npm run eval refuses bad arguments with a message that names them', () => {
  it.each([
    [['--model', 'mobilenet_v2', '--compare', 'mobilenet_v2'], '--compare names the model being evaluated (mobilenet_v2); name the other one'],
    [['--compare', 'resnet50'], '--compare must be a bundled model (squeezenet1_0, mobilenet_v2), not "resnet50"'],
    [['--model', 'alexnet'], '--model must be a bundled model (squeezenet1_0, mobilenet_v2), not "alexnet"'],
    [['--limit', '0'], '--limit must be a positive whole number, not "0"'],
    [['--backend', 'cuda'], '--backend must be wasm or webgpu, not cuda'],
  ])('%j', async (args, message) => {
    const { dir, file } = csv(GOOD);
    const r = await runScript('eval.ts', ['--images', dir, '--labels', file, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(message);
  });

  it('names a missing labels file, a bad class index with its line, and photos that are not there', async () => {
    const { dir, file } = csv(GOOD);
    const missing = await runScript('eval.ts', ['--images', dir, '--labels', join(dir, 'nope.csv')]);
    expect(missing.stderr.trim()).toBe(`--labels: no file ${join(dir, 'nope.csv')}`);
    const bad = csv('file,wnid,imagenet_index\na.JPEG,n01440764,0\nb.JPEG,n01440764,1000\n');
    const index = await runScript('eval.ts', ['--images', bad.dir, '--labels', bad.file]);
    expect(index.stderr.trim()).toBe(`${bad.file}, line 3: imagenet_index must be a whole number from 0 to 999, found "1000"`);
    const photos = await runScript('eval.ts', ['--images', dir, '--labels', file]);
    expect(photos.code).toBe(1);
    expect(photos.stderr.trim()).toBe(`2 of the 2 photos the labels name are not in ${dir}: n01440764/a.JPEG, n01440764/b.JPEG`);
    const usage = await runScript('eval.ts', ['--images', dir]);
    expect(usage.stderr).toContain('usage: npm run eval -- --images DIR --labels CSV');
  }, 60_000);
});
