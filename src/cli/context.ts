// What every CLI command receives, and the error conventions of docker/cli: daemon errors print
// as "Error response from daemon: …" and exit 1, except where a command says otherwise.
import type { EngineApi } from '../engine/api/types.ts';
import type { ParsedFlags } from './flags/parsed.ts';
import { CliError, type CommandIO } from './io.ts';
import { FormatError } from './format/formatter.ts';

export interface CommandContext {
  io: CommandIO;
  flags: ParsedFlags;
  /** Positional arguments. */
  args: string[];
  /** The daemon's Engine API: what the CLI reaches the daemon through. */
  api: EngineApi;
  /** The client's clock in ms since the epoch (docker/cli's time.Now: --since, "2 minutes ago"). */
  now: () => number;
  /** The command as the user named it, e.g. `docker run`, `docker container ls`. */
  commandPath: string;
}

export type CommandRun = (ctx: CommandContext) => Promise<number>;

/** The message of any error the daemon side raised (DaemonError, ImageError, …). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `action` for each argument, printing what it returns (usually the argument) on stdout,
 * and every failure as "Error response from daemon: …" on stderr; exit 1 if any failed.
 */
export async function forEachArg(ctx: CommandContext, action: (arg: string) => Promise<string | null>): Promise<number> {
  const errors: string[] = [];
  for (const arg of ctx.args) {
    try {
      const line = await action(arg);
      if (line !== null) await ctx.io.stdout.write(line + '\n');
    } catch (e) {
      errors.push(daemonMessage(e));
    }
  }
  if (errors.length) await ctx.io.stderr.write(errors.join('\n') + '\n');
  return errors.length ? 1 : 0;
}

/** docker/cli's parallelOperation: at most this many requests to the daemon at once. */
const PARALLEL_OPERATIONS = 50;

/**
 * forEachArg for the verbs docker/cli runs in parallel (stop, kill, rm, pause, …): every argument
 * is acted on at once, up to PARALLEL_OPERATIONS, and results print in the arguments' order.
 */
export async function forEachArgInParallel(ctx: CommandContext, action: (arg: string) => Promise<string | null>): Promise<number> {
  const settled: Promise<{ line: string | null } | { error: unknown }>[] = [];
  const slots: Promise<unknown>[] = [];
  for (const arg of ctx.args) {
    if (slots.length >= PARALLEL_OPERATIONS) await Promise.race(slots);
    const run = action(arg).then(
      (line) => ({ line }),
      (error: unknown) => ({ error }),
    );
    const slot = run.finally(() => slots.splice(slots.indexOf(slot), 1));
    slots.push(slot);
    settled.push(run);
  }
  const errors: string[] = [];
  for (const result of settled) {
    const r = await result;
    if ('error' in r) errors.push(daemonMessage(r.error));
    else if (r.line !== null) await ctx.io.stdout.write(r.line + '\n');
  }
  if (errors.length) await ctx.io.stderr.write(errors.join('\n') + '\n');
  return errors.length ? 1 : 0;
}

export function daemonMessage(e: unknown): string {
  const text = errorText(e);
  return isPrintedAsIs(e) ? text : `Error response from daemon: ${text}`;
}

/**
 * The client's own errors, and those the daemon sent inside a progress stream (a pull that
 * failed after "Pulling from"): docker prints both without "Error response from daemon".
 */
export function isPrintedAsIs(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CliError' || e.name === 'FlagError' || e.name === 'PullStreamError');
}

/** `--filter k=v` values as the API's filters (docker/cli's FilterOpt: keys lower-cased, values trimmed). */
export function filtersOf(values: readonly string[]): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const v of values) {
    if (v === '') continue;
    const eq = v.indexOf('=');
    if (eq < 0) throw new CliError('Error response from daemon: bad format of filter (expected name=value)', 1);
    const key = v.slice(0, eq).trim().toLowerCase();
    const list = (filters[key] ??= []);
    const value = v.slice(eq + 1).trim();
    if (!list.includes(value)) list.push(value);
  }
  return filters;
}

/** Prints what a formatter renders; its template errors end the command with Docker's code. */
export async function writeFormatted(ctx: CommandContext, render: () => string): Promise<number> {
  try {
    await ctx.io.stdout.write(render());
    return 0;
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
}
