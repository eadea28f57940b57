// `npm run eval` with --compare: both bundled models through the app in headless Chromium over the
// same photos, each one's accuracy, and the paired comparison whose figures must agree with them.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { devPhotosDir, devPhotosMissingReason } from '../scripts/lib/dev-photos';
import { runScript } from '../tests/helpers/run-script';

const num = (s: string | undefined) => Number(s);

test('eval --model mobilenet_v2 --compare squeezenet1_0 prints both accuracies and a paired difference that agrees with them', async () => {
  const dir = devPhotosDir();
  test.skip(!dir, devPhotosMissingReason());
  test.setTimeout(240_000);
  const r = await runScript('eval.ts', ['--images', dir!, '--labels', join(dir!, 'labels.csv'), '--model', 'mobilenet_v2', '--compare', 'squeezenet1_0', '--limit', '20']);
  expect(r.stderr).not.toMatch(/could not|error/i);
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');

  // The run ends with the evaluated model's own line, as without --compare.
  const own = /^top1=(0\.\d{4}|1\.0000) top5=(0\.\d{4}|1\.0000) n=20$/.exec(lines.at(-1)!);
  expect(own, lines.at(-1)).not.toBeNull();
  const other = /^squeezenet1_0: top1=(\S+) top5=(\S+) n=20$/m.exec(r.stdout);
  expect(other).not.toBeNull();
  // The first 20 rows are all tench: one class row per model.
  expect(r.stdout.match(/^tench {24}0 {3}20 /gm)).toHaveLength(2);
  expect(r.stdout).toContain('model squeezenet1_0, backend wasm, 20 images');
  expect(r.stdout).toContain('model mobilenet_v2, backend wasm, 20 images');

  for (const [metric, a, b] of [['top1', own![1], other![1]], ['top5', own![2], other![2]]] as const) {
    const at = lines.findIndex((l) => l.startsWith(`  ${metric}: `));
    expect(at, metric).toBeGreaterThan(0);
    const m = /^ {2}top[15]: ([\d.]+) % vs ([\d.]+) %, difference ([+-][\d.]+) points, 95 % bootstrap interval ([+-][\d.]+) to ([+-][\d.]+)$/.exec(lines[at]);
    expect(m, lines[at]).not.toBeNull();
    expect(num(m![1])).toBeCloseTo(100 * num(a), 6);
    expect(num(m![2])).toBeCloseTo(100 * num(b), 6);
    const diff = num(m![3]);
    expect(diff).toBeCloseTo(100 * (num(a) - num(b)), 6);
    expect(num(m![4])).toBeLessThanOrEqual(diff);
    expect(num(m![5])).toBeGreaterThanOrEqual(diff);
    const d = /right only with mobilenet_v2: (\d+), only with squeezenet1_0: (\d+) \(exact McNemar test: p = ([\d.e+-]+)\)$/.exec(lines[at + 1]);
    expect(d, lines[at + 1]).not.toBeNull();
    // Each photo right only with one model moves the difference by 1/20 = 5 points.
    expect((num(d![1]) - num(d![2])) * 5).toBeCloseTo(diff, 6);
    expect(num(d![3])).toBeGreaterThan(0);
    expect(num(d![3])).toBeLessThanOrEqual(1);
  }
  // MobileNetV2 is the better model on tench photos too (measured 90 % vs 80 % top-1).
  expect(num(own![1])).toBeGreaterThanOrEqual(0.8);
});
