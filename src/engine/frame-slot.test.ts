import { describe, expect, it } from 'vitest';
import { JobSlot } from './frame-slot';

/** Lets every pending continuation run, including the slot's one event-loop turn between frames. */
const flush = async () => {
  for (let turn = 0; turn < 3; turn++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

function slotRig() {
  const log: string[] = [];
  const gates: (() => void)[] = [];
  const slot = new JobSlot<string>(
    (f) => {
      log.push(`run ${f}`);
      return new Promise<void>((res) => gates.push(res));
    },
    (f) => log.push(`drop ${f}`),
  );
  const release = async () => {
    gates.shift()?.();
    await flush();
  };
  return { slot, log, release };
}

describe('JobSlot (the inference worker job order)', () => {
  it('runs a frame at once when idle, holds one while busy and replaces it with a newer one', async () => {
    const { slot, log, release } = slotRig();
    slot.pushFrame('a');
    slot.pushFrame('b');
    slot.pushFrame('c');
    await flush();
    expect(log).toEqual(['run a', 'drop b']);
    expect(slot.waiting).toBe(true);
    await release();
    expect(log).toEqual(['run a', 'drop b', 'run c']);
    await release();
    expect(slot.waiting).toBe(false);
    expect(slot.stats).toEqual({ ran: 2, dropped: 1 });
  });

  it('never drops other jobs, runs them between frames before a waiting frame, one at a time', async () => {
    const { slot, log, release } = slotRig();
    slot.pushFrame('a');
    let active = 0;
    let maxActive = 0;
    const job = (name: string) =>
      slot.exclusive(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        log.push(`job ${name}`);
        await flush();
        active--;
        return name.toUpperCase();
      });
    const t = job('tensors');
    slot.pushFrame('b');
    const s = job('still');
    await release();
    expect(await t).toBe('TENSORS');
    expect(await s).toBe('STILL');
    await flush();
    expect(log).toEqual(['run a', 'job tensors', 'job still', 'run b']);
    expect(maxActive).toBe(1);
  });

  it('passes a failing job on to its caller and keeps going', async () => {
    const { slot, log, release } = slotRig();
    const failed = slot.exclusive(() => Promise.reject(new Error('bad tensors')));
    await expect(failed).rejects.toThrow('bad tensors');
    const threw = slot.exclusive<number>(() => {
      throw new Error('no model is loaded yet');
    });
    await expect(threw).rejects.toThrow('no model is loaded yet');
    slot.pushFrame('a');
    await flush();
    expect(log).toEqual(['run a']);
    await release();
  });
});
