// The live loop's schedule, kept pure (no DOM, no workers) so it can be tested with plain promises.
// Two stages overlap: while the engine processes frame n, frame n+1 is captured and held ready, so
// the engine starts on it the moment it is free instead of waiting for a capture.
//   - One frame ahead at most: a single "ahead" slot; the engine itself takes one frame at a time.
//   - The newest frame wins: when the camera produces a newer frame while the ahead frame waits, it
//     is captured again and the stale one is discarded (never processed).
//   - No frame is processed twice: a frame leaves the ahead slot when the engine takes it.
//   - Bounded latency: a frame waits at most for the one frame being processed, so from capture to
//     result it takes at most capture + 2 x (the engine's time per frame); nothing queues.
//   - stop() discards the ahead frame and any capture still running, and resolves when the engine
//     is idle.

export interface SchedulerOps<F, R> {
  /** Whether a frame can be captured now (e.g. the video has data). */
  canCapture(): boolean;
  /** Grabs the newest camera frame. */
  capture(): Promise<F>;
  /** Runs the engine on a frame; the frame is handed over (the engine frees it). */
  process(frame: F): Promise<R>;
  /** Frees a frame that will never be processed. */
  discard(frame: F): void;
  onResult(result: R): void;
  onError(err: Error): void;
}

export interface SchedulerStats {
  captured: number;
  processed: number;
  /** Captured frames replaced by a newer one before the engine took them. */
  discarded: number;
}

export class FrameScheduler<F, R> {
  private running = false;
  /** Camera frames seen so far (a sequence number), and the one the newest capture started at. */
  private seen = 0;
  private capturedSeq = 0;
  private capturing: Promise<void> | null = null;
  private ahead: { frame: F; seq: number } | null = null;
  private processing: Promise<void> | null = null;
  readonly stats: SchedulerStats = { captured: 0, processed: 0, discarded: 0 };

  constructor(private readonly ops: SchedulerOps<F, R>) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Frames waiting for the engine (0 or 1). */
  get waiting(): number {
    return this.ahead ? 1 : 0;
  }

  get busy(): boolean {
    return this.processing !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // The camera already shows a frame: take it without waiting for the next one.
    if (this.capturedSeq === this.seen) this.seen++;
    this.pump();
  }

  /** The camera produced a new frame. */
  frameAvailable(): void {
    this.seen++;
    this.pump();
  }

  /** Stops: the waiting frame is freed; resolves once the capture and the frame in flight settle. */
  async stop(): Promise<void> {
    this.running = false;
    this.dropAhead();
    while (this.capturing || this.processing) await Promise.all([this.capturing, this.processing]);
  }

  private dropAhead(): void {
    if (!this.ahead) return;
    this.ops.discard(this.ahead.frame);
    this.ahead = null;
    this.stats.discarded++;
  }

  private pump(): void {
    if (!this.running) return;
    if (!this.processing && this.ahead) {
      const { frame } = this.ahead;
      this.ahead = null;
      this.processing = this.process(frame);
    }
    const newer = this.seen > this.capturedSeq && (!this.ahead || this.ahead.seq < this.seen);
    if (!this.capturing && newer && this.ops.canCapture()) {
      this.capturedSeq = this.seen;
      this.capturing = this.capture(this.seen);
    }
  }

  private async capture(seq: number): Promise<void> {
    let frame: F;
    try {
      frame = await this.ops.capture();
    } catch (err) {
      this.capturing = null;
      if (this.running) this.ops.onError(err as Error);
      return;
    }
    this.capturing = null;
    this.stats.captured++;
    if (!this.running) {
      this.ops.discard(frame);
      this.stats.discarded++;
      return;
    }
    // Newest wins: a waiting frame this one is newer than is dropped.
    this.dropAhead();
    this.ahead = { frame, seq };
    this.pump();
  }

  private async process(frame: F): Promise<void> {
    let result: R | undefined;
    let failed: Error | null = null;
    try {
      result = await this.ops.process(frame);
      this.stats.processed++;
    } catch (err) {
      failed = err as Error;
    }
    this.processing = null;
    // The engine is free: hand it the waiting frame first, then report this one meanwhile.
    this.pump();
    if (!this.running) return;
    if (failed) this.ops.onError(failed);
    else this.ops.onResult(result as R);
  }
}
