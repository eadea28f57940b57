// A result card as one picture: the frame that was classified, the model's crop outlined on it,
// and the top-5 with probability bars below, drawn on a canvas for sharing.
import type { FrameCrop } from '../../engine/frame-tensor';
import { formatPercent, probabilityColour, theme } from '../format';

export interface CardRow {
  label: string;
  probability: number;
}

/** The crop the model saw, in the frame's pixels (what the inference worker reports). */
export type CardCrop = FrameCrop;

const WIDTH = 720;
const PAD = 24;
const ROW = 46;

export function drawResultCard(frame: ImageBitmap, crop: CardCrop | null, rows: readonly CardRow[], caption: string): HTMLCanvasElement {
  const scale = Math.min(WIDTH / frame.width, 540 / frame.height);
  const fw = Math.round(frame.width * scale);
  const fh = Math.round(frame.height * scale);
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = fh + PAD * 3 + 28 + rows.length * ROW;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('the browser could not draw the result card');
  g.fillStyle = '#0d1014';
  g.fillRect(0, 0, canvas.width, canvas.height);
  const fx = (WIDTH - fw) / 2;
  g.drawImage(frame, fx, 0, fw, fh);
  if (crop) {
    // The crop is in the frame's pixels; the frame may have been downscaled before classification.
    const s = fw / crop.frameWidth;
    g.strokeStyle = theme.crop;
    g.lineWidth = 3;
    g.strokeRect(fx + crop.x * s, crop.y * s, crop.width * s, crop.height * s);
  }
  let y = fh + PAD;
  g.textBaseline = 'top';
  g.fillStyle = '#8d99a8';
  g.font = '600 18px system-ui, sans-serif';
  g.fillText(caption, PAD, y);
  y += 28 + PAD / 2;
  rows.forEach((r, i) => {
    g.fillStyle = '#e8edf3';
    g.font = `${i === 0 ? 700 : 500} ${i === 0 ? 24 : 19}px system-ui, sans-serif`;
    g.fillText(r.label, PAD, y, WIDTH - PAD * 2 - 110);
    g.textAlign = 'right';
    g.fillText(formatPercent(r.probability), WIDTH - PAD, y);
    g.textAlign = 'left';
    g.fillStyle = '#262e39';
    g.fillRect(PAD, y + 30, WIDTH - PAD * 2, 6);
    g.fillStyle = probabilityColour(r.probability);
    g.fillRect(PAD, y + 30, Math.max(2, (WIDTH - PAD * 2) * r.probability), 6);
    y += ROW;
  });
  return canvas;
}
