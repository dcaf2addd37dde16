// Bind mounts of Docker host paths (the guest's files): `-v /src:/dst[:ro]` creates a missing
// source directory as Docker does; `--mount type=bind` requires it to exist. Named and anonymous
// volumes belong to the volume store (not here yet).
import type { ContainerRecord } from './record.ts';
import type { GuestRuntime } from './runtime.ts';
import type { SpecMountInput } from './spec-types.ts';
import { DaemonError } from './state.ts';

export async function bindMounts(record: ContainerRecord, runtime: GuestRuntime): Promise<SpecMountInput[]> {
  const mounts: SpecMountInput[] = [];
  const create: string[] = [];
  for (const bind of record.HostConfig.Binds ?? []) {
    const [source = '', destination = '', mode = ''] = bind.split(':');
    if (!source.startsWith('/')) continue;
    create.push(source);
    mounts.push({ type: 'bind', source, destination, readonly: mode.split(',').includes('ro') });
  }
  const mustExist: string[] = [];
  for (const m of record.HostConfig.Mounts ?? []) {
    if (m.Type !== 'bind' || !m.Source) continue;
    mustExist.push(m.Source);
    mounts.push({ type: 'bind', source: m.Source, destination: m.Target, readonly: m.ReadOnly ?? false });
  }
  if (create.length || mustExist.length) {
    // One guest process: report missing --mount sources, then create -v sources.
    const script = 'n=$1; shift; i=0; for p in "$@"; do i=$((i+1)); if [ $i -le $n ]; then [ -e "$p" ] || { echo "$p"; exit 2; }; else mkdir -p "$p" || exit 1; fi; done';
    const r = await runtime.run(['/bin/sh', '-c', script, 'slipway-binds', String(mustExist.length), ...mustExist, ...create]);
    if (r.code === 2) throw new DaemonError(`invalid mount config for type "bind": bind source path does not exist: ${r.stdout.trim()}`, 'invalid');
    if (r.code !== 0) throw new DaemonError(`error while creating mount source path: ${r.stderr.trim()}`, 'system');
  }
  return mounts;
}
