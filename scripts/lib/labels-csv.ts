// The photo-labels CSV that `npm run eval`, the accuracy tests and the dev photos share:
// a header naming file, wnid and imagenet_index (any order), then one row per photo.
import { readFileSync } from 'node:fs';

export interface LabelRow {
  /** The photo, relative to the CSV's photo folder. */
  file: string;
  wnid: string;
  /** ImageNet class index, 0..999. */
  index: number;
}

/** Reads and checks the CSV: each problem is named with the file and, for a row, its line. */
export function readLabelsCsv(csv: string): LabelRow[] {
  const lines = readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  if (lines.length === 0) throw new Error(`${csv} is empty; it needs a header row (file,wnid,imagenet_index) and one row per photo`);
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${csv}: no "${name}" column (found ${header.join(', ')})`);
    return i;
  };
  const [fi, wi, ii] = [col('file'), col('wnid'), col('imagenet_index')];
  const rows = lines.slice(1).map((line, k) => {
    const cells = line.split(',');
    const index = Number(cells[ii]);
    if (!Number.isInteger(index) || index < 0 || index > 999) {
      throw new Error(`${csv}, line ${k + 2}: imagenet_index must be a whole number from 0 to 999, found "${cells[ii] ?? ''}"`);
    }
    return { file: (cells[fi] ?? '').trim(), wnid: (cells[wi] ?? '').trim(), index };
  });
  if (rows.length === 0) throw new Error(`${csv} has a header but no photos`);
  return rows;
}
