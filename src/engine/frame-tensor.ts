// A frame (ImageBitmap) -> the model's input tensor: read its pixels through an OffscreenCanvas,
// then the shared preprocessing module. Runs in the inference worker (still images, the warm-up
// frame) and on the page (live frames, prepared while the worker runs the frame before). The canvas
// is reused from frame to frame, and so is the input buffer unless the caller gives its own.
import type { PreprocessSpec } from '../model/manifest.js';
import { cropGeometry, inputLength, isIdentityResize, normalizeRegion, preprocess, type CropGeometry } from '../preprocess/preprocess.js';

export interface FrameCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  frameWidth: number;
  frameHeight: number;
}

/**
 * A frame the page has already preprocessed for a session's model (live frames: the page does it
 * while the worker runs the frame before, so the worker only runs the model). The buffer is transferred.
 */
export interface PreparedInput {
  input: Float32Array;
  crop: FrameCrop;
  /** Time the page spent preprocessing, reported back with the result. */
  preprocessMs: number;
}

/** A prepared input's tensor, once its size is checked against the model's input (a wrong one fails with both sizes). */
export function preparedTensor(prepared: PreparedInput, spec: PreprocessSpec): Float32Array {
  const expected = inputLength(spec);
  if (prepared.input.length !== expected) {
    throw new Error(`the prepared input has ${prepared.input.length} values; this model takes ${spec.cropWidth}x${spec.cropHeight}x3 = ${expected}`);
  }
  return prepared.input;
}

export class FrameTensor {
  private canvas: OffscreenCanvas | null = null;
  private input: Float32Array | null = null;

  /** The reused canvas's 2D context, at this size. */
  private context(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) this.canvas = new OffscreenCanvas(width, height);
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('OffscreenCanvas 2D context unavailable');
    return ctx;
  }

  /** The w x h pixels at (x, y) of the frame, through a canvas of that size (1:1, no resampling). */
  private pixels(frame: ImageBitmap, x: number, y: number, width: number, height: number): ImageData {
    const ctx = this.context(width, height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(frame, x, y, width, height, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  }

  /**
   * Pays now, on a blank image, what the first frame would pay: the canvas and its 2D context, the
   * first pixel read-back and the normalisation's first run. Measured with `npm run bench --
   * startup` on a 2-core machine, the first camera frame's preprocessing took 40-77 ms against
   * ~1.5 ms for later frames, on the path to the first prediction; the worker calls this while it
   * waits for the runtime. Returns the tensor of the blank (black) image.
   */
  warm(spec: PreprocessSpec): Float32Array {
    const { cropWidth: width, cropHeight: height } = spec;
    const ctx = this.context(width, height);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, width, height);
    const image = ctx.getImageData(0, 0, width, height);
    const input = this.buffer(inputLength(spec));
    normalizeRegion(image.data, width, 0, 0, width, height, spec, input);
    return input;
  }

  /** The reused input buffer, at this size. */
  private buffer(size: number): Float32Array {
    if (!this.input || this.input.length !== size) this.input = new Float32Array(size);
    return this.input;
  }

  /**
   * The [1, 3, H, W] input for this frame and where the crop lies in the frame. Closes the frame.
   * Written into `out` when given, else into a buffer reused by the next call (copy it to keep it).
   */
  read(frame: ImageBitmap, spec: PreprocessSpec, out?: Float32Array): { input: Float32Array; crop: FrameCrop } {
    const frameWidth = frame.width;
    const frameHeight = frame.height;
    const input = out ?? this.buffer(inputLength(spec));
    // A frame captured at the resize size (the browser resampled it) needs only its crop: read those
    // pixels alone; any other frame is read whole and resampled by the shared preprocessing.
    let g: CropGeometry;
    let identity: boolean;
    let image: ImageData;
    try {
      g = cropGeometry(frameWidth, frameHeight, spec);
      identity = isIdentityResize(g);
      image = identity ? this.pixels(frame, g.left, g.top, g.cropWidth, g.cropHeight) : this.pixels(frame, 0, 0, frameWidth, frameHeight);
    } finally {
      frame.close();
    }
    if (identity) normalizeRegion(image.data, image.width, 0, 0, g.cropWidth, g.cropHeight, spec, input);
    else preprocess(image, spec, input);
    return { input, crop: { ...g.source, frameWidth, frameHeight } };
  }
}
