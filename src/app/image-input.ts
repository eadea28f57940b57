// Still images (file picker, drop, paste) -> an ImageBitmap for the same worker pipeline as camera
// frames. Huge photos are downscaled by the browser before transfer; `scale` maps the bitmap's
// coordinates (and so the crop the worker reports) back to the original image.

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
}

/** The first image among pasted or dropped items, or null. */
export function firstImageFile(files: FileList | File[] | null | undefined): File | null {
  // Model files dropped on the page belong to the model loader, not to the image input.
  const list = Array.from(files ?? []).filter((f) => !/\.onnx$/i.test(f.name));
  return list.find((f) => f.type.startsWith('image/')) ?? list[0] ?? null;
}

export async function decodeImage(file: Blob & { name?: string }): Promise<DecodedImage> {
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
  const long = Math.max(sourceWidth, sourceHeight);
  if (long <= MAX_IMAGE_SIDE) return { bitmap: full, sourceWidth, sourceHeight, scale: 1 };
  const scale = long / MAX_IMAGE_SIDE;
  try {
    const bitmap = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(sourceWidth / scale)),
      resizeHeight: Math.max(1, Math.round(sourceHeight / scale)),
      resizeQuality: 'high',
    });
    return { bitmap, sourceWidth, sourceHeight, scale: sourceWidth / bitmap.width };
  } finally {
    full.close();
  }
}
