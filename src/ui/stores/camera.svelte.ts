// The camera: which device, its stream, the live loop over its frames, freeze, and pausing while the
// tab is hidden. Failures become one plain message (see src/camera/camera.ts).
import { FrameLoop } from '../../app/frame-loop';
import {
  CameraFailure,
  endedFailure,
  listVideoInputs,
  openCamera,
  openFacing,
  stopStream,
  cameraFailure,
  type CameraFailureKind,
  type Facing,
  type VideoInput,
} from '../../camera/camera';
import type { PreprocessSpec } from '../../model/manifest';
import { cropGeometry } from '../../preprocess/preprocess';
import { engine } from './engine.svelte';
import { settings } from './settings.svelte';
import { acceptResult, inputRequests } from './pipeline';
import { results } from './results.svelte';

/** off: no stream; live: loop running; paused: tab hidden; frozen: one frame held; still: an image is shown. */
/** The size to capture a frame at so the browser does the model's resize natively; null for full size. */
function captureSizeFor(spec: PreprocessSpec | undefined, width: number, height: number): { width: number; height: number } | null {
  if (!spec || !settings.nativeResize) return null;
  const g = cropGeometry(width, height, spec);
  return { width: g.resizedWidth, height: g.resizedHeight };
}

export type CameraState = 'off' | 'starting' | 'live' | 'paused' | 'frozen' | 'still';

class CameraStore {
  state = $state<CameraState>('off');
  devices = $state<VideoInput[]>([]);
  deviceId = $state('');
  error = $state('');
  errorKind = $state<CameraFailureKind | null>(null);
  stream = $state.raw<MediaStream | null>(null);
  /** Size of the video frames (for the crop outline). */
  frameWidth = $state(0);
  frameHeight = $state(0);

  private video: HTMLVideoElement | null = null;
  private loop: FrameLoop | null = null;
  /** Whether the loop should run once the engine is ready and the tab is visible. */
  private wantLive = false;

  get hasStream(): boolean {
    return this.stream !== null;
  }

  /** Which way the open camera faces (remembered; what the track reports wins when it says). */
  get facing(): Facing {
    return settings.facing;
  }

  /** The front camera is previewed as a mirror, as people expect of a selfie view; frames are not. */
  get mirrored(): boolean {
    return this.hasStream && settings.facing === 'user';
  }

  /** The frame now on screen (live or frozen), unmirrored, or null without a stream. */
  async grabFrame(): Promise<ImageBitmap | null> {
    if (!this.video || !this.stream || this.video.videoWidth === 0) return null;
    return createImageBitmap(this.video);
  }

  /** Called by the viewport once its <video> exists. */
  attach(video: HTMLVideoElement): void {
    this.video = video;
    this.loop = new FrameLoop(video, engine.client, {
      onResult: (r) => acceptResult(r, 'camera'),
      onError: (err) => {
        this.error = `Classification failed: ${err.message}`;
      },
      wantInput: () => inputRequests.count > 0,
      captureSize: (width, height) => captureSizeFor(engine.manifest?.preprocess, width, height),
    });
    // Before the first model is ready, its warm-up runs on the camera's frame: the first prediction comes sooner.
    engine.setFirstFrameSource({
      capture: async (spec) => {
        if (!this.wantLive || this.state !== 'live' || document.hidden || !this.loop) return null;
        const one = await this.loop.captureOne((width, height) => captureSizeFor(spec, width, height));
        if (!one) return null;
        return { frame: one.bitmap, captureMs: one.captureMs, wantInput: inputRequests.count > 0, deliver: (r) => acceptResult(one.onVideo(r), 'camera') };
      },
    });
    document.addEventListener('visibilitychange', () => this.onVisibility());
  }

  /**
   * Opens a camera: the given device, else the remembered one, else the remembered facing. A
   * remembered camera that is gone falls back to the facing without a message.
   */
  async start(deviceId?: string): Promise<void> {
    const id = deviceId ?? settings.cameraId;
    await this.open(async () => {
      if (!id) return openCamera(undefined, settings.facing);
      try {
        return await openCamera(id);
      } catch (err) {
        if (deviceId !== undefined || !(err instanceof CameraFailure) || err.kind !== 'not-found') throw err;
        settings.cameraId = '';
        return openCamera(undefined, settings.facing);
      }
    });
    if (deviceId !== undefined && this.stream) settings.cameraId = this.deviceId;
  }

  /**
   * One tap between front and rear: facingMode first, the device list where the browser cannot
   * choose by facing. If the other side cannot be opened, the camera that was running comes back.
   */
  async flip(): Promise<void> {
    const previous = { facing: settings.facing, deviceId: this.deviceId, cameraId: settings.cameraId };
    const target: Facing = settings.facing === 'user' ? 'environment' : 'user';
    let byFacing = false;
    // open() records the side: what the new track reports, else the side asked for.
    await this.open(async () => {
      const opened = await openFacing(target, previous.deviceId);
      byFacing = opened.byFacing;
      return opened.stream;
    }, target);
    if (this.stream) {
      // Where the browser could not pick by facing, the next start must ask for this very camera.
      settings.cameraId = byFacing ? '' : this.deviceId;
      return;
    }
    const message = this.error;
    if (previous.deviceId) {
      await this.open(() => openCamera(previous.deviceId));
      settings.facing = previous.facing;
      settings.cameraId = previous.cameraId;
    }
    this.error = message;
  }

  private async open(get: () => Promise<MediaStream>, facing?: Facing): Promise<void> {
    if (!this.video) return;
    this.state = 'starting';
    this.error = '';
    this.errorKind = null;
    await this.release();
    try {
      const stream = await get();
      const track = stream.getVideoTracks()[0];
      track?.addEventListener('ended', () => {
        if (this.stream !== stream) return;
        this.fail(endedFailure());
      });
      const reported = track?.getSettings().facingMode;
      if (reported === 'user' || reported === 'environment') settings.facing = reported;
      else if (facing) settings.facing = facing;
      this.stream = stream;
      this.video.srcObject = stream;
      await this.video.play();
      this.frameWidth = this.video.videoWidth;
      this.frameHeight = this.video.videoHeight;
      this.deviceId = track?.getSettings().deviceId ?? '';
      this.devices = await listVideoInputs();
      this.wantLive = true;
      this.state = 'live';
      // Start-up profiling (the startup bench reads the page's and the worker's cnn-lens: marks).
      performance.mark('cnn-lens:camera-live');
      this.resumeIfReady();
    } catch (err) {
      this.fail(cameraFailure(err));
      this.devices = await listVideoInputs().catch(() => []);
    }
  }

  async stop(): Promise<void> {
    this.wantLive = false;
    await this.release();
    this.state = 'off';
  }

  /** The engine became ready: start the loop if the camera is waiting for it. */
  resumeIfReady(): void {
    if (this.wantLive && this.state === 'live' && engine.ready && !document.hidden) this.loop?.start();
  }

  /** Freeze holds the current frame and classifies it once, unsmoothed; again resumes live. */
  async toggleFreeze(): Promise<void> {
    if (!this.video || !this.stream) return;
    if (this.state === 'frozen') {
      await this.video.play();
      this.state = 'live';
      this.resumeIfReady();
      return;
    }
    if (this.state !== 'live' && this.state !== 'paused') return;
    this.video.pause();
    this.state = 'frozen';
    await this.loop?.stop();
    results.pauseLive();
    if (!engine.ready) return;
    try {
      const t0 = performance.now();
      const frame = await createImageBitmap(this.video);
      acceptResult(await engine.client.classify(frame, performance.now() - t0, inputRequests.count > 0), 'frozen');
    } catch (err) {
      this.error = `Classification failed: ${(err as Error).message}`;
    }
  }

  /** An image takes the stage: the loop stops until the user goes back to the camera. */
  async suspendForStill(): Promise<void> {
    await this.loop?.stop();
    results.pauseLive();
    if (this.stream) this.video?.pause();
    if (this.state !== 'off') this.state = 'still';
  }

  /** Back from an image (or frozen frame) to the live camera, starting it if needed. */
  async backToLive(): Promise<void> {
    if (!this.stream) return this.start();
    await this.video?.play();
    this.state = 'live';
    this.resumeIfReady();
  }

  private onVisibility(): void {
    if (document.hidden) {
      if (this.state !== 'live') return;
      this.state = 'paused';
      this.video?.pause();
      void this.loop?.stop();
      results.pauseLive();
    } else if (this.state === 'paused') {
      this.state = 'live';
      void this.video?.play().catch(() => undefined);
      this.resumeIfReady();
    }
  }

  private fail(failure: ReturnType<typeof cameraFailure>): void {
    this.error = failure.message;
    this.errorKind = failure.kind;
    this.wantLive = false;
    void this.release();
    this.state = 'off';
  }

  private async release(): Promise<void> {
    await this.loop?.stop();
    results.pauseLive();
    stopStream(this.stream);
    this.stream = null;
    if (this.video) this.video.srcObject = null;
  }
}

export const camera = new CameraStore();
