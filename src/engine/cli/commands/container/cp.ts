// `docker cp CONTAINER:SRC DEST` and `docker cp SRC CONTAINER:DEST`. Both sides are guest
// paths (the Docker host is the guest, the container's rootfs is mounted there; paths in its
// mounts are their sources), so the copy is one guest `cp -a`; the size Docker reports is that of
// the tar stream it would have sent.
import { guestPathOf } from '../../../container/guest-path.ts';
import { GuestPaths } from '../../../container/runtime.ts';
import { humanSizeWithPrecision } from '../../format/units.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

// $1 source, $2 destination, $3 the container's bundle. Exit 3: source missing; 4: rootfs not
// mounted (container not started since the host booted: the engine mounts it and retries).
const COPY_SCRIPT = `
[ -e "$3/.mounted" ] || exit 4
[ -e "$1" ] || [ -L "$1" ] || exit 3
d=\${1%/*}; b=\${1##*/}
tar -cf - -C "\${d:-/}" "$b" | wc -c
cp -a "$1" "$2"
`;

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
  const bundle = GuestPaths.bundle(record.Id);
  const volumes = ctx.engine.volumes;
  const inContainer = (p: string) => guestPathOf(record, p.startsWith('/') ? p : `/${p}`, { volumeSource: (name) => volumes.mountSource(name) });
  const onHost = (p: string) => (p.startsWith('/') ? p : `${ctx.io.cwd}/${p}`);
  const from = src ? await inContainer(src.path) : onHost(srcArg);
  const to = dst ? await inContainer(dst.path) : onHost(dstArg);
  const copy = () => ctx.engine.runtime.run(['/bin/sh', '-c', COPY_SCRIPT, 'slipway-cp', from.replace(/\/+$/, '') || '/', to, bundle]);
  let r = await copy();
  if (r.code === 4) {
    try {
      await ctx.engine.containers.mountRootfs(record.Id);
    } catch (e) {
      throw new CliError(daemonMessage(e), 1);
    }
    r = await copy();
  }
  if (r.code === 3) {
    throw new CliError(
      src ? `Error response from daemon: Could not find the file ${src.path} in container ${side.container}` : `lstat ${onHost(srcArg)}: no such file or directory`,
      1,
    );
  }
  if (r.code !== 0) throw new CliError(`Error response from daemon: ${r.stderr.trim()}`, 1);
  // A container that is not running keeps what was copied in only once it is checkpointed.
  if (dst && !record.State.Running) await ctx.engine.containers.checkpoint(record.Id).catch(() => undefined);
  const size = Number(r.stdout.trim().split('\n')[0] ?? 0);
  await ctx.io.stderr.write(`Successfully copied ${humanSizeWithPrecision(size, 3)} to ${dst ? `${dst.container}:${dst.path}` : dstArg}\n`);
  return 0;
}
