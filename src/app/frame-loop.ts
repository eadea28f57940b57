// The live loop: capture -> worker (preprocess, run, top-k) -> draw, strictly one frame at a time.
// Latest frame wins: a frame is captured only when the engine is free, and always the newest one,
// so latency never grows and nothing queues. Video frames are noticed with requestVideoFrameCallback
// (rAF where missing); when a result comes back and the camera has produced a frame meanwhile, the
// next capture starts at once instead of waiting for the next callback.
import type { InferenceClient, ResultMessage } from '../engine/inference-client.js';

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

export class FrameLoop {
  private running = false;
  private busy = false;
  /** Video frames seen, and the count at the last capture. */
  private framesSeen = 0;
  private framesAtCapture = -1;
  private handle = 0;
  private usesVideoCallback: boolean;
  /** Settles when the frame in flight (if any) is done. */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly video: VideoWithCallback,
    private readonly client: InferenceClient,
    private readonly handlers: FrameLoopHandlers,
  ) {
    this.usesVideoCallback = typeof video.requestVideoFrameCallback === 'function';
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.watch();
    this.maybeCapture();
  }

  /** Stops after the frame in flight; resolves when the engine is free again. */
  stop(): Promise<void> {
    this.running = false;
    if (this.usesVideoCallback) this.video.cancelVideoFrameCallback?.(this.handle);
    else cancelAnimationFrame(this.handle);
    return this.inFlight;
  }

  private watch(): void {
    const onFrame = () => {
      if (!this.running) return;
      this.framesSeen++;
      this.watch();
      this.maybeCapture();
    };
    this.handle = this.usesVideoCallback ? this.video.requestVideoFrameCallback!(onFrame) : requestAnimationFrame(onFrame);
  }

  private maybeCapture(): void {
    if (!this.running || this.busy || this.framesSeen === this.framesAtCapture) return;
    if (this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || this.video.videoWidth === 0) return;
    this.busy = true;
    this.framesAtCapture = this.framesSeen;
    this.inFlight = this.step();
  }

  private async step(): Promise<void> {
    let result: ResultMessage | null = null;
    try {
      const t0 = performance.now();
      const { videoWidth, videoHeight } = this.video;
      const size = this.handlers.captureSize?.(videoWidth, videoHeight);
      const frame = size
        ? await createImageBitmap(this.video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' })
        : await createImageBitmap(this.video);
      const captureMs = performance.now() - t0;
      result = await this.client.classify(frame, captureMs, this.handlers.wantInput?.() ?? false);
      if (size) result = { ...result, crop: toVideoPixels(result.crop, videoWidth, videoHeight) };
    } catch (err) {
      if (this.running) this.handlers.onError(err as Error);
    } finally {
      // The engine is free: send it the next frame first, then draw this result meanwhile.
      this.busy = false;
      this.maybeCapture();
    }
    if (result && this.running) this.handlers.onResult(result);
  }
}

/** A crop reported in a resized capture's pixels -> the same rectangle in the video's pixels. */
function toVideoPixels(crop: ResultMessage['crop'], videoWidth: number, videoHeight: number): ResultMessage['crop'] {
  const sx = videoWidth / crop.frameWidth;
  const sy = videoHeight / crop.frameHeight;
  return { x: crop.x * sx, y: crop.y * sy, width: crop.width * sx, height: crop.height * sy, frameWidth: videoWidth, frameHeight: videoHeight };
}
