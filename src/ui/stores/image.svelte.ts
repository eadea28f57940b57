// Still images (picked, dropped or pasted) through the same worker pipeline as camera frames.
import { decodeImage, type DecodedImage } from '../../app/image-input';
import { camera } from './camera.svelte';
import { engine } from './engine.svelte';
import { acceptResult, inputRequests } from './pipeline';
import { results } from './results.svelte';

class ImageStore {
  error = $state('');
  busy = $state(false);
  /** True while an image holds the stage (until the user goes back to the camera). */
  active = $state(false);
  /** A display copy of the classified image (the worker's copy is transferred and closed). */
  shown = $state.raw<ImageBitmap | null>(null);
  name = $state('');
  /** Original size and original-pixels-per-bitmap-pixel, when the browser had to downscale it. */
  source = $state.raw<Pick<DecodedImage, 'sourceWidth' | 'sourceHeight' | 'scale' | 'offsetX' | 'offsetY'> | null>(null);

  async classify(file: File | Blob): Promise<void> {
    this.error = '';
    this.busy = true;
    try {
      if (!engine.ready) throw new Error('the model is still loading; try again in a moment');
      const decoded = await decodeImage(file, engine.manifest?.preprocess ?? null);
      await camera.suspendForStill();
      this.shown?.close();
      this.shown = await createImageBitmap(decoded.bitmap);
      this.name = (file as File).name ?? 'pasted image';
      this.active = true;
      const { sourceWidth, sourceHeight, scale, offsetX, offsetY } = decoded;
      this.source = { sourceWidth, sourceHeight, scale, offsetX, offsetY };
      acceptResult(await engine.client.classify(decoded.bitmap, 0, inputRequests.count > 0), 'image');
    } catch (err) {
      this.error = (err as Error).message;
      // Whatever was shown belonged to an earlier input: not an answer for this one.
      results.clear();
    } finally {
      this.busy = false;
    }
  }

  /** Leaves the image and returns to the live camera. */
  async backToCamera(): Promise<void> {
    this.active = false;
    this.error = '';
    await camera.backToLive();
  }
}

export const image = new ImageStore();
