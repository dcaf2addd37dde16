// One idempotent task (store the workspace) asked for by many callers at once: the editor's saves,
// uploads, the autosave timer, the page being hidden. A run that already started may have read
// its input before a caller's change, so that caller waits for the next run; a run that has not
// started yet covers everyone who asked before it starts. So at most one run is in flight and
// one queued, however many ask, and each caller's promise settles after a run that started after
// it asked.
export class CoalescedRun {
  readonly #task: () => Promise<void>;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** Settles with the outcome of a run that starts after this call. */
  run(): Promise<void> {
    // Checked first: between a run settling and the queued one starting, neither is running.
    if (this.#queued) return this.#queued;
    if (!this.#running) return this.#start();
    // The queued run starts when the running one settles, whatever its outcome.
    this.#queued = this.#running.then(
      () => this.#startQueued(),
      () => this.#startQueued(),
    );
    return this.#queued;
  }

  /** True while a run is in flight. */
  get busy(): boolean {
    return this.#running !== null;
  }

  #startQueued(): Promise<void> {
    this.#queued = null;
    return this.#start();
  }

  #start(): Promise<void> {
    const running = Promise.resolve()
      .then(this.#task)
      .finally(() => {
        if (this.#running === running) this.#running = null;
      });
    this.#running = running;
    return running;
  }
}
