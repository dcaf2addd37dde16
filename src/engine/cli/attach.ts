// A client session attached to a running container (`run` without -d, `attach`, `start -a`):
// output to the client, the client's stdin to the container, resizes, signal proxying and the
// detach keys (Ctrl-P Ctrl-Q unless --detach-keys says otherwise).
import type { Disposable } from '../../protocol/guest/port.ts';
import type { LogStream } from '../container/logs.ts';
import type { LiveContainer } from '../container/service.ts';
import type { CommandIO } from './io.ts';
import { parseDetachKeys as parseDetachKeySpec } from '../container/options-signals.ts';
import { DEFAULT_DETACH_KEYS, DetachKeyFilter } from '../container/detach-keys.ts';

export { DEFAULT_DETACH_KEYS, DetachKeyFilter };

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** Close the container's stdin when the client's ends (`docker run -i`). */
  stdinOnce: boolean;
  detachKeys: Uint8Array;
  /** Forward the client's signals (non-tty only, as Docker does). */
  sigProxy?: (signo: number) => void;
}

export type AttachEnd = 'exited' | 'detached' | 'disconnected';


/** `--detach-keys` as bytes (container/options-signals.ts rules); null when invalid. */
export function parseDetachKeys(text: string): Uint8Array | null {
  try {
    return new Uint8Array(parseDetachKeySpec(text));
  } catch {
    return null;
  }
}

/** The keys a session detaches with: `--detach-keys` when given and valid, else Ctrl-P Ctrl-Q. */
export function detachKeysOrDefault(text: string): Uint8Array {
  return (text ? parseDetachKeys(text) : null) ?? DEFAULT_DETACH_KEYS;
}

/**
 * Output listener to pass to `ContainerService.start` so that nothing is missed; writes stay in
 * order. `done()` resolves once everything handed to it so far was written.
 */
export function outputForwarder(io: CommandIO, options: Pick<AttachOptions, 'stdout' | 'stderr' | 'tty'>) {
  const inFlight = new Set<Promise<void>>();
  const listener = (stream: LogStream, data: Uint8Array): Promise<void> | undefined => {
    if (stream === 'stdout' ? !options.stdout : !options.stderr) return undefined;
    const target = stream === 'stdout' || options.tty ? io.stdout : io.stderr;
    // The container's output pump waits for this write (its order within a stream is the pump's);
    // a client that went away misses the rest of the output, and the container does not care.
    const write = target.write(data).catch(() => undefined);
    inFlight.add(write);
    void write.then(() => inFlight.delete(write));
    return write;
  };
  return { listener, done: async () => void (await Promise.all([...inFlight])) };
}

/** Wires an attached session until the container stops, the user detaches or the client goes. */
export async function attachSession(
  io: CommandIO,
  live: LiveContainer,
  options: AttachOptions,
  forwarder: ReturnType<typeof outputForwarder>,
): Promise<AttachEnd> {
  const disposables: Disposable[] = [];
  let detach!: () => void;
  const detached = new Promise<AttachEnd>((resolve) => (detach = () => resolve('detached')));
  const proc = live.process;
  if (!live.listeners.has(forwarder.listener)) live.listeners.add(forwarder.listener);

  if (options.tty) {
    void proc.console.then(() => {
      if (io.terminal) proc.resize(io.terminal.rows, io.terminal.cols);
    });
    if (io.onResize) disposables.push(io.onResize((rows, cols) => proc.resize(rows, cols)));
  } else if (options.sigProxy && io.onSignal) {
    disposables.push(io.onSignal(options.sigProxy));
  }

  let pumping = false;
  if (options.stdin && io.stdin) {
    pumping = true;
    io.openStdin?.({ raw: options.tty && (io.terminal?.stdin ?? false) });
    void pumpStdin(io, live, options, detach).finally(() => (pumping = false));
  }

  const end = await Promise.race([
    live.stopped.then(() => 'exited' as const),
    detached,
    (io.disconnected ?? new Promise<void>(() => {})).then(() => 'disconnected' as const),
  ]);
  live.listeners.delete(forwarder.listener);
  for (const d of disposables) d.dispose();
  if (end === 'exited') await forwarder.done();
  void pumping;
  return end;
}

async function pumpStdin(io: CommandIO, live: LiveContainer, options: AttachOptions, detach: () => void): Promise<void> {
  const stdin = io.stdin!;
  const sink = live.process.stdin;
  if (options.tty) await live.process.console;
  const filter = new DetachKeyFilter(options.tty ? options.detachKeys : new Uint8Array(0));
  for (;;) {
    const chunk = await stdin.read();
    if (chunk === null) break;
    const { data, detached } = filter.feed(chunk);
    if (data.length) await sink.write(data).catch(() => undefined);
    if (detached) {
      detach();
      return;
    }
  }
  if (options.stdinOnce && !options.tty) sink.end();
}
