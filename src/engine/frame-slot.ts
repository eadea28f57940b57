// The inference worker's job order. onnxruntime must not run two jobs at once, and live camera frames
// should not wait for a round trip to the page: the page sends frame n+1 while frame n runs, and it
// waits here, so the engine starts on it the moment frame n is done.
//   - One frame waits at most: a newer live frame replaces the waiting one (newest wins), and the
//     replaced one is answered as dropped, never run. A frame therefore waits for one job at most.
//   - Other jobs (a still image, onnxruntime's tensors for the inspector, bench runs) are never
//     dropped; they run between frames, in arrival order, before a waiting live frame.
// Pure: the jobs are given, so the order is tested without a worker.

export interface SlotStats {
  ran: number;
  dropped: number;
}

export class JobSlot<F> {
  private waitingFrame: F | null = null;
  private readonly jobs: (() => Promise<void>)[] = [];
  private running = false;
  readonly stats: SlotStats = { ran: 0, dropped: 0 };

  /** run: processes a live frame (reports its own result or error); drop: answers a replaced one. */
  constructor(
    private readonly run: (frame: F) => Promise<void>,
    private readonly drop: (frame: F) => void,
  ) {}

  /** Whether a live frame is waiting. */
  get waiting(): boolean {
    return this.waitingFrame !== null;
  }

  /** A live frame: runs now if idle, else waits, replacing any frame already waiting. */
  pushFrame(frame: F): void {
    if (this.waitingFrame !== null) {
      this.drop(this.waitingFrame);
      this.stats.dropped++;
    }
    this.waitingFrame = frame;
    void this.next();
  }

  /** Any other job: never dropped, never concurrent with a frame or another job. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Through a promise, so a job that throws before it returns one still answers its caller.
      this.jobs.push(() => Promise.resolve().then(fn).then(resolve, reject));
      void this.next();
    });
  }

  private async next(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const job = this.jobs.shift();
        if (job) {
          await job();
          continue;
        }
        const frame = this.waitingFrame;
        if (frame === null) break;
        this.waitingFrame = null;
        this.stats.ran++;
        await this.run(frame).catch(() => undefined);
        // One turn of the event loop between frames: without it a busy stream of frames runs
        // back to back in promise continuations, and the worker's other tasks (a DevTools or
        // soak probe, a message that is not a frame) wait until the camera stops.
        await yieldToEventLoop();
      }
    } finally {
      this.running = false;
    }
  }
}

/** Resolves in a new task (a MessageChannel message: no 4 ms clamp, unlike nested setTimeout). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
