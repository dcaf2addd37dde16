// A new container record: Docker's name rules, a random ID, the image config merged under the
// request (moby daemon/create.go, container/config merge), and the command to run.
import type { ImageConfig } from '../image/oci.ts';
import { NAME_CHARS, NAME_PATTERN, randomName } from './names.ts';
import type { Config } from './options-types.ts';
import { goTime, type ContainerRecord } from './record.ts';
import type { ContainerRegistry } from './registry.ts';
import type { CreateRequest, ResolvedImage } from './service.ts';
import { createdState, DaemonError } from './state.ts';

export function newContainerRecord(
  req: CreateRequest,
  image: ResolvedImage,
  deps: { registry: ContainerRegistry; random(): number; now(): number },
): ContainerRecord {
  const { registry } = deps;
  let name = req.name;
  if (name !== undefined && name !== '') {
    if (!NAME_PATTERN.test(name.replace(/^\//, ''))) {
      throw new DaemonError(`Invalid container name (${name}), only ${NAME_CHARS} are allowed`, 'invalid-parameter');
    }
    const holder = registry.nameInUse(name);
    if (holder) {
      throw new DaemonError(
        `Conflict. The container name "/${name.replace(/^\//, '')}" is already in use by container "${holder.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
  } else {
    name = randomName(deps.random);
    for (let retry = 1; registry.nameInUse(name); retry++) name = randomName(deps.random, retry);
  }
  const id = randomHex(deps.random, 64);
  const config = mergeImageConfig(req.config, image.config, id);
  const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (command.length === 0) throw new DaemonError('no command specified', 'invalid-parameter');
  return {
    Id: id,
    Created: goTime(deps.now()),
    Path: command[0]!,
    Args: command.slice(1),
    State: createdState(),
    Image: image.id,
    Name: `/${name.replace(/^\//, '')}`,
    RestartCount: 0,
    Config: config,
    HostConfig: req.hostConfig,
    network: null,
    ...(req.endpoint && (req.endpoint.aliases.length || req.endpoint.ipv4) ? { endpoint: req.endpoint } : {}),
  };
}

/** Docker's merge of the image config under the create request. */
export function mergeImageConfig(config: Config, image: ImageConfig, id: string): Config {
  const ic = image.config ?? {};
  const env = new Map<string, string>();
  for (const kv of [...(ic.Env ?? []), ...(config.Env ?? [])]) env.set(kv.split('=')[0]!, kv);
  const entrypointGiven = config.Entrypoint !== undefined && config.Entrypoint !== null;
  return {
    ...config,
    Hostname: config.Hostname || id.slice(0, 12),
    User: config.User || ic.User || '',
    Env: [...env.values()],
    Cmd: config.Cmd?.length ? config.Cmd : entrypointGiven ? (config.Cmd ?? []) : (ic.Cmd ?? []),
    Entrypoint: entrypointGiven ? config.Entrypoint!.filter((s) => s !== '') : (ic.Entrypoint ?? undefined),
    WorkingDir: config.WorkingDir || ic.WorkingDir || '',
    ExposedPorts: { ...(ic.ExposedPorts ?? {}), ...(config.ExposedPorts ?? {}) },
    Volumes: { ...(ic.Volumes ?? {}), ...(config.Volumes ?? {}) },
    Labels: { ...(ic.Labels ?? {}), ...(config.Labels ?? {}) },
    StopSignal: config.StopSignal || ic.StopSignal || undefined,
  };
}

function randomHex(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(random() * 16).toString(16);
  return s;
}

