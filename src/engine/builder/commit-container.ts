// `docker commit`: a container's writable layer on top of its image, with the container's config
// (and `--change` instructions) as the new image's, committed as a build step is.
import { parseDockerRef, referenceString } from '../../lib/reference.ts';
import type { CommitOptions } from '../api/types.ts';
import type { ContainerService } from '../container/service.ts';
import type { GuestRuntime } from '../container/runtime.ts';
import { DaemonError } from '../container/state.ts';
import type { ImageService } from '../image/images.ts';
import type { ContainerConfig, Digest } from '../image/oci.ts';
import { readTar } from '../../lib/tar.ts';
import { commitStep } from './commit.ts';
import { ShellLex } from './dockerfile/lexer.ts';
import { BuildError, parseDockerfile } from './instructions.ts';
import { applyMetadata, type MetadataState } from './metadata.ts';
import { readContainerLayer } from './step-container.ts';

export interface CommitDeps {
  containers: ContainerService;
  images: ImageService;
  runtime: Pick<GuestRuntime, 'runBytes'>;
  now(): number;
}


/** Commit may only change these (moby's validCommitCommands; all metadata instructions). */
const COMMIT_CHANGES = new Set(['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'stopsignal', 'user', 'volume', 'workdir', 'healthcheck', 'shell']);

export async function commitContainer(deps: CommitDeps, ref: string, options: CommitOptions): Promise<Digest> {
  const record = deps.containers.registry.get(ref);
  const base = await deps.images.image(record.Image as Digest);
  if (!base) throw new DaemonError(`No such image: ${record.Image}`, 'not-found');
  let target: string | null = null;
  if (options.repo) {
    const named = parseDockerRef(options.tag ? `${options.repo}:${options.tag}` : options.repo);
    target = referenceString(named.tag === undefined && named.digest === undefined ? { ...named, tag: 'latest' } : named);
  }
  const c = record.Config;
  const state = {
    config: {
      ...(c.User ? { User: c.User } : {}),
      ...(Object.keys(c.ExposedPorts ?? {}).length ? { ExposedPorts: c.ExposedPorts } : {}),
      Env: [...(c.Env ?? [])],
      ...(c.Entrypoint?.length ? { Entrypoint: [...c.Entrypoint] } : {}),
      ...(c.Cmd?.length ? { Cmd: [...c.Cmd] } : {}),
      ...(Object.keys(c.Volumes ?? {}).length ? { Volumes: c.Volumes } : {}),
      ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
      ...(Object.keys(c.Labels ?? {}).length ? { Labels: c.Labels } : {}),
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      ...(base.config.config?.OnBuild ? { OnBuild: base.config.config.OnBuild } : {}),
    } as ContainerConfig,
    shell: base.config.config?.Shell ?? ['/bin/sh', '-c'],
    cmdSet: true,
  };
  applyChanges(state, options.changes ?? []);
  const live = deps.containers.live(record.Id);
  const freeze = options.pause !== false && live !== undefined && !record.State.Paused;
  if (freeze) await deps.containers.pause(record.Id);
  let layer: Uint8Array;
  try {
    layer = await readContainerLayer(deps.runtime, record.Id);
  } finally {
    if (freeze) await deps.containers.unpause(record.Id).catch(() => undefined);
  }
  const empty = [...readTar(layer)].length === 0;
  const image = await commitStep(
    deps.images,
    base,
    {
      config: state.config,
      history: { created_by: (c.Cmd ?? []).join(' '), ...(options.comment ? { comment: options.comment } : {}), ...(options.author ? { author: options.author } : {}) },
      layer: empty ? null : layer,
      ...(options.author ? { author: options.author } : {}),
    },
    new Date(deps.now()),
  );
  if (target) await deps.images.tag(image.id, target);
  return image.id;
}

/** `--change` instructions (commit, import) applied to an image config, with moby's errors. */
export function applyChanges(state: MetadataState, changes: readonly string[]): void {
  for (const change of changes) {
    let instruction;
    try {
      instruction = parseDockerfile(`FROM scratch\n${change}\n`).stages[0]?.commands[0];
    } catch (e) {
      throw new DaemonError((e as Error).message, 'invalid-parameter');
    }
    if (!instruction) continue;
    if (!COMMIT_CHANGES.has(instruction.name)) throw new DaemonError(`${instruction.name} is not a valid change command`, 'invalid-parameter');
    const env = { get: (name: string) => state.config.Env?.find((kv) => kv.split('=')[0] === name)?.slice(name.length + 1) };
    try {
      applyMetadata(state, instruction, (word) => new ShellLex().processWord(word, env));
    } catch (e) {
      throw new DaemonError(e instanceof BuildError ? e.message : String(e), 'invalid-parameter');
    }
  }
}
