// Sharing a picture out of the app: the Web Share API with a file where the browser can share
// files (phones), else a download of the same PNG. Everything is made on the device; sharing
// hands the file to the system share sheet the user picks a target in, nothing is uploaded here.

export type ShareOutcome = 'shared' | 'downloaded' | 'cancelled';

/** The browser encodes the canvas as PNG. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the image'))), 'image/png');
  });
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Shares a PNG through the system share sheet when the browser can share files, else downloads it.
 * Dismissing the share sheet is not an error ('cancelled').
 */
export async function sharePng(blob: Blob, fileName: string, title: string): Promise<ShareOutcome> {
  const file = new File([blob], fileName, { type: 'image/png' });
  const data: ShareData = { files: [file], title };
  if (typeof navigator.share === 'function' && navigator.canShare?.(data)) {
    try {
      await navigator.share(data);
      return 'shared';
    } catch (err) {
      if ((err as { name?: string }).name === 'AbortError') return 'cancelled';
      // NotAllowedError and the like (no user activation left, policy): the download still works.
    }
  }
  download(blob, fileName);
  return 'downloaded';
}

export async function shareCanvas(canvas: HTMLCanvasElement, fileName: string, title: string): Promise<ShareOutcome> {
  return sharePng(await canvasToPng(canvas), fileName, title);
}

/** A file-name-safe version of a name ('fire2/expand1x1' -> 'fire2-expand1x1'). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** Whether this browser offers the share sheet for files (the buttons say "Share" then). */
export function canShareFiles(): boolean {
  if (typeof navigator === 'undefined' || typeof navigator.canShare !== 'function' || typeof File === 'undefined') return false;
  try {
    return navigator.canShare({ files: [new File([new Uint8Array(8)], 'probe.png', { type: 'image/png' })] });
  } catch {
    return false;
  }
}
