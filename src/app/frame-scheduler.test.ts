// The live loop's schedule against the worker's real job order (JobSlot), with every capture and
// every engine run held until the test releases it, on a fake clock the test moves.
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
  let clock = 0;
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
    now: () => clock,
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
    /** Moves the fake clock to t ms. */
    at(t: number) {
      clock = t;
    },
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

  it('captures nothing while one frame runs and one waits; the newest is captured once the waiting one starts', async () => {
    const r = rig();
    r.s.start();
    await r.finishCapture(); // 0 runs
    r.tick();
    await r.finishCapture(); // 1 waits
    r.tick();
    r.tick(); // 2 and 3: the engine holds two frames, so no capture (it would only replace 1)
    expect(r.captures.map((c) => c.frame)).toEqual([0, 1]);
    await r.finishRun(); // 0 done, 1 starts: the camera's newest frame (3) is captured
    expect(r.captures.map((c) => c.frame)).toEqual([0, 1, 3]);
    await r.finishCapture();
    await r.finishRun();
    await r.finishRun();
    expect(r.processed).toEqual([0, 1, 3]);
    expect(r.results).toEqual(['result 0', 'result 1', 'result 3']);
    expect(r.s.stats).toEqual({ captured: 3, processed: 3, dropped: 0 });
    expect(r.slot.stats).toEqual({ ran: 3, dropped: 0 });
  });

  it('a frame sent while another waits still replaces it in the engine (newest wins there too)', async () => {
    const r = rig();
    const answers: (string | null)[] = [];
    const push = (frame: number) => r.slot.pushFrame({ frame, answer: (a) => answers.push(a) });
    push(10); // runs
    push(11); // waits
    push(12); // replaces 11
    await flush();
    expect(answers).toEqual([null]);
    await r.finishRun();
    await r.finishRun();
    expect(r.processed).toEqual([10, 12]);
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

  it('keeps latency bounded on a long stream: the engine never holds more than one waiting frame, and none is wasted', async () => {
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
    expect(r.s.stats.dropped).toBe(0);
    // Each frame run is the newest the camera had when the one before it started: 3 frames apart.
    const gaps = r.processed.slice(1).map((f, i) => f - r.processed[i]);
    expect(gaps.slice(2).every((g) => g === 3)).toBe(true);
  });

  it('captures just in time: the waiting frame is about one camera frame old when the engine takes it, and the engine never idles', async () => {
    const sim = justInTime(rig());
    await sim.run(0, 3000);
    sim.expectJustInTime(1000, 3000);
  });

  it('keeps capturing just in time after a pause (the pause is not taken for a camera frame period)', async () => {
    const r = rig();
    const sim = justInTime(r);
    await sim.run(0, 2000);
    await sim.drain(2000);
    await r.s.stop();
    await sim.run(60_000, 62_000); // restarts the loop at 60 s
    sim.expectJustInTime(60_600, 62_000);
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
    r.tick(); // a capture of 1 is running
    let stopped = false;
    const stopping = r.s.stop().then(() => (stopped = true));
    await r.finishCapture();
    expect(r.discarded).toEqual([1]);
    expect(stopped).toBe(false); // frame 0 still runs
    await r.finishRun();
    await stopping;
    expect(stopped).toBe(true);
    expect(r.results).toEqual([]);
    r.tick();
    expect(r.captures).toHaveLength(2);
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

/**
 * Drives a rig on its fake clock, 1 ms at a time: the camera gives a frame every 30 ms, a capture
 * takes 5 ms, the engine 100 ms a frame. Records when each capture and each run started and ended.
 */
function justInTime(r: ReturnType<typeof rig>) {
  const captureStart = new Map<number, number>();
  const runStart: { frame: number; t: number }[] = [];
  const runEnd: number[] = [];
  const noteCaptures = (t: number) => {
    for (const c of r.captures) if (!c.done && !captureStart.has(c.frame)) captureStart.set(c.frame, t);
  };
  const noteRuns = (t: number) => {
    if (r.runs.length > runStart.length) runStart.push({ frame: r.runs.at(-1)!.frame, t });
  };
  const step = async (t: number, camera: boolean) => {
    r.at(t);
    if (camera && t % 30 === 0) {
      r.tick();
      noteCaptures(t);
    }
    const capturing = r.captures.find((c) => !c.done);
    if (capturing && t >= captureStart.get(capturing.frame)! + 5) {
      await r.finishCapture();
      noteCaptures(t);
    }
    noteRuns(t);
    if (runStart.length > runEnd.length && t >= runStart[runEnd.length].t + 100) {
      runEnd.push(t);
      await r.finishRun();
      noteCaptures(t);
      noteRuns(t);
    }
  };
  return {
    async run(from: number, to: number) {
      r.at(from);
      if (!r.s.isRunning) r.s.start();
      noteCaptures(from);
      for (let t = from; t <= to; t++) await step(t, t > from);
    },
    /** Lets the frames in flight finish with the camera stopped. */
    async drain(from: number) {
      for (let t = from; runStart.length > runEnd.length || r.captures.some((c) => !c.done); t++) await step(t, false);
    },
    /** From `from` on: no frame dropped, every run starts as the one before ends, on a fresh frame. */
    expectJustInTime(from: number, to: number) {
      expect(r.s.stats.dropped).toBe(0);
      const settled = runStart.filter((s) => s.t > from && s.t <= to);
      expect(settled.length).toBeGreaterThan(12);
      for (const s of settled) {
        expect(s.t - runEnd[runStart.indexOf(s) - 1]).toBe(0);
        const age = s.t - captureStart.get(s.frame)!;
        expect(age).toBeGreaterThanOrEqual(5);
        expect(age).toBeLessThanOrEqual(1.25 * 30 + 5 + 30);
      }
      // Without the just-in-time rule (capture as soon as one frame runs) frames would wait ~70 ms.
      const meanAge = settled.reduce((sum, s) => sum + s.t - captureStart.get(s.frame)!, 0) / settled.length;
      expect(meanAge).toBeLessThan(50);
    },
  };
}
