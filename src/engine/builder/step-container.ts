// A RUN step's container on the real runtime: created from the step's parent image with the
// builder's command (the image's ENTRYPOINT cleared, as the classic builder does), started with
// its output streamed, and once it exited its writable layer read from the Docker host's disk.
import { normaliseCreate } from '../api/container-create.ts';
import type { ContainerService } from '../container/service.ts';
import { GuestPaths, type GuestRuntime } from '../container/runtime.ts';
import type { ImageRecord } from '../image/store/records.ts';
import type { StepContainer, StepRunConfig } from './builder.ts';
import { upperToLayer } from './layers.ts';

export interface StepContainerDeps {
  containers: ContainerService;
  runtime: GuestRuntime;
}

const decoder = () => new TextDecoder();

/** A container's writable layer (on the Docker host's disk) as an OCI layer tar. */
export async function readContainerLayer(runtime: Pick<GuestRuntime, 'runBytes'>, id: string): Promise<Uint8Array> {
  const upper = `${GuestPaths.layer(id)}/upper`;
  const [tar, opaque] = await Promise.all([
    runtime.runBytes(['/bin/sh', '-c', 'cd "$1" && exec tar -cf - .', 'slipway-layer', upper]),
    runtime.runBytes(['/usr/sbin/slipway-ctr', 'opaque', upper]),
  ]);
  if (tar.code !== 0) throw new Error(`reading the container's layer failed: ${tar.stderr.trim() || `exit ${tar.code}`}`);
  if (opaque.code !== 0) throw new Error(`listing the container's opaque directories failed: ${opaque.stderr.trim() || `exit ${opaque.code}`}`);
  return upperToLayer(tar.stdout, new TextDecoder().decode(opaque.stdout).split('\0').filter(Boolean));
}

export async function runStepContainer(deps: StepContainerDeps, image: ImageRecord, step: StepRunConfig, output: (text: string) => void): Promise<StepContainer> {
  const { config, hostConfig } = normaliseCreate({ Image: image.id, Cmd: step.Cmd, Entrypoint: [''], Env: step.Env, User: step.User, WorkingDir: step.WorkingDir, AttachStdout: true, AttachStderr: true } as Parameters<typeof normaliseCreate>[0]);
  const record = await deps.containers.create({ config, hostConfig }, { id: image.id, config: image.config });
  // One decoder per stream, so a character split across two reads comes out whole.
  const decoders = { stdout: decoder(), stderr: decoder() };
  const live = await deps.containers.start(record.Id, {
    attach: (stream, data) => {
      const text = decoders[stream === 'stderr' ? 'stderr' : 'stdout'].decode(data, { stream: true });
      if (text) output(text);
    },
  });
  return {
    id: record.Id,
    exited: live.stopped,
    layer: () => readContainerLayer(deps.runtime, record.Id),
    async remove() {
      await deps.containers.remove(record.Id, { force: true, volumes: true });
    },
  };
}
