// Scratch memory shared by the kernels of one engine (im2col panels, packed tiles): grown once to
// the largest need and then reused every frame, so a steady run allocates nothing.
export class Workspace {
  private buffer = new Float32Array(0);

  /** A scratch array of at least n floats; its contents are undefined. */
  floats(n: number): Float32Array {
    if (this.buffer.length < n) this.buffer = new Float32Array(n);
    return this.buffer;
  }
}
