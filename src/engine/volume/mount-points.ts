// A container's mount points as moby keeps them (volume/mounts.MountPoint): decided once at
// create time (named, anonymous and image volumes, binds, --volumes-from, --mount) and stored
// with the container record, so `docker inspect` shows them and `--volumes-from` can copy them.
import type { ContainerRecord } from '../container/record.ts';
import { volumeMountpoint } from './records.ts';

export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** Volume name. */
  Name?: string;
  /** Bind: the Docker host (guest) path; volume: Docker's mountpoint; tmpfs: ''. */
  Source: string;
  Destination: string;
  /** Volume driver. */
  Driver?: string;
  /** The mode text the user gave ("ro", "z"…); moby sets "z" for named local volumes. */
  Mode: string;
  RW: boolean;
  Propagation: string;
  /** A volume the user named (`-v name:/p`, `--mount source=name`): `rm -v` keeps it. */
  named?: boolean;
  /** Bind from `-v`: a missing source directory is created (`--mount` requires it). */
  createSource?: boolean;
  /** Bind propagation or recursion options of --mount. */
  nonRecursive?: boolean;
  /** tmpfs from --mount: options text ("size=65536k,mode=1777"). */
  tmpfsOptions?: string;
}

/** Names of the volumes a container references. */
export function volumeNamesOf(record: ContainerRecord): string[] {
  return (record.mountPoints ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name!);
}

/** API `container.MountPoint` list (`Mounts` of inspect and ps), ordered by destination. */
export function mountPointsView(record: ContainerRecord): Record<string, unknown>[] {
  return [...(record.mountPoints ?? [])]
    .sort((a, b) => (a.Destination < b.Destination ? -1 : a.Destination > b.Destination ? 1 : 0))
    .map((m) => ({
      Type: m.Type,
      ...(m.Name ? { Name: m.Name } : {}),
      Source: m.Type === 'volume' && m.Name ? volumeMountpoint(m.Name) : m.Source,
      Destination: m.Destination,
      ...(m.Driver ? { Driver: m.Driver } : {}),
      Mode: m.Mode,
      RW: m.RW,
      Propagation: m.Propagation,
    }));
}
