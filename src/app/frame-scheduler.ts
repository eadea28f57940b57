// The live loop's schedule, kept pure (no DOM, no workers) so it can be tested with plain promises.
// Capture and inference overlap: each camera frame is captured as soon as it appears (one capture
// at a time) and sent to the engine at once, even while the engine runs the frame before; the engine
// keeps at most one frame waiting and a newer one replaces it (src/engine/frame-slot.ts).
//   - One frame ahead at most: the engine runs one frame and holds one waiting.
//   - The newest frame wins: a waiting frame is replaced by a newer one and never processed (the
//     engine answers it with null); frames the camera produced during a capture are skipped for
//     the newest one.
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

  constructor(private readonly ops: SchedulerOps<F, R>) {}

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
    // The camera already shows a frame: take it without waiting for the next one.
    if (this.capturedSeq === this.seen) this.seen++;
    this.pump();
  }

  /** The camera produced a new frame. */
  frameAvailable(): void {
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
    this.capturedSeq = this.seen;
    this.capturing = this.capture();
  }

  private async capture(): Promise<void> {
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
      this.stats.dropped++;
      return;
    }
    const sent = this.send(frame);
    this.outstanding.add(sent);
    void sent.then(() => this.outstanding.delete(sent));
    this.pump();
  }

  private async send(frame: F): Promise<void> {
    try {
      const result = await this.ops.process(frame);
      if (result === null) {
        this.stats.dropped++;
        return;
      }
      this.stats.processed++;
      if (this.running) this.ops.onResult(result);
    } catch (err) {
      if (this.running) this.ops.onError(err as Error);
    }
  }
}
