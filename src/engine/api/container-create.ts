// POST /containers/create: the image must be local (moby answers 404 "No such image" and the
// client pulls, then asks again); the daemon's own checks run in ContainerService.create.
import { DaemonError } from '../container/state.ts';
import type { Config, HostConfig } from '../container/options-types.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { ContainerService } from '../container/service.ts';
import type { Engine } from '../engine.ts';
import { familiarString, parseDockerRef } from '../../lib/reference.ts';
import { imagePlatform, parsePlatform, platformMismatch } from '../image/platform.ts';
import type { ContainerCreateRequest, ContainerCreateResponse } from './types.ts';

/** Drops nulls: API clients send `null` for what they leave unset (the Docker SDK does). */
function defined<T extends object>(value: T | null | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** A create body as moby reads it: absent fields take the daemon's defaults. */
export function normaliseCreate(body: ContainerCreateRequest): { config: Config; hostConfig: HostConfig; endpoint?: { aliases: string[]; ipv4?: string } } {
  const { HostConfig: hc, NetworkingConfig: networking, ...rest } = body;
  const c = defined(rest as Config);
  const config: Config = {
    ...c,
    Image: c.Image ?? '',
    Env: c.Env ?? [],
    Hostname: c.Hostname ?? '',
    User: c.User ?? '',
    WorkingDir: c.WorkingDir ?? '',
    Tty: c.Tty ?? false,
    OpenStdin: c.OpenStdin ?? false,
    StdinOnce: c.StdinOnce ?? false,
    AttachStdin: c.AttachStdin ?? false,
    AttachStdout: c.AttachStdout ?? false,
    AttachStderr: c.AttachStderr ?? false,
    Labels: c.Labels ?? {},
  };
  const h = defined(hc);
  const hostConfig: HostConfig = {
    ...h,
    PortBindings: h.PortBindings ?? {},
    PublishAllPorts: h.PublishAllPorts ?? false,
    RestartPolicy: { Name: h.RestartPolicy?.Name || 'no', MaximumRetryCount: h.RestartPolicy?.MaximumRetryCount ?? 0 },
    AutoRemove: h.AutoRemove ?? false,
    NetworkMode: h.NetworkMode || 'default',
    Privileged: h.Privileged ?? false,
    ReadonlyRootfs: h.ReadonlyRootfs ?? false,
    Memory: h.Memory ?? 0,
    MemorySwap: h.MemorySwap ?? 0,
    NanoCpus: h.NanoCpus ?? 0,
    CpuShares: h.CpuShares ?? 0,
    Dns: h.Dns ?? [],
  };
  // The endpoint on the container's own network (the CLI sends one per --network).
  const settings = (networking?.EndpointsConfig ?? {})[hostConfig.NetworkMode] as { Aliases?: string[] | null; IPAMConfig?: { IPv4Address?: string } | null } | undefined;
  const aliases = (settings?.Aliases ?? []).filter(Boolean);
  const ipv4 = settings?.IPAMConfig?.IPv4Address || undefined;
  return { config, hostConfig, ...(aliases.length || ipv4 ? { endpoint: { aliases, ...(ipv4 ? { ipv4 } : {}) } } : {}) };
}

/** What a create needs of the engine: the image lookup and the container service's create. */
export interface CreateDeps {
  images: Pick<Engine['images'], 'resolve'>;
  containers: { create(...args: Parameters<ContainerService['create']>): Promise<Pick<ContainerRecord, 'Id'>> };
}

export async function createContainer(engine: CreateDeps, body: ContainerCreateRequest, options: { name?: string; platform?: string }): Promise<ContainerCreateResponse> {
  const { config, hostConfig, endpoint } = normaliseCreate(body);
  if (!config.Image) throw new DaemonError('No command specified', 'invalid-parameter');
  const image = await engine.images.resolve(config.Image).catch(() => undefined);
  if (!image) {
    let display = config.Image;
    try {
      display = familiarString(parseDockerRef(config.Image));
    } catch {
      // moby names an unparsable reference as given
    }
    throw new DaemonError(`No such image: ${display}`, 'not-found');
  }
  if (options.platform) {
    let wanted;
    try {
      wanted = parsePlatform(options.platform);
    } catch (e) {
      throw new DaemonError((e as Error).message, 'invalid-parameter');
    }
    // moby looks the image up for the platform asked for: another one is "not found".
    const mismatch = platformMismatch(config.Image, imagePlatform(image.config), wanted);
    if (mismatch) throw mismatch;
  }
  const record = await engine.containers.create({ name: options.name, config, hostConfig, ...(endpoint ? { endpoint } : {}) }, { id: image.id, config: image.config });
  return { Id: record.Id, Warnings: [] };
}
