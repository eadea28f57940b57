// A frame (ImageBitmap) -> the model's input tensor: read its pixels through an OffscreenCanvas,
// then the shared preprocessing module. Buffers are reused from frame to frame.
import type { PreprocessSpec } from '../model/manifest.js';
import { cropGeometry, preprocess } from '../preprocess/preprocess.js';

export interface FrameCrop {
  x: number;
  y: number;
  width: number;
  height: number;
  frameWidth: number;
  frameHeight: number;
}

export class FrameTensor {
  private canvas: OffscreenCanvas | null = null;
  private input: Float32Array | null = null;

  private pixels(frame: ImageBitmap): ImageData {
    const { width, height } = frame;
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) this.canvas = new OffscreenCanvas(width, height);
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('OffscreenCanvas 2D context unavailable');
    ctx.drawImage(frame, 0, 0);
    return ctx.getImageData(0, 0, width, height);
  }

  /**
   * The [1, 3, H, W] input for this frame (a buffer reused by the next call: copy it to keep it) and
   * where the crop lies in the frame. Closes the frame.
   */
  read(frame: ImageBitmap, spec: PreprocessSpec): { input: Float32Array; crop: FrameCrop } {
    const frameWidth = frame.width;
    const frameHeight = frame.height;
    let image: ImageData;
    try {
      image = this.pixels(frame);
    } finally {
      frame.close();
    }
    const size = 3 * spec.cropWidth * spec.cropHeight;
    if (!this.input || this.input.length !== size) this.input = new Float32Array(size);
    preprocess(image, spec, this.input);
    const crop = cropGeometry(frameWidth, frameHeight, spec).source;
    return { input: this.input, crop: { ...crop, frameWidth, frameHeight } };
  }
}
