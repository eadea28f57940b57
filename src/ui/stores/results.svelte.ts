// Classification results as shown: the last raw result, the displayed top-5 (smoothed over live
// frames with an exponential moving average, raw for uploads and frozen frames), stage timings, FPS.
import type { ResultMessage } from '../../engine/inference-client';
import type { StageTimings } from '../../engine/protocol';
import { topK, type Prediction } from '../../model/topk';

export type ResultSource = 'camera' | 'image' | 'frozen';

/** FPS is measured over the results of the last this-many milliseconds. */
const FPS_WINDOW_MS = 2000;
const HISTORY = 600;

class ResultsStore {
  /** The newest raw result (unsmoothed). */
  latest = $state.raw<ResultMessage | null>(null);
  source = $state<ResultSource | null>(null);
  /** What the list shows: smoothed for live frames when smoothing is on, else the raw top-5. */
  top = $state.raw<Prediction[]>([]);
  timings = $state.raw<StageTimings | null>(null);
  fps = $state(0);
  /** Results of the live loop so far, and of still images (uploads, freezes). */
  frames = $state(0);
  stills = $state(0);
  /** The preprocessed input of the newest result, when the worker was asked for it. */
  input = $state.raw<Float32Array | null>(null);

  /** Stage timings of the last HISTORY live frames, oldest first (plain, not reactive: for the bench hook). */
  readonly history: StageTimings[] = [];

  private ema: Float32Array | null = null;
  private stamps: number[] = [];

  addFrame(result: ResultMessage, smoothing: boolean, alpha: number): void {
    const p = result.probabilities;
    if (smoothing) {
      if (!this.ema || this.ema.length !== p.length) this.ema = p.slice();
      else for (let i = 0; i < p.length; i++) this.ema[i] += alpha * (p[i] - this.ema[i]);
      this.top = topK(this.ema, 5);
    } else {
      this.ema = null;
      this.top = result.top;
    }
    const now = performance.now();
    this.stamps.push(now);
    while (this.stamps.length > 2 && now - this.stamps[0] > FPS_WINDOW_MS) this.stamps.shift();
    const n = this.stamps.length;
    this.fps = n > 1 ? ((n - 1) * 1000) / (now - this.stamps[0]) : 0;
    // Start-up profiling (the startup bench): when this page showed its first live prediction.
    if (this.frames++ === 0) performance.mark('cnn-lens:first-prediction');
    this.history.push(result.timings);
    if (this.history.length > HISTORY) this.history.shift();
    this.set(result, 'camera');
  }

  addStill(result: ResultMessage, source: 'image' | 'frozen'): void {
    this.top = result.top;
    this.stills++;
    this.set(result, source);
  }

  /** Nothing shown: the model changed, or the input that was to be classified failed. */
  clear(): void {
    this.latest = null;
    this.source = null;
    this.top = [];
    this.input = null;
    this.pauseLive();
  }

  /** Live frames stopped: FPS reads 0 and the next live frame starts a fresh average. */
  pauseLive(): void {
    this.stamps = [];
    this.fps = 0;
    this.ema = null;
  }

  private set(result: ResultMessage, source: ResultSource): void {
    this.latest = result;
    this.source = source;
    this.timings = result.timings;
    this.input = result.input ?? null;
  }
}

export const results = new ResultsStore();
