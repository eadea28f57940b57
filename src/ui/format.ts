// Colours and number formats for every view, in one place.

/** Theme colours shared by components that draw (CSS uses the same values as custom properties). */
export const theme = {
  accent: '#4cc2ff',
  crop: '#ffd166',
  good: '#5ee6a8',
  warn: '#ffb454',
  bad: '#ff6b6b',
} as const;

/** Milliseconds with one decimal under 100 ms, whole above. */
export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  return ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

export function formatPercent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

export function formatFps(fps: number): string {
  return fps > 0 ? fps.toFixed(1) : '0';
}

/** Bar colour by confidence: dim blue when unsure, accent green when sure. */
export function probabilityColour(p: number): string {
  const t = Math.max(0, Math.min(1, p));
  const hue = 200 - 50 * t;
  return `hsl(${hue.toFixed(0)} 85% ${(48 + 10 * t).toFixed(0)}%)`;
}
