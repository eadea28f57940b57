// The live loop's schedule, kept pure (no DOM, no workers) so it can be tested with plain promises
// and a fake clock. Capture and inference overlap: while the engine runs frame n, frame n+1 is
// captured and sent, and waits in the engine (src/engine/frame-slot.ts), so the engine starts it
// without a round trip to the page. It is captured just in time: at the last camera frame that
// still lets its capture finish before the engine is expected to be free (from the engine's time
// per frame, the camera's frame period and the capture's time, each a moving average).
//   - One frame ahead at most: the engine runs one frame and holds one waiting; nothing is captured
//     while both are there, so no capture is wasted on a frame a newer one would replace.
//   - The newest frame wins: the frame sent is the newest the camera had when it was captured, and
//     it is captured as late as the schedule allows, so it waits about one camera frame, not one
//     inference; frames the camera produced during a capture are skipped for the newest one.
//   - No frame is processed twice: each captured frame is sent once.
//   - Bounded latency: a frame waits at most for the one frame running, so from capture to result
//     it takes at most capture + 2 x (the engine's time per frame); nothing queues.
//   - stop() stops capturing, frees a capture that lands after it, delivers nothing more, and
//     resolves when every frame sent has been answered.

export interface SchedulerOps<F, R> {
  /** Whether a frame can be captured now (e.g. the video has data). */
  canCapture(): boolean;
  /** Grabs the newest camera frame. */
  capture(): Promise<F>;
  /** Hands a frame to the engine (which frees it): its result, or null if a newer frame replaced it. */
  process(frame: F): Promise<R | null>;
  /** Frees a frame that will never be sent. */
  discard(frame: F): void;
  onResult(result: R): void;
  onError(err: Error): void;
  /** Milliseconds on a monotonic clock (performance.now unless a test gives its own). */
  now?(): number;
}

export interface SchedulerStats {
  captured: number;
  processed: number;
  /** Frames the engine dropped for a newer one, or captures freed after stop. */
  dropped: number;
}

export class FrameScheduler<F, R> {
  private running = false;
  /** Camera frames seen so far (a sequence number), and the one the newest capture started at. */
  private seen = 0;
  private capturedSeq = 0;
  private capturing: Promise<void> | null = null;
  /** Frames sent to the engine and not answered yet. */
  private readonly outstanding = new Set<Promise<void>>();
  readonly stats: SchedulerStats = { captured: 0, processed: 0, dropped: 0 };
  private readonly now: () => number;
  /** Moving averages (ms; 0 until measured) of the camera's frame period, a capture, the engine's time per frame. */
  private cameraPeriod = 0;
  private captureTime = 0;
  private engineTime = 0;
  private lastCameraFrame = -1;
  /** When the frame the engine runs now started (its send, or the answer to the frame before it). */
  private runningSince = 0;

  constructor(private readonly ops: SchedulerOps<F, R>) {
    this.now = ops.now ? () => ops.now!() : () => performance.now();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Frames at the engine (running or waiting) not answered yet. */
  get inFlight(): number {
    return this.outstanding.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A pause is not a camera frame period.
    this.lastCameraFrame = -1;
    // The camera already shows a frame: take it without waiting for the next one.
    if (this.capturedSeq === this.seen) this.seen++;
    this.pump();
  }

  /** The camera produced a new frame. */
  frameAvailable(): void {
    const t = this.now();
    if (this.lastCameraFrame >= 0) this.cameraPeriod = average(this.cameraPeriod, t - this.lastCameraFrame);
    this.lastCameraFrame = t;
    this.seen++;
    this.pump();
  }

  /** Stops; resolves once the capture running and every frame sent have settled. */
  async stop(): Promise<void> {
    this.running = false;
    while (this.capturing || this.outstanding.size) await Promise.all([this.capturing, ...this.outstanding]);
  }

  private pump(): void {
    if (!this.running || this.capturing || this.seen <= this.capturedSeq || !this.ops.canCapture()) return;
    if (this.outstanding.size >= 2 || (this.outstanding.size === 1 && this.tooEarly())) return;
    this.capturedSeq = this.seen;
    this.capturing = this.capture();
  }

  /**
   * Whether the next camera frame, captured, would still reach the engine before the frame it runs
   * is done (with a quarter of a camera frame to spare): then this one is left for it.
   */
  private tooEarly(): boolean {
    if (!this.engineTime || !this.cameraPeriod) return false;
    const freeAt = this.runningSince + this.engineTime;
    return this.now() + 1.25 * this.cameraPeriod + this.captureTime < freeAt;
  }

  private async capture(): Promise<void> {
    let frame: F;
    const t0 = this.now();
    try {
      frame = await this.ops.capture();
      this.captureTime = average(this.captureTime, this.now() - t0);
    } catch (err) {
      this.capturing = null;
      if (this.running) this.ops.onError(err as Error);
      return;
    }
    this.capturing = null;
    this.stats.captured++;
    if (!this.running) {
      this.ops.discard(frame);
      this.stats.dropped++;
      return;
    }
    if (this.outstanding.size === 0) this.runningSince = this.now();
    const sent = this.send(frame);
    this.outstanding.add(sent);
    void sent.then(() => {
      this.outstanding.delete(sent);
      // The frame waiting (if any) starts now; an idle engine takes the camera's newest frame at once.
      this.runningSince = this.now();
      this.pump();
    });
    this.pump();
  }

  private async send(frame: F): Promise<void> {
    try {
      const result = await this.ops.process(frame);
      if (result === null) {
        this.stats.dropped++;
        return;
      }
      // The engine's time for this frame: from when it could start (sent, or the frame before done).
      this.engineTime = average(this.engineTime, this.now() - this.runningSince);
      this.stats.processed++;
      if (this.running) this.ops.onResult(result);
    } catch (err) {
      if (this.running) this.ops.onError(err as Error);
    }
  }
}

/** An exponential moving average (weight 0.2 for the newest sample); the first sample stands alone. */
function average(current: number, sample: number): number {
  return current === 0 ? sample : current + 0.2 * (sample - current);
}
