// Model switching as one state machine. Every load (the default model, a built-in one, a user's
// file, bytes, new settings for the model in use, another backend) is a generation; starting one
// aborts the one before (its download, its checks, its worker), a superseded generation's results
// are thrown away, and the page and the worker switch together, in one synchronous commit, only
// after the new session has passed its warm-up. Pure: the steps are given, no DOM, no workers.

export type SwitchPhase = 'idle' | 'preparing' | 'loading';

/** What a step may look at while it runs. */
export interface SwitchContext {
  readonly generation: number;
  /** Aborted as soon as a newer load starts. */
  readonly signal: AbortSignal;
  /** False once a newer load has started: a step must then stop and change nothing. */
  isCurrent(): boolean;
}

export interface SwitchSteps<S, P, L> {
  /** Reads and checks what the source names (a manifest, a file): nothing visible changes. */
  prepare(source: S, ctx: SwitchContext): Promise<P>;
  /** Starts a session for it and warms it up, beside the session in use. */
  load(prepared: P, ctx: SwitchContext): Promise<L>;
  /** Makes it the model in use: page and worker together. Synchronous, so nothing slips between. */
  commit(prepared: P, loaded: L, generation: number): void;
  /** Frees a session that was loaded but superseded before its commit. */
  discard(loaded: L): void;
}

export interface SwitchState {
  phase: SwitchPhase;
  /** The newest generation started. */
  generation: number;
  /** The generation whose model is in use (0: none yet). */
  committed: number;
}

export type SwitchOutcome<P> =
  | { status: 'ready'; generation: number; prepared: P }
  | { status: 'superseded'; generation: number }
  | { status: 'failed'; generation: number; error: unknown };

/** The reason an abort signal carries when a newer load supersedes this one. */
export class SupersededError extends Error {
  readonly kind = 'superseded';
  constructor(readonly by: number) {
    super(`superseded by a newer load (#${by})`);
  }
}

export class ModelSwitcher<S, P, L> {
  private state: SwitchState = { phase: 'idle', generation: 0, committed: 0 };
  private controller: AbortController | null = null;

  constructor(
    private readonly steps: SwitchSteps<S, P, L>,
    private readonly onChange: (state: Readonly<SwitchState>) => void = () => {},
  ) {}

  get current(): Readonly<SwitchState> {
    return this.state;
  }

  get busy(): boolean {
    return this.state.phase !== 'idle';
  }

  private set(patch: Partial<SwitchState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  /** Starts a load of `source`, superseding any load still running. Never rejects. */
  async switchTo(source: S): Promise<SwitchOutcome<P>> {
    const generation = this.state.generation + 1;
    this.controller?.abort(new SupersededError(generation));
    const controller = new AbortController();
    this.controller = controller;
    const isCurrent = () => this.state.generation === generation;
    const ctx: SwitchContext = { generation, signal: controller.signal, isCurrent };
    this.set({ generation, phase: 'preparing' });
    try {
      const prepared = await this.steps.prepare(source, ctx);
      if (!isCurrent()) return { status: 'superseded', generation };
      this.set({ phase: 'loading' });
      const loaded = await this.steps.load(prepared, ctx);
      if (!isCurrent()) {
        this.steps.discard(loaded);
        return { status: 'superseded', generation };
      }
      this.steps.commit(prepared, loaded, generation);
      this.set({ committed: generation, phase: 'idle' });
      return { status: 'ready', generation, prepared };
    } catch (error) {
      if (!isCurrent()) return { status: 'superseded', generation };
      return { status: 'failed', generation, error };
    } finally {
      if (isCurrent()) {
        this.controller = null;
        if (this.state.phase !== 'idle') this.set({ phase: 'idle' });
      }
    }
  }
}
