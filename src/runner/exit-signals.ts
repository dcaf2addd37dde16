// The signals the runner exits on, in every mode: a terminal closing (SIGHUP), Ctrl-C (SIGINT),
// a service manager or `kill` (SIGTERM). The runner then checkpoints the Docker host (workspace,
// volumes, containers) and exits 128 + the signal's number, as a shell reports a signalled job.

/** Linux numbers of the signals the runner exits on. */
export const EXIT_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

export interface ExitSignals {
  /** Resolves with the number of the first exit signal. */
  readonly received: Promise<number>;
  dispose(): void;
}

/**
 * Listens for the exit signals until disposed. Signals after the first are heard and ignored:
 * a Ctrl-C under `npm run play` reaches the runner twice (the terminal signals the whole process
 * group, and npm and tsx relay it once more), so a second signal cannot mean "quit without
 * saving"; the checkpoint it would cut short is bounded anyway (NodeGuest.stop), and SIGKILL
 * stays the way out, safe because the store's commits are atomic.
 */
export function listenExitSignals(target: Pick<NodeJS.Process, 'on' | 'off'> = process): ExitSignals {
  let deliver: (signo: number) => void = () => undefined;
  const received = new Promise<number>((resolve) => (deliver = resolve));
  const handlers = Object.entries(EXIT_SIGNALS).map(([name, signo]) => {
    const handler = () => deliver(signo);
    target.on(name as NodeJS.Signals, handler);
    return () => void target.off(name as NodeJS.Signals, handler);
  });
  return { received, dispose: () => handlers.forEach((off) => off()) };
}
