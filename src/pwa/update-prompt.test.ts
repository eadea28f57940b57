import { describe, expect, it } from 'vitest';
import { UpdatePrompt, type UpdateEventSource, type UpdateState } from './update-prompt';

/** Stands in for workbox-window's Workbox: the test fires its lifecycle events by hand. */
class FakeWorkbox implements UpdateEventSource {
  private listeners = new Map<string, ((event: { isUpdate?: boolean }) => void)[]>();
  skipWaitingMessages = 0;

  addEventListener(type: 'waiting' | 'controlling', listener: (event: { isUpdate?: boolean }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  messageSkipWaiting(): void {
    this.skipWaitingMessages++;
  }

  fire(type: 'waiting' | 'controlling', event: { isUpdate?: boolean } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function setup() {
  const wb = new FakeWorkbox();
  let reloads = 0;
  const timers: (() => void)[] = [];
  const prompt = new UpdatePrompt(wb, {
    reload: () => reloads++,
    setTimer: (fn) => timers.push(fn),
  });
  const seen: UpdateState[] = [];
  prompt.subscribe((s) => seen.push(s));
  return { wb, prompt, seen, reloads: () => reloads, timers };
}

describe('UpdatePrompt', () => {
  it('shows nothing on a first visit, including when the first worker claims the page', () => {
    const { wb, prompt, seen, reloads } = setup();
    wb.fire('controlling', { isUpdate: false });
    expect(prompt.current).toBe('current');
    expect(seen).toEqual(['current']);
    expect(reloads()).toBe(0);
  });

  it('offers the update when a new worker waits, and does nothing until the user chooses', () => {
    const { wb, prompt, reloads } = setup();
    wb.fire('waiting', { isUpdate: true });
    expect(prompt.current).toBe('available');
    expect(wb.skipWaitingMessages).toBe(0);
    expect(reloads()).toBe(0);
  });

  it('on Reload: asks the waiting worker to skip waiting, then reloads once it controls the page', () => {
    const { wb, prompt, seen, reloads } = setup();
    wb.fire('waiting', { isUpdate: true });
    prompt.accept();
    expect(prompt.current).toBe('reloading');
    expect(wb.skipWaitingMessages).toBe(1);
    expect(reloads()).toBe(0); // not before the new worker has taken over
    wb.fire('controlling', { isUpdate: true });
    expect(reloads()).toBe(1);
    expect(seen).toEqual(['current', 'available', 'reloading']);
  });

  it('reloads only once, even if the takeover timer fires after the takeover', () => {
    const { wb, prompt, reloads, timers } = setup();
    wb.fire('waiting', { isUpdate: true });
    prompt.accept();
    wb.fire('controlling', { isUpdate: true });
    for (const t of timers) t();
    expect(reloads()).toBe(1);
  });

  it('reloads anyway when the new worker never takes control (e.g. it was replaced)', () => {
    const { wb, prompt, reloads, timers } = setup();
    wb.fire('waiting', { isUpdate: true });
    prompt.accept();
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(reloads()).toBe(1);
  });

  it('Later hides the banner until the next new version', () => {
    const { wb, prompt } = setup();
    wb.fire('waiting', { isUpdate: true });
    prompt.dismiss();
    expect(prompt.current).toBe('current');
    wb.fire('waiting', { isUpdate: true });
    expect(prompt.current).toBe('available');
  });

  it('ignores Reload when nothing is waiting, and repeated clicks while reloading', () => {
    const { wb, prompt, reloads } = setup();
    prompt.accept();
    expect(wb.skipWaitingMessages).toBe(0);
    wb.fire('waiting', { isUpdate: true });
    prompt.accept();
    prompt.accept();
    expect(wb.skipWaitingMessages).toBe(1);
    wb.fire('waiting', { isUpdate: true }); // a waiting event during the takeover keeps the state
    expect(prompt.current).toBe('reloading');
    expect(reloads()).toBe(0);
  });

  it('when another tab activated the update, Reload just reloads (no worker is waiting any more)', () => {
    const { wb, prompt, reloads } = setup();
    wb.fire('controlling', { isUpdate: true });
    expect(prompt.current).toBe('available');
    prompt.accept();
    expect(wb.skipWaitingMessages).toBe(0);
    expect(reloads()).toBe(1);
  });

  it('unsubscribed listeners hear nothing more', () => {
    const { wb, prompt } = setup();
    const heard: UpdateState[] = [];
    const stop = prompt.subscribe((s) => heard.push(s));
    stop();
    wb.fire('waiting', { isUpdate: true });
    expect(heard).toEqual(['current']);
  });
});
