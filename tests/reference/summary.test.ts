// Golden-output tests of the model summary. Regenerate on purpose with UPDATE_GOLDEN=1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/paths.js';
import { readOnnx } from '../../src/reference/load-graph.js';
import { architectureOnnx, type ArchitectureName } from '../builders/architectures.js';
import { formatSummary } from '../../src/summary/format.js';
import { receptiveFieldOfCell } from '../../src/summary/receptive-field.js';
import { summarizeModel, windowCoverage } from '../../src/summary/summary.js';
import { SQUEEZENET_PATH } from '../../scripts/summary.js';

const goldenDir = join(ROOT, 'tests', 'golden');

function checkGolden(name: string, text: string): void {
  const file = join(goldenDir, `summary-${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

// Building AlexNet (244 MB) is the slow part: build each variant once for all tests here.
const graphs = new Map<ArchitectureName, ReturnType<typeof readOnnx>>();
function graphOf(arch: ArchitectureName): ReturnType<typeof readOnnx> {
  if (!graphs.has(arch)) graphs.set(arch, readOnnx(architectureOnnx(arch, SQUEEZENET_PATH)));
  return graphs.get(arch)!;
}

const TOTALS: Record<ArchitectureName, number> = {
  squeezenet1_0: 1_248_424,
  alexnet: 61_100_840,
  'alexnet-paper': 60_965_224,
  'all-ops': 0,
};

describe('model summary', () => {
  for (const arch of ['squeezenet1_0', 'alexnet', 'alexnet-paper', 'all-ops'] as ArchitectureName[]) {
    it.runIf(arch !== 'squeezenet1_0' || existsSync(SQUEEZENET_PATH))(`${arch} matches its golden text`, () => {
      const summary = summarizeModel(graphOf(arch));
      if (TOTALS[arch]) expect(summary.totals.params).toBe(TOTALS[arch]);
      checkGolden(arch, formatSummary(summary));
    });
  }

  it('flags windows that do not tile the input, with the rows and columns never covered', () => {
    const summary = summarizeModel(graphOf('alexnet'));
    const conv1 = summary.rows.find((r) => r.name === 'conv1')!;
    // (224 - 11 + 2 * 2) / 4 + 1 = 55.25: the window stops at input column 224 - only padding is missed.
    expect(conv1.coverage).toEqual({ exact: false, uncoveredRows: 0, uncoveredCols: 0, exactOutput: [55.25, 55.25] });
    const text = formatSummary(summary);
    expect(text).toContain('conv1: output 55.25 x 55.25 -> 55 x 55');
  });

  it('counts input rows a strided window never reaches', () => {
    // 8x8 input, 3x3 kernel, stride 2, no pad: (8 - 3) / 2 + 1 = 3.5 -> 3 windows covering rows 0..6.
    const summary = summarizeModel(graphOf('all-ops'));
    expect(summary.rows.length).toBeGreaterThan(20);
    const c = windowCoverage({ kind: 'window', kernel: [3, 3], stride: [2, 2], padBegin: [0, 0], padEnd: [0, 0], dilation: [1, 1] }, 8, 8, 3, 3);
    expect(c).toEqual({ exact: false, uncoveredRows: 1, uncoveredCols: 1, exactOutput: [3.5, 3.5] });
  });

  it('maps a feature-map cell back to input pixels', () => {
    const summary = summarizeModel(graphOf('alexnet-paper'));
    const pool1 = summary.rows.find((r) => r.name === 'pool1')!;
    // conv1 11x11 stride 4 then pool 3x3 stride 2: size 11 + 2 * 4 = 19, jump 8.
    expect(pool1.receptiveField.h).toEqual({ size: 19, jump: 8, start: 0 });
    expect(receptiveFieldOfCell(pool1.receptiveField, 1, 2).unclipped).toEqual({ x0: 16, y0: 8, x1: 35, y1: 27 });
    const conv2 = summary.rows.find((r) => r.name === 'conv2')!;
    // pad 2 at jump 8 starts the field 16 pixels before the image.
    const cell = receptiveFieldOfCell(conv2.receptiveField, 0, 0);
    expect(cell.unclipped).toEqual({ x0: -16, y0: -16, x1: 35, y1: 35 });
    expect(cell.clipped).toEqual({ x0: 0, y0: 0, x1: 35, y1: 35 });
    const fc8 = summary.rows.find((r) => r.name === 'fc8')!;
    expect(receptiveFieldOfCell(fc8.receptiveField, 0, 0).clipped).toEqual({ x0: 0, y0: 0, x1: 227, y1: 227 });
  });
});
