// `docker cp CONTAINER:SRC DEST|-` and `docker cp SRC|- CONTAINER:DEST`. The local side is the
// guest (the Docker host); the daemon's archive code keeps the container side inside the
// container. The size Docker reports is that of the tar stream it would have sent.
import { copyFromContainer, copyToContainer } from '../../../container/archive.ts';
import { humanSizeWithPrecision } from '../../format/units.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

function splitContainerPath(arg: string): { container: string; path: string } | null {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.startsWith('/') || arg.startsWith('.')) return null;
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export async function cp(ctx: CommandContext): Promise<number> {
  const [srcArg = '', dstArg = ''] = ctx.args;
  const src = splitContainerPath(srcArg);
  const dst = splitContainerPath(dstArg);
  if (src && dst) throw new CliError('copying between containers is not supported', 1);
  if (!src && !dst) throw new CliError('must specify at least one container source', 1);
  const side = (src ?? dst)!;
  let record;
  try {
    record = ctx.engine.containers.registry.get(side.container);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const engine = ctx.engine;
  const deps = {
    guest: engine.guest,
    volumeSource: (name: string) => engine.volumes.mountSource(name),
    mountRootfs: (r: { Id: string }) => engine.containers.mountRootfs(r.Id),
  };
  const onHost = (p: string) => (p.startsWith('/') ? p : `${ctx.io.cwd}/${p}`);
  let bytes: number;
  try {
    if (src) {
      if (dstArg === '-') {
        await copyFromContainer(record, src.path, { tar: { write: (b) => ctx.io.stdout.write(b), end: () => undefined } }, ctx.flags.bool('follow-link'), deps);
        return 0;
      }
      ({ bytes } = await copyFromContainer(record, src.path, { path: onHost(dstArg) }, ctx.flags.bool('follow-link'), deps));
    } else {
      if (srcArg === '-') {
        ctx.io.openStdin?.({ raw: false });
        await copyToContainer(record, { tarFrom: ctx.io.stdin! }, dst!.path, deps);
        return 0;
      }
      ({ bytes } = await copyToContainer(record, { path: onHost(srcArg) }, dst!.path, deps));
    }
  } catch (e) {
    const text = daemonMessage(e);
    // A missing local source is the client's own lstat error in docker/cli.
    throw new CliError(text.replace(/^Error response from daemon: (lstat )/, '$1'), 1);
  }
  // A container that is not running keeps what was copied in only once it is checkpointed.
  if (dst && !record.State.Running) await engine.containers.checkpoint(record.Id).catch(() => undefined);
  if (!ctx.flags.bool('quiet')) await ctx.io.stderr.write(`Successfully copied ${humanSizeWithPrecision(bytes, 3)} to ${dst ? `${dst.container}:${dst.path}` : dstArg}\n`);
  return 0;
}
