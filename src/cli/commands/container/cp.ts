// `docker cp CONTAINER:SRC DEST|-` and `docker cp SRC|- CONTAINER:DEST`. A tar stream (`-`) goes
// through the API's archive routes; a local path is the client machine's (the guest shell's),
// which the thin client copies through its session (io.files), as docker/cli tars it itself.
// The size Docker reports is that of the tar stream it would have sent.
import { humanSizeWithPrecision } from '../../../lib/units.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

/** Go's os.ModeSymlink in the API's stat mode. */
const MODE_SYMLINK = 1 << 27;

function splitContainerPath(arg: string): { container: string; path: string } | null {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.startsWith('/') || arg.startsWith('.')) return null;
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** docker/cli's copyFromContainer with -L: a symlink source is archived from its target. */
async function followedPath(ctx: CommandContext, container: string, path: string): Promise<string> {
  const stat = await ctx.api.containerArchiveInfo(container, path).catch(() => null);
  if (!stat || (stat.mode & MODE_SYMLINK) === 0 || !stat.linkTarget) return path;
  return stat.linkTarget.startsWith('/') ? stat.linkTarget : `${path.replace(/[^/]*\/*$/, '')}${stat.linkTarget}`;
}

export async function cp(ctx: CommandContext): Promise<number> {
  const [srcArg = '', dstArg = ''] = ctx.args;
  const src = splitContainerPath(srcArg);
  const dst = splitContainerPath(dstArg);
  if (src && dst) throw new CliError('copying between containers is not supported', 1);
  if (!src && !dst) throw new CliError('must specify at least one container source', 1);
  const { api, io } = ctx;
  const side = (src ?? dst)!;
  try {
    await api.containerInspect(side.container);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const files = io.files;
  const onClient = (p: string) => (p.startsWith('/') ? p : `${io.cwd}/${p}`);
  const followLink = ctx.flags.bool('follow-link');
  let bytes: number;
  try {
    if (src) {
      if (dstArg === '-') {
        const path = followLink ? await followedPath(ctx, src.container, src.path) : src.path;
        await api.containerArchive(src.container, path, { write: (b) => io.stdout.write(b), end: () => undefined });
        return 0;
      }
      if (!files) throw new CliError('docker cp: this client has no files to copy to', 1);
      bytes = await files.copyFromContainer(src.container, src.path, onClient(dstArg), followLink);
    } else {
      if (srcArg === '-') {
        io.openStdin?.({ raw: false });
        await api.putContainerArchive(dst!.container, dst!.path, io.stdin!);
        return 0;
      }
      if (!files) throw new CliError('docker cp: this client has no files to copy from', 1);
      bytes = await files.copyToContainer(onClient(srcArg), dst!.container, dst!.path);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    const text = daemonMessage(e);
    // A missing local source is the client's own lstat error in docker/cli.
    throw new CliError(text.replace(/^Error response from daemon: (lstat )/, '$1'), 1);
  }
  if (!ctx.flags.bool('quiet')) await io.stderr.write(`Successfully copied ${humanSizeWithPrecision(bytes, 3)} to ${dst ? `${dst.container}:${dst.path}` : dstArg}\n`);
  return 0;
}
