// Seeded synthetic embeddings for the teach tests and bench: post-ReLU-like (non-negative) vectors around
// one random prototype per class, so that classes are separable by a margin set by `spread`.
import { createRng } from '../../src/model/seeded-rng.js';
import type { TeachClass } from '../../src/teach/classes.js';

export function clusters(opts: { classes: number; perClass: number; dim: number; spread: number; seed?: number }): TeachClass[] {
  const rng = createRng(opts.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const shared = Float32Array.from({ length: opts.dim }, () => 2 * rng());
  return Array.from({ length: opts.classes }, (_, c) => {
    const proto = Float32Array.from(shared, (v) => v + 2 * rng());
    return {
      name: `class ${c}`,
      embeddings: Array.from({ length: opts.perClass }, () => Float32Array.from(proto, (v) => Math.max(0, v + opts.spread * gauss()))),
    };
  });
}
