// The head trainer on synthetic clusters: softmax regression, the nearest-mean fallback, the
// unknown answer, the held-out check, determinism, and every bad input's message.
import { describe, expect, it } from 'vitest';
import { checkNewClassName, validateClasses, type TeachClass } from '../../src/teach/classes.js';
import { heldOutCheck, heldOutUnavailable } from '../../src/teach/held-out.js';
import { normalise, predictHead, trainHead } from '../../src/teach/train-head.js';
import { clusters } from '../../scripts/lib/synthetic-embeddings.js';
import { teachError } from './teach-error-of.js';

function split(data: TeachClass[], train: number): { train: TeachClass[]; test: TeachClass[] } {
  return {
    train: data.map((c) => ({ name: c.name, embeddings: c.embeddings.slice(0, train) })),
    test: data.map((c) => ({ name: c.name, embeddings: c.embeddings.slice(train) })),
  };
}

function accuracy(head: ReturnType<typeof trainHead>, test: TeachClass[]): number {
  let correct = 0;
  let total = 0;
  test.forEach((c, ci) => c.embeddings.forEach((e) => {
    total++;
    if (predictHead(head, e).best === ci) correct++;
  }));
  return correct / total;
}

describe('trainHead', () => {
  const data = clusters({ classes: 6, perClass: 30, dim: 64, spread: 0.6, seed: 3 });
  const { train, test } = split(data, 20);

  it('fits separable clusters with softmax regression and generalises to new examples', () => {
    const head = trainHead(train);
    expect(head.method).toBe('softmax-regression');
    expect(head.iterations).toBeGreaterThan(0);
    expect(head.weights).toHaveLength(6 * 64);
    expect(accuracy(head, train)).toBe(1);
    expect(accuracy(head, test)).toBeGreaterThanOrEqual(0.95);
    // Weight decay keeps the weights finite and lower decay lets them grow.
    const norm = (w: Float32Array): number => Math.hypot(...w);
    expect(norm(trainHead(train, { weightDecay: 1e-5 }).weights)).toBeGreaterThan(norm(head.weights));
  });

  it('is deterministic', () => {
    const a = trainHead(train);
    const b = trainHead(train);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.bias)).toEqual(Array.from(b.bias));
  });

  it('centres and L2-normalises embeddings; a zero vector stays zero', () => {
    const centre = Float32Array.of(1, 1, 1);
    expect(Array.from(normalise(Float32Array.of(4, 5, 1), centre))).toEqual([0.6000000238418579, 0.800000011920929, 0]);
    expect(Array.from(normalise(Float32Array.of(1, 1, 1), centre))).toEqual([0, 0, 0]);
  });

  it('falls back to nearest class mean when a class has fewer than 3 examples', () => {
    const few = split(data, 2);
    const head = trainHead(few.train);
    expect(head.method).toBe('nearest-class-mean');
    expect(head.iterations).toBe(0);
    // Each weight row is the class's mean direction times the temperature (10).
    expect(Math.hypot(...head.weights.subarray(0, 64))).toBeCloseTo(10, 4);
    expect(accuracy(head, few.test)).toBeGreaterThanOrEqual(0.9);
    // One class with 3 examples is not enough: the smallest class decides.
    const mixed = few.train.map((c, i) => (i === 0 ? data[0] : c));
    expect(trainHead(mixed).method).toBe('nearest-class-mean');
    expect(trainHead(split(data, 3).train).method).toBe('softmax-regression');
  });

  it('answers unknown when the top probability is under the threshold', () => {
    const head = trainHead(train);
    const member = predictHead(head, test[2].embeddings[0]);
    expect(member.label).toBe('class 2');
    expect(member.probabilities[2]).toBeGreaterThan(head.unknownThreshold);
    // The mean of all training examples is like every class and none: no class is confident.
    const between = predictHead(head, head.centre);
    expect(Math.max(...between.probabilities)).toBeLessThan(head.unknownThreshold);
    expect(between.label).toBeNull();
    // The threshold is an option: at 0.9999 even members are unknown.
    expect(predictHead(trainHead(train, { unknownThreshold: 0.9999 }), test[2].embeddings[0]).label).toBeNull();
    const sum = member.probabilities.reduce((x, y) => x + y, 0);
    expect(sum).toBeCloseTo(1, 5);
  });

  it('trains on embeddings of unequal class sizes (class-balanced loss)', () => {
    const unbalanced = train.map((c, i) => ({ name: c.name, embeddings: c.embeddings.slice(0, i === 0 ? 20 : 4) }));
    expect(accuracy(trainHead(unbalanced), test)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('heldOutCheck', () => {
  const data = clusters({ classes: 4, perClass: 12, dim: 32, spread: 0.6, seed: 8 });

  it('reports stratified k-fold accuracy per class, each example predicted once', () => {
    const report = heldOutCheck(data, { seed: 4 })!;
    expect(report.method).toBe('stratified 5-fold cross-validation');
    expect(report.perClass.map((p) => [p.name, p.total])).toEqual(data.map((c) => [c.name, 12]));
    expect(report.total).toBe(48);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(heldOutCheck(data, { seed: 4 })).toEqual(report);
  });

  it('uses as many folds as the smallest class allows, and reports a wrong class as wrong', () => {
    const small = data.map((c) => ({ name: c.name, embeddings: c.embeddings.slice(0, 3) }));
    expect(heldOutCheck(small)!.method).toBe('stratified 3-fold cross-validation');
    // Swapping the examples of two classes in half the data makes those examples wrong.
    const confused = data.map((c) => ({ ...c, embeddings: [...c.embeddings] }));
    for (let i = 0; i < 6; i++) [confused[0].embeddings[i], confused[1].embeddings[i]] = [confused[1].embeddings[i], confused[0].embeddings[i]];
    const report = heldOutCheck(confused)!;
    expect(report.perClass[0].accuracy).toBeLessThan(0.9);
    expect(report.perClass[2].accuracy).toBe(1);
  });

  it('says why no check is possible with one example in a class', () => {
    const one = data.map((c, i) => ({ name: c.name, embeddings: c.embeddings.slice(0, i === 1 ? 1 : 5) }));
    expect(heldOutCheck(one)).toBeNull();
    expect(heldOutUnavailable(one)).toBe('a held-out check needs at least 2 examples per class ("class 1" has fewer)');
  });
});

describe('bad input', () => {
  const e = (): Float32Array => Float32Array.of(1, 2, 3);

  it('a class with no examples', () => {
    const err = teachError(() => trainHead([{ name: 'keys', embeddings: [e()] }, { name: 'wallet', embeddings: [] }]));
    expect(err.kind).toBe('no-examples');
    expect(err.className).toBe('wallet');
    expect(err.message).toBe('class "wallet" has no examples: add photos or record some before training, or remove the class');
  });

  it('duplicate class names, ignoring case and surrounding spaces', () => {
    const err = teachError(() => trainHead([{ name: 'Keys', embeddings: [e()] }, { name: ' keys ', embeddings: [e()] }]));
    expect(err.kind).toBe('duplicate-class');
    expect(err.message).toBe('two classes are named "Keys" and "keys": class names must differ (ignoring case and surrounding spaces)');
    expect(teachError(() => checkNewClassName('KEYS', ['cat', 'keys '])).message).toBe('there is already a class named "keys" (names must differ, ignoring case and surrounding spaces)');
    expect(checkNewClassName('  mug ', ['cat'])).toBe('mug');
    expect(teachError(() => checkNewClassName('   ', [])).kind).toBe('empty-class-name');
  });

  it('one class', () => {
    expect(teachError(() => trainHead([{ name: 'keys', embeddings: [e()] }])).message).toBe('teaching needs at least 2 classes; there is only one class ("keys")');
    expect(teachError(() => validateClasses([{ name: 'keys', embeddings: [e()] }], 'export')).message).toBe(
      'cannot export a model with only one class ("keys"): a classifier needs at least 2 classes to choose between',
    );
  });

  it('examples of different lengths (from another model)', () => {
    const err = teachError(() => trainHead([{ name: 'a', embeddings: [e()] }, { name: 'b', embeddings: [Float32Array.of(1, 2)] }]));
    expect(err.kind).toBe('embedding-size');
    expect(err.message).toContain('class "b" has an example with 2 features where the others have 3');
  });
});
