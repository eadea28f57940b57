import { describe, expect, it } from 'vitest';
import { ModelSwitcher, SupersededError, type SwitchContext, type SwitchState } from './model-switch';

/** A promise settled from outside, to hold a step at a chosen moment. */
function gate<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Sources are model names; a "session" records which model it holds. Each step waits on a gate the
 * test opens, so every interleaving of two loads can be played out.
 */
function harness() {
  const prepareGates = new Map<string, ReturnType<typeof gate<string>>>();
  const loadGates = new Map<string, ReturnType<typeof gate<{ model: string }>>>();
  const log: string[] = [];
  const signals = new Map<string, AbortSignal>();
  const inUse = { page: 'none', worker: 'none' };
  const states: SwitchState[] = [];
  const switcher = new ModelSwitcher<string, string, { model: string }>(
    {
      prepare(source, ctx: SwitchContext) {
        log.push(`prepare ${source} #${ctx.generation}`);
        signals.set(source, ctx.signal);
        const g = gate<string>();
        prepareGates.set(source, g);
        return g.promise;
      },
      load(prepared, ctx) {
        log.push(`load ${prepared} #${ctx.generation}`);
        const g = gate<{ model: string }>();
        loadGates.set(prepared, g);
        return g.promise;
      },
      commit(prepared, loaded, generation) {
        log.push(`commit ${prepared} #${generation}`);
        inUse.page = prepared;
        inUse.worker = loaded.model;
      },
      discard(loaded) {
        log.push(`discard ${loaded.model}`);
      },
    },
    (s) => states.push({ ...s }),
  );
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { switcher, prepareGates, loadGates, log, signals, inUse, states, tick };
}

describe('ModelSwitcher', () => {
  it('commits a load only after its session is warm, page and worker together', async () => {
    const h = harness();
    const done = h.switcher.switchTo('squeezenet');
    await h.tick();
    expect(h.switcher.current).toEqual({ phase: 'preparing', generation: 1, committed: 0 });
    h.prepareGates.get('squeezenet')!.resolve('squeezenet');
    await h.tick();
    expect(h.switcher.current.phase).toBe('loading');
    expect(h.inUse).toEqual({ page: 'none', worker: 'none' });
    h.loadGates.get('squeezenet')!.resolve({ model: 'squeezenet' });
    expect(await done).toEqual({ status: 'ready', generation: 1, prepared: 'squeezenet' });
    expect(h.inUse).toEqual({ page: 'squeezenet', worker: 'squeezenet' });
    expect(h.switcher.current).toEqual({ phase: 'idle', generation: 1, committed: 1 });
    expect(h.states.map((s) => s.phase)).toEqual(['preparing', 'loading', 'idle']);
  });

  it('a file dropped while the default model downloads wins; the late default session is discarded', async () => {
    const h = harness();
    const first = h.switcher.switchTo('default');
    await h.tick();
    h.prepareGates.get('default')!.resolve('default');
    await h.tick();
    // The default model is downloading (load step) when the custom file arrives.
    const second = h.switcher.switchTo('custom');
    await h.tick();
    expect(h.signals.get('default')!.aborted).toBe(true);
    expect(h.signals.get('default')!.reason).toBeInstanceOf(SupersededError);
    expect(h.signals.get('custom')!.aborted).toBe(false);
    h.prepareGates.get('custom')!.resolve('custom');
    await h.tick();
    // The superseded download finishes anyway (its worker had not noticed the abort yet).
    h.loadGates.get('default')!.resolve({ model: 'default' });
    expect(await first).toEqual({ status: 'superseded', generation: 1 });
    expect(h.inUse).toEqual({ page: 'none', worker: 'none' });
    expect(h.switcher.current.phase).toBe('loading');
    h.loadGates.get('custom')!.resolve({ model: 'custom' });
    expect(await second).toMatchObject({ status: 'ready', generation: 2 });
    expect(h.inUse).toEqual({ page: 'custom', worker: 'custom' });
    expect(h.log).toEqual(['prepare default #1', 'load default #1', 'prepare custom #2', 'load custom #2', 'discard default', 'commit custom #2']);
    expect(h.switcher.current).toEqual({ phase: 'idle', generation: 2, committed: 2 });
  });

  it('a superseded load that fails says nothing and leaves the newer load running', async () => {
    const h = harness();
    const first = h.switcher.switchTo('custom');
    await h.tick();
    const second = h.switcher.switchTo('default');
    await h.tick();
    h.prepareGates.get('custom')!.reject(new Error('aborted download'));
    expect(await first).toEqual({ status: 'superseded', generation: 1 });
    expect(h.switcher.current.phase).toBe('preparing');
    h.prepareGates.get('default')!.resolve('default');
    await h.tick();
    h.loadGates.get('default')!.resolve({ model: 'default' });
    expect((await second).status).toBe('ready');
    expect(h.inUse.page).toBe('default');
  });

  it('a failed load reports its error and keeps the model in use', async () => {
    const h = harness();
    const ok = h.switcher.switchTo('squeezenet');
    await h.tick();
    h.prepareGates.get('squeezenet')!.resolve('squeezenet');
    await h.tick();
    h.loadGates.get('squeezenet')!.resolve({ model: 'squeezenet' });
    await ok;
    const bad = h.switcher.switchTo('huge');
    await h.tick();
    h.prepareGates.get('huge')!.resolve('huge');
    await h.tick();
    const error = new Error('out of memory');
    h.loadGates.get('huge')!.reject(error);
    expect(await bad).toEqual({ status: 'failed', generation: 2, error });
    expect(h.inUse).toEqual({ page: 'squeezenet', worker: 'squeezenet' });
    expect(h.switcher.current).toEqual({ phase: 'idle', generation: 2, committed: 1 });
  });

  it('of three loads started in a row only the last commits, whatever order they finish in', async () => {
    const h = harness();
    const outcomes = [h.switcher.switchTo('a'), h.switcher.switchTo('b'), h.switcher.switchTo('c')];
    await h.tick();
    for (const name of ['c', 'a', 'b']) h.prepareGates.get(name)!.resolve(name);
    await h.tick();
    // Only the current generation reaches the load step.
    expect(h.log.filter((l) => l.startsWith('load'))).toEqual(['load c #3']);
    h.loadGates.get('c')!.resolve({ model: 'c' });
    expect((await Promise.all(outcomes)).map((o) => o.status)).toEqual(['superseded', 'superseded', 'ready']);
    expect(h.inUse).toEqual({ page: 'c', worker: 'c' });
  });
});
