// Draws the app icons (our own artwork): a camera aperture whose opening shows a 3x3 conv kernel.
// `npx tsx scripts/make-icons.ts` writes public/icons/*.png; the PNGs are committed, so this only
// runs again when the artwork changes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { PUBLIC_DIR } from './lib/paths.js';

type RGBA = [number, number, number, number];

const BACKGROUND: RGBA = [17, 20, 24, 255]; // #111418, the theme colour
const BLADE_DARK: RGBA = [36, 43, 54, 255];
const BLADE_LIGHT: RGBA = [48, 58, 72, 255];
const BLADE_EDGE: RGBA = [96, 112, 132, 255];
const RING_TOP: RGBA = [94, 234, 212, 255]; // teal
const RING_BOTTOM: RGBA = [20, 142, 160, 255];
const CELL_LOW: RGBA = [32, 120, 140, 255];
const CELL_HIGH: RGBA = [251, 176, 80, 255]; // amber: a strong activation
/** Kernel weights shown in the opening, as activation strengths 0..1 ([3, 3], row-major). */
const KERNEL = [0.15, 0.55, 0.25, 0.6, 1.0, 0.45, 0.2, 0.5, 0.1];

const RING_OUTER = 0.9;
const RING_INNER = 0.76;
/** Apothem of the hexagonal opening the six blades leave. */
const OPENING = 0.43;

function mix(a: RGBA, b: RGBA, t: number): RGBA {
  return [0, 1, 2, 3].map((i) => a[i] + (b[i] - a[i]) * t) as RGBA;
}

/** Colour of the artwork at (x, y), both in [-1, 1] with y pointing down; null = background. */
function artwork(x: number, y: number): RGBA | null {
  const r = Math.hypot(x, y);
  if (r > RING_OUTER) return null;
  if (r > RING_INNER) {
    // Lens barrel: lit from the top left, with a thin dark groove in the middle.
    const t = Math.min(1, Math.max(0, (y - x * 0.4 + 1) / 2));
    const groove = Math.abs(r - (RING_OUTER + RING_INNER) / 2) < 0.012;
    return groove ? mix(RING_BOTTOM, BACKGROUND, 0.5) : mix(RING_TOP, RING_BOTTOM, t);
  }
  // Hexagonal opening: inside when the point is within the apothem along all six side normals.
  let outside = 0;
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 + Math.PI / 6;
    outside = Math.max(outside, x * Math.cos(a) + y * Math.sin(a) - OPENING);
  }
  if (outside <= 0) {
    // 3x3 kernel cells inside a square that fits the hexagon, with gaps between them.
    const half = OPENING * 0.78;
    if (Math.abs(x) > half || Math.abs(y) > half) return BACKGROUND;
    const cell = (2 * half) / 3;
    const col = Math.min(2, Math.floor((x + half) / cell));
    const row = Math.min(2, Math.floor((y + half) / cell));
    const cx = x + half - col * cell;
    const cy = y + half - row * cell;
    const gap = cell * 0.09;
    if (cx < gap || cx > cell - gap || cy < gap || cy > cell - gap) return BACKGROUND;
    return mix(CELL_LOW, CELL_HIGH, KERNEL[row * 3 + col]);
  }
  // Blades: six sectors, twisted with radius so their edges curve like an iris diaphragm.
  const twist = (1.1 * (r - OPENING)) / (RING_INNER - OPENING);
  const theta = Math.atan2(y, x) - twist + Math.PI * 2;
  const sector = theta / (Math.PI / 3);
  const blade = Math.floor(sector) % 6;
  const edge = sector - Math.floor(sector);
  if (edge < 0.035 || outside < 0.012) return BLADE_EDGE;
  return blade % 2 ? BLADE_LIGHT : BLADE_DARK;
}

interface IconSpec {
  file: string;
  size: number;
  /** Artwork radius as a fraction of half the icon (maskable icons keep it in the safe zone). */
  scale: number;
  /** Corner radius of the background square as a fraction of the size; 0 = full bleed. */
  corner: number;
}

function inRoundedSquare(x: number, y: number, corner: number): boolean {
  if (corner === 0) return true;
  const c = 1 - 2 * corner; // corners in [-1, 1] units start here
  const dx = Math.max(0, Math.abs(x) - c);
  const dy = Math.max(0, Math.abs(y) - c);
  return dx * dx + dy * dy <= (2 * corner) ** 2;
}

/** Renders with 4x4 supersampling so edges are anti-aliased. */
function render({ size, scale, corner }: IconSpec): PNG {
  const png = new PNG({ width: size, height: size });
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = ((px + (sx + 0.5) / ss) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / ss) / size) * 2 - 1;
          if (!inRoundedSquare(x, y, corner)) continue; // transparent sample
          const c = artwork(x / scale, y / scale) ?? BACKGROUND;
          // Premultiplied accumulation, so transparent corners blend correctly.
          for (let i = 0; i < 3; i++) acc[i] += c[i] * (c[3] / 255);
          acc[3] += c[3];
        }
      }
      const n = ss * ss;
      const o = (py * size + px) * 4;
      const alpha = acc[3] / n;
      for (let i = 0; i < 3; i++) png.data[o + i] = alpha > 0 ? Math.round((acc[i] / n) * (255 / alpha)) : 0;
      png.data[o + 3] = Math.round(alpha);
    }
  }
  return png;
}

export const ICONS: IconSpec[] = [
  { file: 'icon-192.png', size: 192, scale: 1, corner: 0.2 },
  { file: 'icon-512.png', size: 512, scale: 1, corner: 0.2 },
  // Maskable: full bleed, artwork inside the central 80% circle that every mask keeps.
  { file: 'icon-maskable-512.png', size: 512, scale: 0.86, corner: 0 },
  // iOS rounds the corners itself and shows transparency as black: opaque, full bleed.
  { file: 'apple-touch-icon.png', size: 180, scale: 0.94, corner: 0 },
];

const outDir = join(PUBLIC_DIR, 'icons');
mkdirSync(outDir, { recursive: true });
for (const spec of ICONS) {
  const file = join(outDir, spec.file);
  writeFileSync(file, PNG.sync.write(render(spec), { colorType: spec.corner ? 6 : 2 }));
  console.log(`wrote ${file}`);
}
