// Docker's prompt.Confirm, for the prune commands without --force.
import type { CommandContext } from './context.ts';

/** The message, " [y/N] ", one line of stdin; only y/Y says yes (no stdin: no). */
export async function confirm(ctx: CommandContext, message: string): Promise<boolean> {
  await ctx.io.stdout.write(`${message} [y/N] `);
  if (!ctx.io.stdin) return false;
  ctx.io.openStdin?.({ raw: false });
  let line = '';
  const decoder = new TextDecoder();
  while (!line.includes('\n')) {
    const chunk = await ctx.io.stdin.read();
    if (chunk === null) break;
    line += decoder.decode(chunk, { stream: true });
  }
  return line.split('\n')[0]!.trim().toLowerCase() === 'y';
}
