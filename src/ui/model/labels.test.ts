import { describe, expect, it } from 'vitest';
import { LabelsError, MAX_LABEL_LENGTH, parseLabelsFile, shortenedNote } from './labels';
import { MAX_REMEMBERED_CHARS, RememberedModels } from './remembered';

const utf8 = (s: string) => new TextEncoder().encode(s);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LabelsError);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('labels file', () => {
  it('reads trimmed UTF-8 names, one per line, ignoring a BOM, CRLF and trailing blank lines', () => {
    const parsed = parseLabelsFile(utf8('\uFEFF  pomme \r\nbanane\r\nkirsche 🍒\n\n\n'), 3, 'fruit.txt');
    expect(parsed).toEqual({ labels: ['pomme', 'banane', 'kirsche 🍒'], shortened: 0 });
  });

  it('refuses bytes that are not UTF-8 text', () => {
    const binary = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0a, 0xff, 0xfe, 0x0a, 0x00, 0x0a]);
    expect(messageOf(() => parseLabelsFile(binary, 4, 'photo.png'))).toBe('photo.png is not UTF-8 text: a labels file is plain text, one class name per line');
  });

  it('refuses control characters, naming the line', () => {
    expect(messageOf(() => parseLabelsFile(utf8('a\nb\u0000c\n'), 2, 'x.txt'))).toBe(
      'x.txt line 2 holds a control character (U+0000): a labels file is plain text, one class name per line',
    );
    expect(messageOf(() => parseLabelsFile(utf8('a\u001b[31m\nb\n'), 2, 'x.txt'))).toMatch(/line 1 holds a control character \(U\+001B\)/);
  });

  it('refuses a count that does not match the model', () => {
    expect(messageOf(() => parseLabelsFile(utf8('apple\nbanana\n'), 4, 'fruit.txt'))).toBe('fruit.txt has 2 names but the model has 4 classes');
    expect(messageOf(() => parseLabelsFile(utf8('\n\n'), 4, 'e.txt'))).toBe('e.txt holds no class names');
  });

  it('caps long names and says how many were shortened', () => {
    const long = 'x'.repeat(300_000);
    const parsed = parseLabelsFile(utf8(`${long}\nshort\n${'é'.repeat(MAX_LABEL_LENGTH + 1)}\n`), 3, 'long.txt');
    expect(parsed.labels.map((l) => Array.from(l).length)).toEqual([MAX_LABEL_LENGTH, 5, MAX_LABEL_LENGTH]);
    expect(parsed.labels[0].endsWith('…')).toBe(true);
    expect(parsed.shortened).toBe(2);
    expect(shortenedNote(parsed, 'long.txt')).toBe(`2 names in long.txt were longer than ${MAX_LABEL_LENGTH} characters and were shortened`);
  });
});

describe('remembered settings', () => {
  const preprocess = { resizeShortSide: 256, cropWidth: 224, cropHeight: 224, channelOrder: 'RGB' as const, scale: 1 / 255, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };

  it('keeps labels while they fit and drops them (with a note) over the cap', () => {
    const data = new Map<string, string>();
    const store = new RememberedModels({ getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) });
    expect(store.save('small', { preprocess, labels: ['a', 'b'] })).toBe('');
    expect(store.load('small')).toEqual({ preprocess, labels: ['a', 'b'] });
    const big = Array.from({ length: 2000 }, (_, i) => `${'n'.repeat(110)}${i}`);
    expect(store.save('big', { preprocess, labels: big })).toMatch(/^The labels are too large to remember on this device/);
    expect(store.load('big')).toEqual({ preprocess });
    for (const v of data.values()) expect(v.length).toBeLessThanOrEqual(MAX_REMEMBERED_CHARS);
  });
});
