// The lifecycle verbs that act on a list of containers and echo each name back: stop, restart,
// kill, pause, unpause, rm. Failures are collected and printed together, exit 1 (docker/cli).
import { forEachArg, forEachArgInParallel, type CommandContext } from '../../context.ts';

export function stop(ctx: CommandContext): Promise<number> {
  const timeout = ctx.flags.changed('timeout') ? ctx.flags.int('timeout') : undefined;
  const signal = ctx.flags.string('signal') || undefined;
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerStop(ref, { t: timeout, signal }), ref));
}

export function restart(ctx: CommandContext): Promise<number> {
  const timeout = ctx.flags.changed('timeout') ? ctx.flags.int('timeout') : undefined;
  const signal = ctx.flags.string('signal') || undefined;
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerRestart(ref, { t: timeout, signal }), ref));
}

export function kill(ctx: CommandContext): Promise<number> {
  const signal = ctx.flags.string('signal') || 'KILL';
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerKill(ref, { signal }), ref));
}

export function pause(ctx: CommandContext): Promise<number> {
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerPause(ref), ref));
}

export function unpause(ctx: CommandContext): Promise<number> {
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerUnpause(ref), ref));
}

export function rm(ctx: CommandContext): Promise<number> {
  const force = ctx.flags.bool('force');
  const volumes = ctx.flags.bool('volumes');
  return forEachArgInParallel(ctx, async (ref) => (await ctx.api.containerRemove(ref, { force, v: volumes }), ref));
}

export async function rename(ctx: CommandContext): Promise<number> {
  const [from = '', to = ''] = ctx.args;
  return forEachArg({ ...ctx, args: [from] }, async () => (await ctx.api.containerRename(from, to), null));
}

export function wait(ctx: CommandContext): Promise<number> {
  return forEachArg(ctx, async (ref) => String((await ctx.api.containerWait(ref)).StatusCode));
}
