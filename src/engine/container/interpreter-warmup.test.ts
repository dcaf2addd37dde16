import { describe, expect, it } from 'vitest';
import { FakeGuestRuntime } from '../../../test/fakes/guest-runtime.ts';
import { MemoryFiles, shareOnlyGuest } from '../../../test/fakes/memory-files.ts';
import type { ImageRecord } from '../image/store/records.ts';
import { INTERPRETER_WARMUPS, newestImageWith, warmUpInterpreters } from './interpreter-warmup.ts';
import type { GuestRuntime } from './runtime.ts';

function image(id: string, created: string, env: string[]): ImageRecord {
  return { id, config: { created, architecture: '386', os: 'linux', config: { Env: env }, rootfs: { type: 'layers', diff_ids: [] } } } as unknown as ImageRecord;
}

const python = image('sha256:py', '2026-11-22T00:00:00Z', ['PATH=/usr/bin', 'PYTHON_VERSION=3.11.2']);
const derived = image('sha256:app', '2026-12-01T00:00:00Z', ['PATH=/usr/bin', 'PYTHON_VERSION=3.11.2', 'APP=1']);
const nginx = image('sha256:nginx', '2026-12-05T00:00:00Z', ['PATH=/usr/bin', 'NGINX_VERSION=1.22.1']);

function setup(images: ImageRecord[], stop: () => boolean = () => false) {
  const files = new MemoryFiles();
  const runtime = new FakeGuestRuntime();
  const rootfsAsked: string[] = [];
  const done = warmUpInterpreters({
    guest: shareOnlyGuest(files),
    runtime: runtime as unknown as GuestRuntime,
    images: async () => images,
    rootfs: async (id) => {
      rootfsAsked.push(id);
      return { lowerDir: `/mnt/host/images/${id.slice(7)}`, lookup: () => undefined };
    },
    stop,
  });
  return { files, runtime, rootfsAsked, done };
}

/** The next warm-up container the fake runtime starts. */
async function nextContainer(runtime: FakeGuestRuntime, startsBefore: number) {
  while (runtime.calls.filter((c) => c.op === 'start').length <= startsBefore) await new Promise((r) => setTimeout(r, 1));
  const [id, container] = [...runtime.containers.entries()].at(-1)!;
  return { id, container };
}

describe('newestImageWith', () => {
  it('picks the newest image whose environment carries the marker', () => {
    expect(newestImageWith([python, nginx, derived], 'PYTHON_VERSION=')?.id).toBe('sha256:app');
    expect(newestImageWith([nginx], 'PYTHON_VERSION=')).toBeUndefined();
  });
});

describe('warmUpInterpreters', () => {
  it('does nothing without a Python image', async () => {
    const { runtime, rootfsAsked, done } = setup([nginx]);
    await done;
    expect(runtime.calls).toEqual([]);
    expect(rootfsAsked).toEqual([]);
  });

  it("runs the image's interpreter in throwaway containers over its tree, one after the other", async () => {
    const { files, runtime, rootfsAsked, done } = setup([python, nginx]);
    const { runs, args } = INTERPRETER_WARMUPS[0];
    for (let i = 0; i < runs; i++) {
      const { id, container } = await nextContainer(runtime, i);
      const spec = JSON.parse(new TextDecoder().decode((await files.read(`/containers/${id}/spec.json`))!));
      expect(spec.process.args).toEqual(args);
      expect(spec.process.env).toEqual(python.config.config!.Env);
      expect(spec.linux.namespaces).toContainEqual({ type: 'network' });
      container.exit(0);
    }
    await done;
    expect(rootfsAsked).toEqual(['sha256:py']);
    const ops = runtime.calls.map((c) => c.op);
    expect(ops.filter((op) => op === 'start')).toHaveLength(runs);
    expect(ops.filter((op) => op === 'remove')).toHaveLength(runs);
    expect(ops).not.toContain('kill');
    expect([...files.entries.keys()].filter((k) => k.startsWith('/containers/') && k.endsWith('spec.json'))).toEqual([]);
  });

  it('kills the running warm-up as soon as the user wants the CPU, and starts no other', async () => {
    let userActive = false;
    const { runtime, done } = setup([python], () => userActive);
    const { id } = await nextContainer(runtime, 0);
    userActive = true;
    await done;
    expect(runtime.calls).toContainEqual({ op: 'kill', id, signal: 9 });
    expect(runtime.calls.filter((c) => c.op === 'start')).toHaveLength(1);
  });
});
