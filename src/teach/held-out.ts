// The held-out check shown beside a taught head: stratified k-fold cross-validation. Each class's
// examples are shuffled (seeded) and dealt round-robin into k folds, k = min(maxFolds, the
// smallest class's example count); every example is predicted once by a head trained on the
// other folds with the same options. Accuracy counts the most probable class (the unknown
// threshold is not applied), per class and overall.
import { createRng } from '../model/seeded-rng.js';
import { validateClasses, type TeachClass } from './classes.js';
import { predictHead, trainHead, type HeadOptions } from './train-head.js';

export interface ClassAccuracy {
  name: string;
  correct: number;
  total: number;
  accuracy: number;
}

export interface HeldOutReport {
  /** In words, e.g. "stratified 5-fold cross-validation". */
  method: string;
  folds: number;
  perClass: ClassAccuracy[];
  correct: number;
  total: number;
  accuracy: number;
}

export interface HeldOutOptions extends HeadOptions {
  seed?: number;
  maxFolds?: number;
}

/** Why no check can be made, or null when one can (every class needs 2 examples). */
export function heldOutUnavailable(classes: readonly TeachClass[]): string | null {
  const few = classes.filter((c) => c.embeddings.length < 2).map((c) => `"${c.name.trim()}"`);
  return few.length ? `a held-out check needs at least 2 examples per class (${few.join(', ')} ${few.length === 1 ? 'has' : 'have'} fewer)` : null;
}

export function heldOutCheck(classes: readonly TeachClass[], options: HeldOutOptions = {}): HeldOutReport | null {
  validateClasses(classes, 'train');
  if (heldOutUnavailable(classes)) return null;
  const folds = Math.min(options.maxFolds ?? 5, ...classes.map((c) => c.embeddings.length));
  const rng = createRng(options.seed ?? 1);
  const foldOf = classes.map((c) => {
    const order = shuffled(c.embeddings.length, rng);
    const f = new Int32Array(c.embeddings.length);
    order.forEach((example, position) => (f[example] = position % folds));
    return f;
  });
  const perClass: ClassAccuracy[] = classes.map((c) => ({ name: c.name.trim(), correct: 0, total: 0, accuracy: 0 }));
  for (let fold = 0; fold < folds; fold++) {
    const train = classes.map((c, ci) => ({ name: c.name, embeddings: c.embeddings.filter((_, i) => foldOf[ci][i] !== fold) }));
    const head = trainHead(train, options);
    classes.forEach((c, ci) =>
      c.embeddings.forEach((e, i) => {
        if (foldOf[ci][i] !== fold) return;
        perClass[ci].total++;
        if (predictHead(head, e).best === ci) perClass[ci].correct++;
      }),
    );
  }
  for (const p of perClass) p.accuracy = p.correct / p.total;
  const correct = perClass.reduce((a, p) => a + p.correct, 0);
  const total = perClass.reduce((a, p) => a + p.total, 0);
  return { method: `stratified ${folds}-fold cross-validation`, folds, perClass, correct, total, accuracy: correct / total };
}

/** Fisher-Yates shuffle of 0..n-1. */
export function shuffled(n: number, rng: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
