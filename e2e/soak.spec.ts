// A one-minute soak in CI: the live camera loop must not leak JS heap (page or inference worker)
// or onnxruntime tensors. The long run is `npm run soak -- --minutes N` (scripts/soak.ts).
import { expect, test } from '@playwright/test';
import { runSoak } from '../scripts/soak';

const MB = 1024 * 1024;
/** At most two tensors (one frame's input and output) are alive while a frame is in flight. */
const IN_FLIGHT = 2;

test('60 s of live camera classification: bounded heap, every tensor released, no CSP violation', async ({ baseURL }) => {
  test.setTimeout(300_000);
  const lines: string[] = [];
  const r = await runSoak({ url: baseURL!, seconds: 60, log: (l) => lines.push(l) });
  test.info().annotations.push({ type: 'soak', description: lines.join('\n') });
  console.log(lines.join('\n'));

  expect(r.frames).toBeGreaterThan(30);
  // Every bucket made progress: the loop never stalled.
  for (const b of r.buckets) expect(b.frames, `frames in the bucket ending at ${b.t} s`).toBeGreaterThan(0);

  expect(r.heapEnd.page).toBeLessThan(r.heapStart.page + 30 * MB);
  expect(r.heapStart.worker, 'the inference worker was measured').not.toBeNull();
  expect(r.heapEnd.worker!).toBeLessThan(r.heapStart.worker! + 30 * MB);

  expect(r.tensorsEnd).not.toBeNull();
  const { created, released } = r.tensorsEnd!;
  expect(created - r.tensorsStart!.created).toBeGreaterThanOrEqual(2 * r.frames);
  expect(created - released).toBeGreaterThanOrEqual(0);
  expect(created - released).toBeLessThanOrEqual(IN_FLIGHT);

  expect(r.cspViolations).toEqual([]);
  expect(r.pageErrors).toEqual([]);
});
