import { describe, expect, it } from 'vitest';
import type { PreprocessSpec } from '../../model/manifest';
import { formatScale, formFrom, ModelFormError, parseForm, parsePixels, parseScale, parseTriple, preprocessFrom, type ModelForm } from './model-form';

const torchvision: PreprocessSpec = {
  resizeShortSide: 256,
  cropWidth: 224,
  cropHeight: 224,
  channelOrder: 'RGB',
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelFormError) return `${err.field}: ${err.message}`;
    throw err;
  }
  throw new Error('no error');
}

describe('model form', () => {
  it('shows a spec as typed text and parses it back to the same spec', () => {
    const form = formFrom(torchvision);
    expect(form).toEqual({ inputSize: '224', channelOrder: 'RGB', mean: '0.485, 0.456, 0.406', std: '0.229, 0.224, 0.225', scale: '1/255', resizeShortSide: '256' });
    const parsed = parseForm(form, false);
    expect(parsed.inputSize).toBeNull();
    expect(preprocessFrom(parsed, 224, 224)).toEqual(torchvision);
  });

  it('formats scales as fractions only when they are inverses of whole numbers', () => {
    expect(formatScale(1 / 255)).toBe('1/255');
    expect(formatScale(1)).toBe('1');
    expect(formatScale(0.017)).toBe('0.017');
  });

  it('accepts triples separated by commas, spaces or semicolons, and fractions for the scale', () => {
    expect(parseTriple('1;2 3', 'mean')).toEqual([1, 2, 3]);
    expect(parseTriple(' 104, 117,123 ', 'mean')).toEqual([104, 117, 123]);
    expect(parseScale('1 / 127.5')).toBeCloseTo(1 / 127.5, 12);
    expect(parseScale('0.5')).toBe(0.5);
  });

  it('names the field of every refused value', () => {
    expect(fieldOf(() => parseTriple('1, 2', 'mean'))).toBe('mean: Mean needs three numbers, one per channel (e.g. 0.485, 0.456, 0.406); got "1, 2"');
    expect(fieldOf(() => parseTriple('a, b, c', 'std'))).toMatch(/^std: Std needs three numbers/);
    expect(fieldOf(() => parseScale('-1'))).toBe('scale: Scale must be a positive number such as 1/255 or 1; got "-1"');
    expect(fieldOf(() => parseScale('1/0'))).toMatch(/^scale:/);
    expect(fieldOf(() => parsePixels('', 'inputSize'))).toBe('inputSize: Input size must be a whole number of pixels from 1 to 4096; got ""');
    expect(fieldOf(() => parsePixels(null, 'resizeShortSide'))).toMatch(/^resizeShortSide: Resize short side must be/);
    expect(fieldOf(() => parsePixels(4097, 'inputSize'))).toMatch(/from 1 to 4096; got "4097"/);
    expect(fieldOf(() => parsePixels('12.5', 'inputSize'))).toMatch(/^inputSize:/);
  });

  it('refuses a zero std and a resize smaller than the input', () => {
    const form: ModelForm = { ...formFrom(torchvision), std: '0.2, 0, 0.2' };
    expect(fieldOf(() => parseForm(form, false))).toBe('std: Std must not contain 0 (it divides each channel)');
    const small = parseForm({ ...formFrom(torchvision), resizeShortSide: 100 }, false);
    expect(fieldOf(() => preprocessFrom(small, 224, 224))).toBe("resizeShortSide: Resize short side (100) must be at least the model's input size (224 px)");
  });

  it('reads the input size only for dynamic models', () => {
    const form: ModelForm = { ...formFrom(torchvision), inputSize: 64, resizeShortSide: 72, channelOrder: 'BGR' };
    const parsed = parseForm(form, true);
    expect(parsed.inputSize).toBe(64);
    expect(preprocessFrom(parsed, 64, 64)).toMatchObject({ resizeShortSide: 72, cropWidth: 64, cropHeight: 64, channelOrder: 'BGR' });
    expect(parseForm({ ...form, inputSize: 'nonsense' }, false).inputSize).toBeNull();
  });
});
