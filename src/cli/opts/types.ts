// What `docker run`/`docker create` flags parse into (docker/cli's containerConfig): the create
// request's parts, and what the client keeps for itself.
import type { Config, HostConfig, NetworkingConfig } from '../../engine/api/types.ts';

/** What the client keeps for itself instead of sending to the daemon. */
export interface ClientOptions {
  detach: boolean;
  /** Forward signals to the container (default true; never with a tty). */
  sigProxy: boolean;
  /** --detach-keys as given ('' = default ctrl-p,ctrl-q). */
  detachKeys: string;
  rm: boolean;
  /** --pull: 'missing' | 'always' | 'never'. */
  pull: string;
  quiet: boolean;
  /** --platform as given, '' if not. */
  platform: string;
}

export interface ContainerOptions {
  name?: string;
  config: Config;
  hostConfig: HostConfig;
  networkingConfig: NetworkingConfig;
  client: ClientOptions;
}
