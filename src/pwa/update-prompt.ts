// "Update available — Reload": the user, not the service worker, decides when a new version takes
// over. Logic only (no DOM), driven by workbox-window's events, so it is unit-tested with a fake.
//
// Flow: a new service worker installs and waits ('waiting') -> banner -> the user clicks Reload ->
// messageSkipWaiting() -> the new worker activates and controls the page ('controlling') -> reload.

/** The part of workbox-window's Workbox this needs (a fake in tests). */
export interface UpdateEventSource {
  addEventListener(type: 'waiting' | 'controlling', listener: (event: { isUpdate?: boolean }) => void): void;
  messageSkipWaiting(): void;
}

export type UpdateState =
  /** Nothing new, or the user said "Later". */
  | 'current'
  /** A new version is installed and waiting for the user. */
  | 'available'
  /** The user accepted; waiting for the new version to take control, then reloading. */
  | 'reloading';

export interface UpdatePromptOptions {
  reload?: () => void;
  /** Reload anyway if the new worker has not taken control by then (it may have been replaced). */
  takeoverTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export class UpdatePrompt {
  private state: UpdateState = 'current';
  private listeners = new Set<(state: UpdateState) => void>();
  /** A new version already controls this page (another tab accepted it): only a reload is left. */
  private activatedElsewhere = false;
  private reloaded = false;
  private readonly reload: () => void;
  private readonly takeoverTimeoutMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;

  constructor(
    private readonly source: UpdateEventSource,
    { reload = () => location.reload(), takeoverTimeoutMs = 10_000, setTimer = (fn, ms) => setTimeout(fn, ms) }: UpdatePromptOptions = {},
  ) {
    this.reload = reload;
    this.takeoverTimeoutMs = takeoverTimeoutMs;
    this.setTimer = setTimer;
    source.addEventListener('waiting', () => {
      if (this.state !== 'reloading') this.set('available');
    });
    source.addEventListener('controlling', (event) => {
      if (this.state === 'reloading') this.reloadOnce();
      // isUpdate: a version took over from an older one (not the first install claiming the page).
      else if (event.isUpdate) {
        this.activatedElsewhere = true;
        this.set('available');
      }
    });
  }

  get current(): UpdateState {
    return this.state;
  }

  /** Svelte store contract: called at once with the current state, then on every change. */
  subscribe(run: (state: UpdateState) => void): () => void {
    this.listeners.add(run);
    run(this.state);
    return () => this.listeners.delete(run);
  }

  /** The user clicked Reload. */
  accept(): void {
    if (this.state !== 'available') return;
    this.set('reloading');
    if (this.activatedElsewhere) {
      this.reloadOnce();
      return;
    }
    this.source.messageSkipWaiting();
    this.setTimer(() => this.reloadOnce(), this.takeoverTimeoutMs);
  }

  /** The user clicked Later: hide until the next new version. */
  dismiss(): void {
    if (this.state === 'available') this.set('current');
  }

  private reloadOnce(): void {
    if (this.reloaded) return;
    this.reloaded = true;
    this.reload();
  }

  private set(state: UpdateState): void {
    this.state = state;
    for (const run of this.listeners) run(state);
  }
}
