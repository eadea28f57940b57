// Still images (file picker, drop, paste) -> an ImageBitmap for the same worker pipeline as camera
// frames. Huge photos are downscaled by the browser before transfer; `scale` and the offset map the
// bitmap's coordinates (and so the crop the worker reports) back to the original image. When a
// downscale of the whole image would leave the crop fewer pixels than the model's input (a
// panorama), the crop's window is cut out of the original first and the guard applies to it.
import type { PreprocessSpec } from '../model/manifest.js';
import { cropGeometry, cropWindow, PreprocessError } from '../preprocess/preprocess.js';

/** Longest side sent to the worker. The model sees 227 px; 2048 leaves the antialiased resize plenty. */
export const MAX_IMAGE_SIDE = 2048;

export class ImageInputError extends Error {}

export interface DecodedImage {
  bitmap: ImageBitmap;
  /** Size of the original image. */
  sourceWidth: number;
  sourceHeight: number;
  /** Original pixels per bitmap pixel (1 unless downscaled). */
  scale: number;
  /** Where the bitmap's top-left lies in the original (0, 0 unless a window was cut out). */
  offsetX: number;
  offsetY: number;
}

/** The part of a width x height image to send, and the size to send it at. */
export interface ImagePlan {
  window: { x: number; y: number; width: number; height: number };
  width: number;
  height: number;
}

/**
 * What to send for an image of this size: all of it when it fits; else downscaled whole when the
 * crop still keeps the model's resolution; else the crop's window, downscaled only if it is huge.
 */
export function planImage(width: number, height: number, spec: PreprocessSpec | null, maxSide = MAX_IMAGE_SIDE): ImagePlan {
  const whole = { x: 0, y: 0, width, height };
  const fit = (w: number, h: number) => {
    const factor = Math.max(w, h) / maxSide;
    return factor <= 1 ? { width: w, height: h } : { width: Math.max(1, Math.round(w / factor)), height: Math.max(1, Math.round(h / factor)) };
  };
  if (Math.max(width, height) <= maxSide) return { window: whole, width, height };
  let window = whole;
  if (spec) {
    try {
      const sent = fit(width, height);
      const crop = cropGeometry(sent.width, sent.height, spec).source;
      const resizedCrop = Math.min(crop.width, crop.height);
      if (resizedCrop < Math.min(spec.cropWidth, spec.cropHeight)) window = cropWindow(width, height, spec);
    } catch (err) {
      // Too extreme to downscale whole at all (a side would drop below the crop): cut first.
      if (!(err instanceof PreprocessError)) throw err;
      window = cropWindow(width, height, spec);
    }
  }
  return { window, ...fit(window.width, window.height) };
}

/** The first image among pasted or dropped items, or null. */
export function firstImageFile(files: FileList | File[] | null | undefined): File | null {
  // Model files dropped on the page belong to the model loader, not to the image input.
  const list = Array.from(files ?? []).filter((f) => !/\.onnx$/i.test(f.name));
  return list.find((f) => f.type.startsWith('image/')) ?? list[0] ?? null;
}

/** Decodes and sizes an image for the worker; `spec` (the model's preprocessing) places the crop. */
export async function decodeImage(file: Blob & { name?: string }, spec: PreprocessSpec | null = null): Promise<DecodedImage> {
  const name = file.name ? `"${file.name}"` : 'The pasted item';
  // An empty type happens for pasted data and some drops: let the decoder decide then.
  if (file.type && !file.type.startsWith('image/')) {
    throw new ImageInputError(`${name} is not an image (${file.type}). Choose a JPEG, PNG, WebP or GIF photo.`);
  }
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(file);
  } catch {
    throw new ImageInputError(`${name} could not be decoded as an image: the file is damaged or in a format this browser cannot read.`);
  }
  const sourceWidth = full.width;
  const sourceHeight = full.height;
  const plan = planImage(sourceWidth, sourceHeight, spec);
  const { window } = plan;
  const untouched = window.width === sourceWidth && window.height === sourceHeight && plan.width === sourceWidth && plan.height === sourceHeight;
  if (untouched) return { bitmap: full, sourceWidth, sourceHeight, scale: 1, offsetX: 0, offsetY: 0 };
  try {
    const bitmap = await createImageBitmap(full, window.x, window.y, window.width, window.height, {
      resizeWidth: plan.width,
      resizeHeight: plan.height,
      resizeQuality: 'high',
    });
    return { bitmap, sourceWidth, sourceHeight, scale: window.width / bitmap.width, offsetX: window.x, offsetY: window.y };
  } finally {
    full.close();
  }
}
