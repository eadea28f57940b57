import { describe, expect, it } from 'vitest';
import { FrameScheduler, type SchedulerOps } from './frame-scheduler';

/** A promise settled by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A fake camera + engine: frames are numbers (the camera frame they show), every step is held until released. */
function rig(opts: { ready?: () => boolean } = {}) {
  let camera = 0;
  const captures: { frame: number; d: ReturnType<typeof deferred<number>> }[] = [];
  const runs: { frame: number; d: ReturnType<typeof deferred<string>> }[] = [];
  const processed: number[] = [];
  const discarded: number[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  let maxInEngine = 0;
  let inEngine = 0;
  const ops: SchedulerOps<number, string> = {
    canCapture: opts.ready ?? (() => true),
    capture: () => {
      const d = deferred<number>();
      captures.push({ frame: camera, d });
      return d.promise;
    },
    process: (f) => {
      processed.push(f);
      inEngine++;
      maxInEngine = Math.max(maxInEngine, inEngine);
      const d = deferred<string>();
      runs.push({ frame: f, d });
      return d.promise.finally(() => inEngine--);
    },
    discard: (f) => discarded.push(f),
    onResult: (r) => results.push(r),
    onError: (e) => errors.push(e.message),
  };
  const s = new FrameScheduler(ops);
  return {
    s,
    captures,
    runs,
    processed,
    discarded,
    results,
    errors,
    maxInEngine: () => maxInEngine,
    /** The camera shows a new frame. */
    tick() {
      camera++;
      s.frameAvailable();
    },
    /** Finishes the oldest capture still running (it returns the camera frame it started at). */
    async finishCapture() {
      const c = captures.find((x) => !('done' in x));
      if (!c) throw new Error('no capture running');
      Object.assign(c, { done: true });
      c.d.resolve(c.frame);
      await flush();
    },
    async finishRun() {
      const r = runs.find((x) => !('done' in x));
      if (!r) throw new Error('no run in flight');
      Object.assign(r, { done: true });
      r.d.resolve(`result ${r.frame}`);
      await flush();
    },
  };
}

describe('FrameScheduler', () => {
  it('captures the next frame while the engine runs the current one, one frame ahead at most', async () => {
    const r = rig();
    r.s.start();
    expect(r.captures).toHaveLength(1);
    await r.finishCapture(); // frame 0 -> engine
    expect(r.processed).toEqual([0]);
    r.tick(); // camera frame 1 while frame 0 runs: captured now, not after
    expect(r.captures).toHaveLength(2);
    await r.finishCapture();
    expect(r.s.waiting).toBe(1);
    expect(r.processed).toEqual([0]); // the engine takes one at a time
    await r.finishRun(); // frame 0 done: frame 1 starts at once
    expect(r.processed).toEqual([0, 1]);
    expect(r.results).toEqual(['result 0']);
    expect(r.s.waiting).toBe(0);
    expect(r.maxInEngine()).toBe(1);
  });

  it('newest frame wins: a waiting frame is replaced by a newer capture and never processed', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture(); // frame 0 runs
    r.tick();
    await r.finishCapture(); // frame 1 waits
    r.tick();
    r.tick(); // frames 2 and 3 arrive while 2 is being captured: one capture at a time
    expect(r.captures).toHaveLength(3);
    expect(r.captures[2].frame).toBe(2);
    await r.finishCapture(); // 2 replaces 1, and 3 is captured at once
    expect(r.discarded).toEqual([1]);
    expect(r.captures[3].frame).toBe(3);
    await r.finishCapture();
    expect(r.discarded).toEqual([1, 2]);
    await r.finishRun();
    expect(r.processed).toEqual([0, 3]);
    expect(r.s.stats).toEqual({ captured: 4, processed: 1, discarded: 2 });
  });

  it('processes no frame twice and captures nothing new when the camera has no new frame', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    await r.finishRun(); // frame 0 done; the camera is still on frame 0
    expect(r.captures).toHaveLength(1);
    expect(r.processed).toEqual([0]);
    r.tick();
    await r.finishCapture();
    await r.finishRun();
    expect(r.processed).toEqual([0, 1]);
    expect(new Set(r.processed).size).toBe(r.processed.length);
  });

  it('keeps at most one capture in flight however fast the camera is', async () => {
    const r = rig();
    r.s.start();
    for (let i = 0; i < 5; i++) r.tick();
    expect(r.captures).toHaveLength(1);
    await r.finishCapture(); // started at frame 0; it goes straight to the engine
    expect(r.captures).toHaveLength(2); // then the newest (5) is captured to wait
    expect(r.captures[1].frame).toBe(5);
  });

  it('bounds latency: a result is never more than one engine step behind the frame it waits on', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    // Simulate a long stream: 3 camera frames per engine step.
    for (let step = 0; step < 6; step++) {
      r.tick();
      r.tick();
      r.tick();
      while (r.captures.some((c) => !('done' in c))) await r.finishCapture();
      await r.finishRun();
    }
    // Each processed frame was the newest captured while the previous one ran.
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

  it('stops cleanly: frees the waiting frame and a late capture, reports nothing after stop, resolves when idle', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture(); // frame 0 runs
    r.tick();
    await r.finishCapture(); // frame 1 waits
    r.tick(); // a capture of frame 2 is running
    let stopped = false;
    const stopping = r.s.stop().then(() => (stopped = true));
    expect(r.discarded).toEqual([1]);
    await flush();
    expect(stopped).toBe(false); // the engine and the capture are still busy
    await r.finishCapture();
    expect(r.discarded).toEqual([1, 2]);
    await r.finishRun();
    await stopping;
    expect(stopped).toBe(true);
    expect(r.results).toEqual([]);
    expect(r.processed).toEqual([0]);
    r.tick();
    expect(r.captures).toHaveLength(3); // nothing new after stop
  });

  it('reports an engine error and goes on with the next frame', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture();
    r.tick();
    await r.finishCapture();
    r.runs[0].d.reject(new Error('boom'));
    Object.assign(r.runs[0], { done: true });
    await flush();
    expect(r.errors).toEqual(['boom']);
    expect(r.processed).toEqual([0, 1]);
  });
});
