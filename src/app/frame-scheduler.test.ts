// The live loop's schedule against the worker's real job order (JobSlot), with every capture and
// every engine run held until the test releases it.
import { describe, expect, it } from 'vitest';
import { JobSlot } from '../engine/frame-slot';
import { FrameScheduler } from './frame-scheduler';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending continuation run, including the slot's one event-loop turn between frames. */
const flush = async () => {
  for (let turn = 0; turn < 3; turn++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

type Job = { frame: number; answer: (r: string | null) => void };

/** A fake camera (frames are numbers) and an engine ordered by the worker's JobSlot. */
function rig(opts: { ready?: () => boolean } = {}) {
  let camera = 0;
  const captures: { frame: number; d: ReturnType<typeof deferred<number>>; done?: boolean }[] = [];
  const runs: { frame: number; d: ReturnType<typeof deferred<void>>; done?: boolean }[] = [];
  const processed: number[] = [];
  const discarded: number[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  let running = 0;
  let maxRunning = 0;
  let failNext = false;
  const slot = new JobSlot<Job>(
    async (job) => {
      processed.push(job.frame);
      running++;
      maxRunning = Math.max(maxRunning, running);
      const d = deferred<void>();
      runs.push({ frame: job.frame, d });
      try {
        await d.promise;
        job.answer(`result ${job.frame}`);
      } catch {
        job.answer('error');
      } finally {
        running--;
      }
    },
    (job) => job.answer(null),
  );
  const s = new FrameScheduler<number, string>({
    canCapture: opts.ready ?? (() => true),
    capture: () => {
      const d = deferred<number>();
      captures.push({ frame: camera, d });
      return d.promise;
    },
    process: (frame) =>
      new Promise<string | null>((resolve, reject) => {
        slot.pushFrame({ frame, answer: (r) => (r === 'error' ? reject(new Error(`engine failed on ${frame}`)) : resolve(r)) });
      }),
    discard: (f) => discarded.push(f),
    onResult: (r) => results.push(r),
    onError: (e) => errors.push(e.message),
  });
  return {
    s,
    slot,
    captures,
    runs,
    processed,
    discarded,
    results,
    errors,
    maxRunning: () => maxRunning,
    failNextRun: () => (failNext = true),
    tick() {
      camera++;
      s.frameAvailable();
    },
    async finishCapture() {
      const c = captures.find((x) => !x.done);
      if (!c) throw new Error('no capture running');
      c.done = true;
      c.d.resolve(c.frame);
      await flush();
    },
    async finishRun() {
      const r = runs.find((x) => !x.done);
      if (!r) throw new Error('no run in flight');
      r.done = true;
      if (failNext) {
        failNext = false;
        r.d.reject(new Error('x'));
      } else r.d.resolve();
      await flush();
    },
  };
}

describe('FrameScheduler with the worker job order', () => {
  it('captures and sends frame n+1 while frame n runs, so the engine starts it without a round trip', async () => {
    const r = rig();
    r.s.start();
    expect(r.captures).toHaveLength(1);
    await r.finishCapture(); // frame 0 runs
    expect(r.processed).toEqual([0]);
    r.tick(); // camera frame 1 while 0 runs: captured now and sent
    await r.finishCapture();
    expect(r.slot.waiting).toBe(true);
    expect(r.s.inFlight).toBe(2);
    expect(r.processed).toEqual([0]);
    await r.finishRun(); // 0 done: 1 starts in the same turn, before the page sees 0's result
    expect(r.processed).toEqual([0, 1]);
    expect(r.results).toEqual(['result 0']);
    expect(r.maxRunning()).toBe(1);
  });

  it('newest frame wins: a waiting frame is replaced by a newer one and never processed', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture(); // 0 runs
    r.tick();
    await r.finishCapture(); // 1 waits
    r.tick();
    r.tick(); // 2 and 3 while 2 is captured: one capture at a time, then the newest
    expect(r.captures.map((c) => c.frame)).toEqual([0, 1, 2]);
    await r.finishCapture(); // 2 replaces 1
    expect(r.captures.map((c) => c.frame)).toEqual([0, 1, 2, 3]);
    await r.finishCapture(); // 3 replaces 2
    await r.finishRun();
    await r.finishRun();
    expect(r.processed).toEqual([0, 3]);
    expect(r.results).toEqual(['result 0', 'result 3']);
    expect(r.s.stats).toEqual({ captured: 4, processed: 2, dropped: 2 });
    expect(r.slot.stats).toEqual({ ran: 2, dropped: 2 });
  });

  it('processes no frame twice and captures nothing when the camera has no new frame', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    await r.finishRun();
    expect(r.captures).toHaveLength(1);
    r.tick();
    await r.finishCapture();
    await r.finishRun();
    expect(r.processed).toEqual([0, 1]);
    expect(r.s.inFlight).toBe(0);
  });

  it('keeps latency bounded on a long stream: the engine never holds more than one waiting frame', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    let maxInFlight = 0;
    for (let step = 0; step < 8; step++) {
      for (let k = 0; k < 3; k++) {
        r.tick();
        while (r.captures.some((c) => !c.done)) await r.finishCapture();
        maxInFlight = Math.max(maxInFlight, r.s.inFlight);
      }
      await r.finishRun();
    }
    expect(maxInFlight).toBe(2);
    expect(r.maxRunning()).toBe(1);
    // Each frame run is the newest the camera had when the one before finished: 3 frames apart.
    const gaps = r.processed.slice(1).map((f, i) => f - r.processed[i]);
    expect(gaps.every((g) => g === 3)).toBe(true);
  });

  it('waits for the video to have data before capturing', async () => {
    let ready = false;
    const r = rig({ ready: () => ready });
    r.s.start();
    expect(r.captures).toHaveLength(0);
    ready = true;
    r.tick();
    expect(r.captures).toHaveLength(1);
  });

  it('stops cleanly: frees a late capture, delivers nothing after stop, resolves when every frame is answered', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture(); // 0 runs
    r.tick();
    await r.finishCapture(); // 1 waits at the engine
    r.tick(); // a capture of 2 is running
    let stopped = false;
    const stopping = r.s.stop().then(() => (stopped = true));
    await r.finishCapture();
    expect(r.discarded).toEqual([2]);
    await r.finishRun();
    expect(stopped).toBe(false); // frame 1 still runs
    await r.finishRun();
    await stopping;
    expect(stopped).toBe(true);
    expect(r.results).toEqual([]);
    r.tick();
    expect(r.captures).toHaveLength(3);
  });

  it('reports an engine error and goes on with the next frame', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    r.tick();
    await r.finishCapture();
    r.failNextRun();
    await r.finishRun();
    expect(r.errors).toEqual(['engine failed on 0']);
    expect(r.processed).toEqual([0, 1]);
  });
});
