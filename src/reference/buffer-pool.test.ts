import { describe, expect, it } from 'vitest';
import { BufferPool, MAX_SPARE_BUFFERS } from './buffer-pool.js';

describe('BufferPool', () => {
  it('gives back a returned buffer of exactly the asked size, else new memory', () => {
    const pool = new BufferPool();
    const small = new ArrayBuffer(4 * 10);
    const big = new ArrayBuffer(4 * 1000);
    pool.give([small, big]);
    const a = pool.take(1000);
    expect(a.buffer).toBe(big);
    expect(a).toHaveLength(1000);
    const b = pool.take(1000);
    expect(b.buffer).not.toBe(big);
    expect(b.buffer).not.toBe(small);
    expect(pool.take(10).buffer).toBe(small);
    expect(pool.size).toBe(0);
  });

  it('skips detached and repeated buffers and keeps only the newest few', () => {
    const pool = new BufferPool();
    const detached = new ArrayBuffer(40);
    structuredClone(detached, { transfer: [detached] });
    expect(detached.byteLength).toBe(0);
    const bufs = Array.from({ length: MAX_SPARE_BUFFERS + 2 }, () => new ArrayBuffer(40));
    pool.give([detached, bufs[0], bufs[0]]);
    expect(pool.size).toBe(1);
    pool.give(bufs.slice(1));
    expect(pool.size).toBe(MAX_SPARE_BUFFERS);
    expect(pool.take(10).buffer).toBe(bufs.at(-1));
  });
});
