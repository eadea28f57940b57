// The taught classes as the app and the command line hold them, and the checks every training
// and export runs first, each failing with a message that names the class at fault.
import { TeachError } from './teach-error.js';

export interface TeachClass {
  name: string;
  /** One embedding per example, all of the same length. */
  embeddings: Float32Array[];
}

/** The form two names are compared in: "Keys " and "keys" are the same class. */
export function classKey(name: string): string {
  return name.trim().toLocaleLowerCase();
}

/** Throws when a new class name is empty or already taken (adding a class in the UI). */
export function checkNewClassName(name: string, existing: readonly string[]): string {
  const trimmed = name.trim();
  if (!trimmed) throw new TeachError('empty-class-name', 'a class needs a name');
  const clash = existing.find((e) => classKey(e) === classKey(trimmed));
  if (clash !== undefined) {
    throw new TeachError('duplicate-class', `there is already a class named "${clash.trim()}" (names must differ, ignoring case and surrounding spaces)`, trimmed);
  }
  return trimmed;
}

/** Checks class names before training or export: at least two, distinct (ignoring case and spaces), non-empty. */
export function validateClassNames(names: readonly string[], purpose: 'train' | 'export' = 'train'): void {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) throw new TeachError('empty-class-name', 'a class has no name: give every class a name');
    const before = seen.get(classKey(name));
    if (before !== undefined) {
      throw new TeachError('duplicate-class', `two classes are named "${before}" and "${name}": class names must differ (ignoring case and surrounding spaces)`, name);
    }
    seen.set(classKey(name), name);
  }
  if (names.length < 2) {
    const which = names.length === 1 ? `only one class ("${names[0].trim()}")` : 'no classes';
    throw new TeachError(
      'too-few-classes',
      purpose === 'export'
        ? `cannot export a model with ${which}: a classifier needs at least 2 classes to choose between`
        : `teaching needs at least 2 classes; there is ${which}`,
    );
  }
}

/**
 * Checks a set of classes before training (purpose 'train') or export ('export'): the names
 * (validateClassNames), every class with examples, one embedding length. Returns that length.
 */
export function validateClasses(classes: readonly TeachClass[], purpose: 'train' | 'export' = 'train'): number {
  validateClassNames(classes.map((c) => c.name), purpose);
  for (const c of classes) {
    if (c.embeddings.length === 0) {
      throw new TeachError('no-examples', `class "${c.name.trim()}" has no examples: add photos or record some before ${purpose === 'export' ? 'exporting' : 'training'}, or remove the class`, c.name.trim());
    }
  }
  const dim = classes[0].embeddings[0].length;
  for (const c of classes) {
    const bad = c.embeddings.find((e) => e.length !== dim);
    if (bad) {
      throw new TeachError('embedding-size', `class "${c.name.trim()}" has an example with ${bad.length} features where the others have ${dim}: examples from a different model cannot be mixed`, c.name.trim());
    }
  }
  return dim;
}
