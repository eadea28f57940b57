// Seeds derived from names, so each operator test case gets its own reproducible random data.
/** FNV-1a hash of a string, to derive a seed from a name. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
