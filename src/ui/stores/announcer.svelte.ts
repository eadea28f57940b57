// What screen readers hear: the top-1 class, only when it changes and at most every ~2 s, so a live
// camera does not flood an aria-live region.

const MIN_INTERVAL_MS = 2000;

class AnnouncerStore {
  message = $state('');
  private lastSaid = '';
  private lastAt = -Infinity;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Offer the current top-1; it is spoken now, later (rate limit), or not at all (unchanged). */
  offer(text: string): void {
    if (text === this.lastSaid) {
      this.pending = null;
      return;
    }
    const wait = this.lastAt + MIN_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      this.say(text);
      return;
    }
    this.pending = text;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.pending !== null) this.say(this.pending);
    }, wait);
  }

  private say(text: string): void {
    this.pending = null;
    this.lastSaid = text;
    this.lastAt = performance.now();
    this.message = text;
  }
}

export const announcer = new AnnouncerStore();
