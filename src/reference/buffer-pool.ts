// Float32 buffers handed back by the page for the reference worker's next tensor copies. A live
// inspector refresh on conv1 copies out 96 x 111 x 111 values (4.7 MB) every time; into fresh memory
// that copy took ~30 ms in a browser worker beside the live loop (new pages are zeroed and mapped
// one by one), into a buffer used before about a millisecond. The page returns a refresh's buffers
// once it no longer shows them (src/inspector/controller.ts), transferred with the next request.

/** Buffers kept at most: a live view returns one per refresh; more would only hold memory. */
export const MAX_SPARE_BUFFERS = 2;

export class BufferPool {
  private readonly spare: ArrayBuffer[] = [];

  /** Keeps returned buffers (a detached one, byteLength 0, is skipped), the newest first, up to MAX_SPARE_BUFFERS. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength > 0 && !this.spare.includes(b)) this.spare.unshift(b);
    this.spare.length = Math.min(this.spare.length, MAX_SPARE_BUFFERS);
  }

  /** A Float32Array of `length` values: a kept buffer of exactly that size (contents stale), else new memory. */
  take(length: number): Float32Array {
    const i = this.spare.findIndex((b) => b.byteLength === length * Float32Array.BYTES_PER_ELEMENT);
    if (i < 0) return new Float32Array(length);
    const [b] = this.spare.splice(i, 1);
    return new Float32Array(b);
  }

  get size(): number {
    return this.spare.length;
  }
}
