// The live loop: capture -> preprocess (page or worker) -> run, top-k -> draw, pipelined by
// FrameScheduler: while the worker runs frame n, frame n+1 is captured just in time (and resized by
// the browser) on the page and sent, and waits in the worker, so the worker starts on it without a
// round trip to the page. One frame ahead at most and no capture wasted, so a result is at most
// capture + 2 inferences old (see frame-scheduler.ts, src/engine/frame-slot.ts). Video frames are
// noticed with requestVideoFrameCallback (rAF where missing).
import type { InferenceClient, ResultMessage } from '../engine/inference-client.js';
import { FrameScheduler, type SchedulerStats } from './frame-scheduler.js';

export interface FrameLoopHandlers {
  onResult(result: ResultMessage): void;
  onError(err: Error): void;
  /** Ask the worker for the preprocessed input tensor (the inspector wants it). */
  wantInput?(): boolean;
  /**
   * Size to capture a frame of the given size at, or null for full size. Capturing at the model's
   * resize size lets the browser do the resampling natively instead of the worker's JavaScript.
   */
  captureSize?(width: number, height: number): { width: number; height: number } | null;
}

type VideoWithCallback = HTMLVideoElement & {
  requestVideoFrameCallback?(cb: () => void): number;
  cancelVideoFrameCallback?(handle: number): void;
};

/** A captured frame and what is needed to map its result back onto the video. */
interface Captured {
  bitmap: ImageBitmap;
  captureMs: number;
  videoWidth: number;
  videoHeight: number;
  resized: boolean;
}

export class FrameLoop {
  private handle = 0;
  private watching = false;
  private readonly usesVideoCallback: boolean;
  private readonly scheduler: FrameScheduler<Captured, ResultMessage>;

  constructor(
    private readonly video: VideoWithCallback,
    private readonly client: InferenceClient,
    private readonly handlers: FrameLoopHandlers,
  ) {
    this.usesVideoCallback = typeof video.requestVideoFrameCallback === 'function';
    this.scheduler = new FrameScheduler<Captured, ResultMessage>({
      canCapture: () => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0,
      capture: () => this.capture(),
      process: (f) => this.process(f),
      discard: (f) => f.bitmap.close(),
      onResult: (r) => handlers.onResult(r),
      onError: (err) => handlers.onError(err),
    });
  }

  get isRunning(): boolean {
    return this.scheduler.isRunning;
  }

  get stats(): Readonly<SchedulerStats> {
    return this.scheduler.stats;
  }

  start(): void {
    if (this.scheduler.isRunning) return;
    this.scheduler.start();
    this.watching = true;
    this.watch();
  }

  /** Stops after the frame in flight; resolves when the engine is free again. */
  stop(): Promise<void> {
    this.watching = false;
    if (this.usesVideoCallback) this.video.cancelVideoFrameCallback?.(this.handle);
    else cancelAnimationFrame(this.handle);
    return this.scheduler.stop();
  }

  private watch(): void {
    const onFrame = () => {
      if (!this.watching) return;
      this.watch();
      this.scheduler.frameAvailable();
    };
    this.handle = this.usesVideoCallback ? this.video.requestVideoFrameCallback!(onFrame) : requestAnimationFrame(onFrame);
  }

  /**
   * One frame captured now, outside the loop (the first load's warm-up frame), sized by `captureSize`
   * instead of the handler's, and the function that maps its result's crop onto the video as the
   * loop's results are. Null while the video has no frame yet.
   */
  async captureOne(
    captureSize: FrameLoopHandlers['captureSize'],
  ): Promise<{ bitmap: ImageBitmap; captureMs: number; onVideo(result: ResultMessage): ResultMessage } | null> {
    if (this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || this.video.videoWidth === 0) return null;
    const f = await this.capture(captureSize);
    return { bitmap: f.bitmap, captureMs: f.captureMs, onVideo: (r) => this.onVideo(f, r) };
  }

  private async capture(captureSize = this.handlers.captureSize): Promise<Captured> {
    const t0 = performance.now();
    const { videoWidth, videoHeight } = this.video;
    const size = captureSize?.(videoWidth, videoHeight);
    const bitmap = size
      ? await createImageBitmap(this.video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' })
      : await createImageBitmap(this.video);
    return { bitmap, captureMs: performance.now() - t0, videoWidth, videoHeight, resized: !!size };
  }

  private async process(f: Captured): Promise<ResultMessage | null> {
    const result = await this.client.classifyLive(f.bitmap, f.captureMs, this.handlers.wantInput?.() ?? false);
    return result && this.onVideo(f, result);
  }

  private onVideo(f: Captured, result: ResultMessage): ResultMessage {
    return f.resized ? { ...result, crop: toVideoPixels(result.crop, f.videoWidth, f.videoHeight) } : result;
  }
}

/** A crop reported in a resized capture's pixels -> the same rectangle in the video's pixels. */
function toVideoPixels(crop: ResultMessage['crop'], videoWidth: number, videoHeight: number): ResultMessage['crop'] {
  const sx = videoWidth / crop.frameWidth;
  const sy = videoHeight / crop.frameHeight;
  return { x: crop.x * sx, y: crop.y * sy, width: crop.width * sx, height: crop.height * sy, frameWidth: videoWidth, frameHeight: videoHeight };
}
