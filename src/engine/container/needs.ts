// What a container needs from the rest of the daemon, as two small ports the Engine wires:
// networking (network/: an address and a namespace, its published ports) and mounts (binds.ts
// and volume/: volumes and binds decided at create, mounted at start, released at stop). The
// container service knows nothing else of either.
import type { ContainerRecord } from './record.ts';
import type { SpecMountInput } from './spec-types.ts';

export interface NetworkAttachment {
  assignment: ContainerRecord['network'];
  namespace: { path: string } | 'host' | 'none';
  /** /etc/hosts lines for linked containers and --add-host. */
  extraHosts: string[];
  /** Environment of --link (ALIAS_PORT_80_TCP_ADDR…), placed before the container's own. */
  env?: string[];
  /** `--network container:`: the other container's nameserver, shared with its namespace. */
  nameserver?: string;
}

export interface ContainerNetworking {
  /** Throws moby's error when the container's network does not exist (before create). */
  check(record: ContainerRecord): void;
  /** The container's network at start (its address and namespace, links, extra hosts). */
  attach(record: ContainerRecord): Promise<NetworkAttachment>;
  /** The container stopped, or failed to start: its address goes back. */
  release(record: ContainerRecord): Promise<void>;
  /** Starts the relays of published ports (record.network set); the disposer stops them. */
  publishPorts(record: ContainerRecord): Promise<{ dispose(): void } | null>;
}

export interface ContainerMounts {
  /** Decides a new container's mount points (volumes created, image content copied up). */
  register(record: ContainerRecord): Promise<void>;
  /** Bind sources of volumes (`-v name:/path`, anonymous volumes) and binds in the guest. */
  mounts(record: ContainerRecord): Promise<SpecMountInput[]>;
  /** The container stopped (unmount events, volume contents stored). */
  released(record: ContainerRecord): void;
  /** The container is removed: its files in the guest, and its anonymous volumes with `volumes`. */
  forget(record: ContainerRecord, volumes: boolean): Promise<void>;
}
