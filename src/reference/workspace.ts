// Scratch memory shared by the kernels of one engine (im2col panels, packed tiles, Winograd
// transforms): each slot is grown once to the largest need and then reused every frame, so a
// steady run allocates nothing. A kernel that needs two scratch arrays at once uses two slots.
export class Workspace {
  private readonly buffers: Float32Array[] = [];

  /** A scratch array of at least n floats in slot `slot` (0, 1, ...); its contents are undefined. */
  floats(n: number, slot = 0): Float32Array {
    const b = this.buffers[slot];
    if (b !== undefined && b.length >= n) return b;
    const grown = new Float32Array(n);
    this.buffers[slot] = grown;
    return grown;
  }
}
