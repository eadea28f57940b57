// A labels file -> class names, refusing what is not a list of names: bytes that are not UTF-8
// text, control characters, a count that does not match the model. Names are trimmed and capped in
// length (the caller says so to the user), so no name can blow up the layout or the storage.

export const MAX_LABEL_LENGTH = 120;

export class LabelsError extends Error {
  readonly kind = 'labels';
}

// Tab, line feed and carriage return are the only control characters a text list may hold.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;

export interface ParsedLabels {
  labels: string[];
  /** How many names were cut to MAX_LABEL_LENGTH characters. */
  shortened: number;
}

function describeChar(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function parseLabelsFile(bytes: Uint8Array, numClasses: number, fileName: string): ParsedLabels {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LabelsError(`${fileName} is not UTF-8 text: a labels file is plain text, one class name per line`);
  }
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new LabelsError(`${fileName} holds no class names`);
  if (lines.length !== numClasses) throw new LabelsError(`${fileName} has ${lines.length} names but the model has ${numClasses} classes`);
  let shortened = 0;
  const labels = lines.map((line, i) => {
    const bad = CONTROL.exec(line);
    if (bad) throw new LabelsError(`${fileName} line ${i + 1} holds a control character (${describeChar(bad[0])}): a labels file is plain text, one class name per line`);
    const name = line.trim();
    const chars = Array.from(name);
    if (chars.length <= MAX_LABEL_LENGTH) return name;
    shortened++;
    return `${chars.slice(0, MAX_LABEL_LENGTH - 1).join('')}…`;
  });
  return { labels, shortened };
}

/** The note shown after a labels file whose names had to be shortened. */
export function shortenedNote(parsed: ParsedLabels, fileName: string): string {
  if (!parsed.shortened) return '';
  const n = parsed.shortened;
  return `${n} ${n === 1 ? 'name' : 'names'} in ${fileName} ${n === 1 ? 'was' : 'were'} longer than ${MAX_LABEL_LENGTH} characters and ${n === 1 ? 'was' : 'were'} shortened`;
}
