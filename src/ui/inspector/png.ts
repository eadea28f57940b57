// Downloads a canvas as a PNG file (the browser encodes it; nothing leaves the device).
export function downloadCanvas(canvas: HTMLCanvasElement, fileName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error('the browser could not encode the image'));
        return;
      }
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      resolve();
    }, 'image/png');
  });
}

/** A file-name-safe version of a layer name ('fire2/expand1x1' -> 'fire2-expand1x1'). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}
