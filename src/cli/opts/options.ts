// `docker run`/`docker create` flags → the API create request (docker/cli container/opts.go `parse`).
import type { ParsedFlags } from '../flags/parsed.ts';
import { addExposedPorts, parsePortSpecs } from './options-ports.ts';
import { parseMount, parseTmpfs, parseVolumeSpec } from './options-mounts.ts';
import { parseDetachKeys, parseSignal } from '../../lib/signals.ts';
import { parseDevice } from './options-devices.ts';
import type { Config, HostConfig } from '../../engine/api/types.ts';
import type { ContainerOptions } from './types.ts';
import { ContainerOptionsError, parseEnvFile, parseLabelFile, parseRestartPolicy, parseUlimit } from './options-values.ts';

export { containerFlags, createFlags, runFlags } from './options-flags.ts';
export { ContainerOptionsError } from './options-values.ts';

export interface ContainerOptionsDeps {
  /** The client's environment, for `-e KEY` and bare KEY lines in --env-file. */
  env: ReadonlyMap<string, string>;
  /** The client's working directory, for relative bind sources (`-v ./data:/data`). */
  cwd: string;
  /** Reads a client-side file (--env-file, --label-file); null when missing. */
  readFile(path: string): Promise<string | null>;
}

/**
 * Turns parsed `run`/`create` flags (positional args: IMAGE [COMMAND] [ARG...]) into a create request.
 * Errors are `ContainerOptionsError`s with Docker's text; `daemon` ones are what the daemon would answer.
 */
export async function parseContainerOptions(parsed: ParsedFlags, deps: ContainerOptionsDeps): Promise<ContainerOptions> {
  const pull = hasFlag(parsed, 'pull') ? parsed.string('pull') : 'missing';
  if (!['always', 'missing', 'never'].includes(pull)) {
    throw new ContainerOptionsError(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  }
  const [image = '', ...cmd] = parsed.args;
  const attach = parsed.list('attach').map((s) => s.toLowerCase());
  const detach = hasFlag(parsed, 'detach') && parsed.bool('detach');
  const interactive = parsed.bool('interactive');
  if (detach && attach.length > 0) {
    throw new ContainerOptionsError('conflicting options: cannot specify both --attach and --detach', 'plain');
  }

  const env: string[] = [];
  for (const file of parsed.list('env-file')) env.push(...parseEnvFile(await readOrFail(deps, file), deps.env));
  for (const e of parsed.list('env')) env.push(!e.includes('=') && deps.env.has(e) ? `${e}=${deps.env.get(e)}` : e);

  const labels: Record<string, string> = {};
  const labelLines: string[] = [];
  for (const file of parsed.list('label-file')) labelLines.push(...parseLabelFile(await readOrFail(deps, file)));
  for (const line of [...labelLines, ...parsed.list('label')]) {
    const eq = line.indexOf('=');
    labels[eq < 0 ? line : line.slice(0, eq)] = eq < 0 ? '' : line.slice(eq + 1);
  }

  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of parsed.list('volume')) {
    const v = parseVolumeSpec(spec);
    if (v.source === '') {
      volumes[spec] = {};
      continue;
    }
    const source = v.type === 'bind' && v.source.startsWith('.') ? joinPath(deps.cwd, v.source) : v.source;
    binds.push([source, ...spec.split(':').slice(1)].join(':'));
  }

  const ports = parsePortSpecs(parsed.list('publish'));
  addExposedPorts(ports.exposed, parsed.list('expose'));

  const restart = parseRestartPolicy(parsed.string('restart'));
  const rm = parsed.bool('rm');
  if (rm && restart.Name !== '' && restart.Name !== 'no') {
    throw new ContainerOptionsError('conflicting options: cannot specify both --restart and --rm');
  }
  if (restart.daemonError) throw new ContainerOptionsError(restart.daemonError, 'daemon');

  const stopSignal = parsed.string('stop-signal');
  if (stopSignal !== '' && parseSignal(stopSignal) === undefined) {
    throw new ContainerOptionsError(`Invalid signal: ${stopSignal}`, 'daemon');
  }
  const detachKeys = hasFlag(parsed, 'detach-keys') ? parsed.string('detach-keys') : '';
  if (detachKeys !== '') {
    try {
      parseDetachKeys(detachKeys);
    } catch {
      throw new ContainerOptionsError(`Invalid detach keys (${detachKeys}) provided`, 'daemon');
    }
  }
  const nanoCpus = parsed.nanoCpus('cpus');
  if (nanoCpus < 0) throw new ContainerOptionsError(`invalid CPU value: ${nanoCpus}`, 'daemon');

  const securityOpt = parsed.list('security-opt');
  for (const opt of securityOpt) {
    if (!opt.includes('=') && !opt.includes(':') && opt !== 'no-new-privileges') {
      throw new ContainerOptionsError(`Invalid --security-opt: ${JSON.stringify(opt)}`);
    }
  }

  const logDriver = parsed.string('log-driver');
  const logOpts = parsed.list('log-opt');
  // docker/cli parseLoggingOpts: the daemon checks everything else about logging.
  if (logDriver === 'none' && logOpts.length > 0) throw new ContainerOptionsError(`invalid logging opts for driver ${logDriver}`);

  const networks = [...parsed.list('network'), ...parsed.list('net')];
  const tty = parsed.bool('tty');
  const attachStdin = detach ? false : attach.includes('stdin') || interactive;
  const attachOut = (stream: string) => !detach && (attach.length === 0 || attach.includes(stream));
  const entrypoint = parsed.string('entrypoint');

  const config: Config = {
    Image: image,
    ...(cmd.length > 0 ? { Cmd: cmd } : {}),
    ...(entrypoint !== '' ? { Entrypoint: [entrypoint] } : parsed.changed('entrypoint') ? { Entrypoint: [''] } : {}),
    Env: env,
    Hostname: parsed.string('hostname'),
    User: parsed.string('user'),
    WorkingDir: parsed.string('workdir'),
    Tty: tty,
    OpenStdin: interactive,
    StdinOnce: interactive && attachStdin,
    AttachStdin: attachStdin,
    AttachStdout: attachOut('stdout'),
    AttachStderr: attachOut('stderr'),
    ...(Object.keys(ports.exposed).length > 0 ? { ExposedPorts: ports.exposed } : {}),
    Labels: labels,
    ...(stopSignal !== '' ? { StopSignal: stopSignal } : {}),
    ...(parsed.changed('stop-timeout') ? { StopTimeout: parsed.int('stop-timeout') } : {}),
    ...(Object.keys(volumes).length > 0 ? { Volumes: volumes } : {}),
  };

  const listOrNone = (values: string[]) => (values.length > 0 ? values : undefined);
  const tmpfs = parsed.list('tmpfs');
  const hostConfig: HostConfig = {
    Binds: listOrNone(binds),
    LogConfig: { Type: logDriver, Config: keyValueMap(logOpts) },
    Mounts: parsed.changed('mount') ? parsed.list('mount').map(parseMount) : undefined,
    PortBindings: ports.bindings,
    PublishAllPorts: parsed.bool('publish-all'),
    RestartPolicy: { Name: restart.Name, MaximumRetryCount: restart.MaximumRetryCount },
    AutoRemove: rm,
    NetworkMode: networks[0] ?? 'default',
    Links: listOrNone(parsed.list('link')),
    CapAdd: listOrNone(parsed.list('cap-add')),
    CapDrop: listOrNone(parsed.list('cap-drop')),
    Privileged: parsed.bool('privileged'),
    SecurityOpt: listOrNone(securityOpt),
    ReadonlyRootfs: parsed.bool('read-only'),
    ...(parsed.changed('init') ? { Init: parsed.bool('init') } : {}),
    Memory: parsed.bytes('memory'),
    MemorySwap: parsed.bytes('memory-swap'),
    NanoCpus: nanoCpus,
    CpuShares: parsed.int('cpu-shares'),
    Devices: parsed.list('device').map(parseDevice),
    ...(parsed.changed('pids-limit') ? { PidsLimit: parsed.int('pids-limit') } : {}),
    Ulimits: parsed.changed('ulimit') ? parsed.list('ulimit').map(parseUlimit) : undefined,
    Tmpfs: tmpfs.length > 0 ? Object.fromEntries(tmpfs.map(parseTmpfs)) : undefined,
    ExtraHosts: listOrNone(parsed.list('add-host')),
    Dns: parsed.list('dns'),
    VolumesFrom: listOrNone(parsed.list('volumes-from')),
    StorageOpt: parsed.changed('storage-opt') ? parseStorageOpts(parsed.list('storage-opt')) : undefined,
  };
  for (const key of Object.keys(hostConfig) as (keyof HostConfig)[]) if (hostConfig[key] === undefined) delete hostConfig[key];

  const name = hasFlag(parsed, 'name') ? parsed.string('name') : '';
  return {
    ...(name !== '' ? { name } : {}),
    config,
    hostConfig,
    // docker/cli: --network-alias and --ip belong to the first network's endpoint.
    networkingConfig: {
      EndpointsConfig: Object.fromEntries(
        (networks.length > 0 ? networks : ['default']).map((n, i) => [
          n,
          i > 0
            ? {}
            : {
                ...(parsed.list('network-alias').length ? { Aliases: parsed.list('network-alias') } : {}),
                ...(parsed.string('ip') ? { IPAMConfig: { IPv4Address: parsed.string('ip') } } : {}),
              },
        ]),
      ),
    },
    client: {
      detach,
      sigProxy: hasFlag(parsed, 'sig-proxy') && parsed.bool('sig-proxy'),
      detachKeys,
      rm,
      pull,
      quiet: parsed.bool('quiet'),
      platform: parsed.string('platform'),
    },
  };
}

/** Whether `name` is a flag of this command at all (run has --detach, create does not). */
function hasFlag(parsed: ParsedFlags, name: string): boolean {
  return parsed.defines(name);
}

/** docker/cli parseStorageOpts: every option is `key=value`. */
function parseStorageOpts(values: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const kv of values) {
    const eq = kv.indexOf('=');
    if (eq < 0) throw new ContainerOptionsError('invalid storage option');
    map[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return map;
}

/** docker/cli opts.ConvertKVStringsToMap: `k=v`, and `k` alone as an empty value. */
function keyValueMap(values: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const kv of values) {
    const eq = kv.indexOf('=');
    map[eq < 0 ? kv : kv.slice(0, eq)] = eq < 0 ? '' : kv.slice(eq + 1);
  }
  return map;
}

async function readOrFail(deps: ContainerOptionsDeps, path: string): Promise<string> {
  const content = await deps.readFile(path);
  if (content === null) throw new ContainerOptionsError(`open ${path}: no such file or directory`);
  return content;
}

function joinPath(cwd: string, rel: string): string {
  const parts = cwd.split('/').filter(Boolean);
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return '/' + parts.join('/');
}
