// The custom model's preprocessing form: text as typed <-> a checked PreprocessSpec. Pure (no DOM,
// no stores), so every rule is unit-tested; errors name the field they are about.
import type { ChannelOrder, PreprocessSpec } from '../../model/manifest';

/** The editable settings, as typed by the user (parsed and checked on Apply). */
export interface ModelForm {
  /** Number inputs bind numbers (or null when emptied); kept loose. */
  inputSize: string | number | null;
  channelOrder: ChannelOrder;
  mean: string;
  std: string;
  scale: string;
  resizeShortSide: string | number | null;
}

export type FormField = keyof ModelForm;

/** A value in the form that cannot be used; `field` says which input to fix. */
export class ModelFormError extends Error {
  readonly kind = 'settings';
  constructor(
    readonly field: FormField,
    message: string,
  ) {
    super(message);
  }
}

/** The largest side, in pixels, accepted for the input size and the resize. */
export const MAX_FORM_PIXELS = 4096;

function formatNumber(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** 1/255 for scales that are the inverse of a whole number, else the number itself. */
export function formatScale(scale: number): string {
  const inverse = 1 / scale;
  if (scale < 1 && Math.abs(inverse - Math.round(inverse)) < 1e-6) return `1/${Math.round(inverse)}`;
  return formatNumber(scale);
}

export function formFrom(p: PreprocessSpec): ModelForm {
  return {
    inputSize: String(Math.min(p.cropWidth, p.cropHeight)),
    channelOrder: p.channelOrder,
    mean: p.mean.map(formatNumber).join(', '),
    std: p.std.map(formatNumber).join(', '),
    scale: formatScale(p.scale),
    resizeShortSide: String(p.resizeShortSide),
  };
}

export function parseTriple(text: string, field: 'mean' | 'std'): [number, number, number] {
  const what = field === 'mean' ? 'Mean' : 'Std';
  const parts = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) {
    throw new ModelFormError(field, `${what} needs three numbers, one per channel (e.g. 0.485, 0.456, 0.406); got "${text}"`);
  }
  return parts as [number, number, number];
}

export function parseScale(text: string): number {
  const t = text.trim();
  const fraction = /^([\d.]+)\s*\/\s*([\d.]+)$/.exec(t);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(t);
  if (!t || !Number.isFinite(value) || value <= 0) throw new ModelFormError('scale', `Scale must be a positive number such as 1/255 or 1; got "${text}"`);
  return value;
}

export function parsePixels(text: string | number | null, field: 'inputSize' | 'resizeShortSide'): number {
  const what = field === 'inputSize' ? 'Input size' : 'Resize short side';
  const value = text === null || String(text).trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_FORM_PIXELS) {
    throw new ModelFormError(field, `${what} must be a whole number of pixels from 1 to ${MAX_FORM_PIXELS}; got "${text ?? ''}"`);
  }
  return value;
}

/** The parts of the form that do not depend on the model's input size. */
export interface ParsedForm {
  mean: [number, number, number];
  std: [number, number, number];
  scale: number;
  resizeShortSide: number;
  channelOrder: ChannelOrder;
  /** Only read for models with a dynamic input size. */
  inputSize: number | null;
}

export function parseForm(form: ModelForm, dynamicSize: boolean): ParsedForm {
  const mean = parseTriple(form.mean, 'mean');
  const std = parseTriple(form.std, 'std');
  if (std.some((s) => s === 0)) throw new ModelFormError('std', 'Std must not contain 0 (it divides each channel)');
  const scale = parseScale(form.scale);
  const resizeShortSide = parsePixels(form.resizeShortSide, 'resizeShortSide');
  const inputSize = dynamicSize ? parsePixels(form.inputSize, 'inputSize') : null;
  return { mean, std, scale, resizeShortSide, channelOrder: form.channelOrder, inputSize };
}

/** The checked form applied to a model input of height x width. */
export function preprocessFrom(parsed: ParsedForm, height: number, width: number): PreprocessSpec {
  if (parsed.resizeShortSide < Math.min(width, height)) {
    throw new ModelFormError(
      'resizeShortSide',
      `Resize short side (${parsed.resizeShortSide}) must be at least the model's input size (${Math.min(width, height)} px)`,
    );
  }
  const { resizeShortSide, channelOrder, scale, mean, std } = parsed;
  return { resizeShortSide, cropWidth: width, cropHeight: height, channelOrder, scale, mean, std };
}
