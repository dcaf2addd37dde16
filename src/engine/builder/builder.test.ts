// The builder's step semantics against a recording fake runtime (the guest scenarios are in
// test/guest/build.test.ts): config rules, history, cache, output and failures.
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { concatBytes } from '../../lib/bytes.ts';
import { endTar, readTar, writeTarEntry } from '../../lib/tar.ts';
import { ImageService } from '../image/images.ts';
import type { BuildMessage } from '../api/types.ts';
import { Builder, type StepRunConfig } from './builder.ts';

const text = (s: string) => new TextEncoder().encode(s);

function context(files: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) writeTarEntry(parts, { name, flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: text(data) });
  endTar(parts);
  return concatBytes(parts);
}

function setup(exitCode = 0) {
  const stores = memoryStores();
  const images = new ImageService(stores);
  const runs: StepRunConfig[] = [];
  let seq = 0;
  const builder = new Builder({
    images,
    meta: stores.meta,
    rootfs: async () => ({ lowerDir: '/x', lookup: () => undefined }),
    pull: async () => {
      throw new Error('no pulls here');
    },
    run: async (_image, config, output) => {
      runs.push(config);
      output(`ran ${config.Cmd.at(-1)}\n`);
      const id = `${++seq}`.padStart(64, 'c');
      return { id, exited: Promise.resolve(config.Cmd.at(-1)!.includes('fail') ? exitCode : 0), layer: async () => context({ [`f${seq}`]: 'x' }), remove: async () => {} };
    },
    now: () => Date.UTC(2026, 11, 7),
    random: () => 0.5,
  });
  const build = async (files: Record<string, string>, options: Parameters<Builder['build']>[1] = {}) => {
    const messages: BuildMessage[] = [];
    let id = '';
    let error = '';
    try {
      id = await builder.build(context(files), options, (m) => messages.push(m));
    } catch (e) {
      error = (e as Error).message;
    }
    return { id, error, out: messages.map((m) => m.stream ?? '').join('') };
  };
  return { images, runs, build, builder };
}

const ids = (out: string) => out.replace(/[0-9a-f]{12}/g, 'ID');

describe('Builder', () => {
  it('runs steps from scratch with the classic output, config rules and history', async () => {
    const { images, runs, build } = setup();
    const dockerfile = 'FROM scratch\nENV A=1 B="two words"\nARG V=9\nWORKDIR app\nRUN make $A\nCMD ["serve"]\nENTRYPOINT ["/e"]\nEXPOSE 80 53/udp\nLABEL x=y\n';
    // RUN needs an image below it: scratch has nothing to run, so start from a built one.
    const base = await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' }, { tags: ['base'] });
    expect(base.error).toBe('');
    const r = await build({ Dockerfile: dockerfile.replace('FROM scratch', 'FROM base') }, { tags: ['app:1'] });
    expect(r.error).toBe('');
    expect(ids(r.out)).toBe(
      [
        'Step 1/9 : FROM base', ' ---> ID',
        'Step 2/9 : ENV A=1 B="two words"', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 3/9 : ARG V=9', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 4/9 : WORKDIR app', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 5/9 : RUN make $A', ' ---> Running in ID', 'ran make $A', 'Removing intermediate container ID', ' ---> ID',
        'Step 6/9 : CMD ["serve"]', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 7/9 : ENTRYPOINT ["/e"]', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 8/9 : EXPOSE 80 53/udp', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Step 9/9 : LABEL x=y', ' ---> Running in ID', 'Removing intermediate container ID', ' ---> ID',
        'Successfully built ID', 'Successfully tagged app:1', '',
      ].join('\n'),
    );
    expect(runs).toEqual([{ Cmd: ['/bin/sh', '-c', 'make $A'], Env: ['A=1', 'B=two words', 'V=9'], User: '', WorkingDir: '/app' }]);
    const image = (await images.resolve('app:1'))!;
    // CMD set in this stage survives the ENTRYPOINT after it.
    expect(image.config.config).toEqual({ Env: ['A=1', 'B=two words'], WorkingDir: '/app', Cmd: ['serve'], Entrypoint: ['/e'], ExposedPorts: { '80/tcp': {}, '53/udp': {} }, Labels: { x: 'y' } });
    expect(image.config.history!.slice(-3).map((h) => h.created_by)).toEqual(['/bin/sh -c #(nop)  ENTRYPOINT ["/e"]', '/bin/sh -c #(nop)  EXPOSE 80/tcp 53/udp', '/bin/sh -c #(nop)  LABEL x=y']);
    expect(image.config.history!.find((h) => h.created_by?.includes('make'))).toMatchObject({ created_by: '|1 V=9 /bin/sh -c make $A' });
    expect(image.config.history!.find((h) => h.created_by?.includes('WORKDIR'))).toMatchObject({ created_by: '/bin/sh -c #(nop) WORKDIR /app', empty_layer: true });
    expect(image.parent).toBeDefined();
  });

  it('takes unchanged steps from the cache, and not with --no-cache or a changed COPY source', async () => {
    const { build, runs } = setup();
    const base = await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' });
    const files = { Dockerfile: `FROM ${base.id}\nCOPY a /a\nRUN step\n`, a: 'one' };
    const first = await build(files);
    const again = await build(files);
    expect(again.id).toBe(first.id);
    expect(again.out.match(/Using cache/g)).toHaveLength(2);
    expect(runs).toHaveLength(1);
    const changed = await build({ ...files, a: 'two' });
    expect(changed.out.match(/Using cache/g)).toBeNull();
    await build(files, { noCache: true });
    expect(runs).toHaveLength(3);
  });

  it("fails with the command's exit code in the message, keeping the last good step's image", async () => {
    const { build, images } = setup(127);
    const base = await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' });
    const r = await build({ Dockerfile: `FROM ${base.id}\nRUN echo ok\nRUN fail here\n` });
    expect(r.error).toBe("The command '/bin/sh -c fail here' returned a non-zero code: 127");
    const lastGood = /Removing intermediate container [0-9a-f]{12}\n ---> ([0-9a-f]{12})\nStep 3\/3/.exec(r.out)![1]!;
    expect(await images.resolve(lastGood)).toBeDefined();
  });

  it('lists the cache with sizes, and prunes what no tagged image is built on (all with --all)', async () => {
    const { build, builder, images } = setup(1);
    await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' }, { tags: ['base'] });
    await build({ Dockerfile: 'FROM base\nRUN step\nCMD ["x"]\n' }, { tags: ['app'] });
    const failed = await build({ Dockerfile: 'FROM base\nRUN one\nRUN fail\n' });
    expect(failed.error).toContain('returned a non-zero code: 1');
    const usage = await builder.cacheUsage();
    expect(usage.map((e) => [e.Description.replace(/file:[0-9a-f]{64}/, 'file:…'), e.Shared, e.Size]).sort()).toEqual([
      ['/bin/sh -c #(nop)  CMD ["x"]', true, 0],
      ['/bin/sh -c #(nop) COPY file:… in /bin/sh ', true, 2],
      ['/bin/sh -c one', false, 1],
      ['/bin/sh -c step', true, 1],
    ]);
    const before = (await images.images()).length;
    // The failed build's last good step is dangling cache: pruned with its image.
    expect(await builder.prune()).toEqual({ deleted: [usage.find((e) => e.Description === '/bin/sh -c one')!.ID], reclaimed: 1 });
    expect((await images.images()).length).toBe(before - 1);
    expect((await builder.prune({ all: true })).deleted).toHaveLength(3);
    // Tagged images and what they are built on stay.
    expect((await images.images()).length).toBe(before - 1);
    expect(await builder.cacheUsage()).toEqual([]);
  });

  it("refuses what Docker refuses: unknown instructions, a missing Dockerfile, a target that is not there", async () => {
    const { build } = setup();
    expect((await build({ Dockerfile: 'FROM scratch\nFOO bar\n' })).error).toBe('dockerfile parse error on line 2: unknown instruction: FOO');
    expect((await build({ other: '' })).error).toBe('Cannot locate specified Dockerfile: Dockerfile');
    expect((await build({ Dockerfile: 'FROM scratch AS a\n' }, { target: 'b' })).error).toBe('failed to reach build target b in Dockerfile');
  });

  it("takes a removed image's untagged parents with it, stopping at a tagged one", async () => {
    const { build, images } = setup();
    await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' }, { tags: ['base'] });
    const before = (await images.images()).length;
    await build({ Dockerfile: 'FROM base\nENV A=1\nRUN step\nCMD ["x"]\n' }, { tags: ['app'] });
    expect((await images.images()).length).toBe(before + 3);
    const records = await images.remove('app');
    expect(records.map((r) => ('Untagged' in r ? 'Untagged' : 'Deleted'))).toEqual(['Untagged', 'Deleted', 'Deleted', 'Deleted', 'Deleted']);
    expect((await images.images()).length).toBe(before);
    expect(await images.resolve('base')).toBeDefined();
  });

  it('gives a stage\'s bare ARG the value of the ARG before FROM, and --build-arg over both', async () => {
    const { build, runs } = setup();
    await build({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' }, { tags: ['base'] });
    await build({ Dockerfile: 'ARG TAG=base\nARG V=meta\nFROM $TAG\nARG V\nARG W\nRUN echo $V $W\n' }, { buildArgs: { W: 'given' } });
    expect(runs.at(-1)!.Env).toEqual(['V=meta', 'W=given']);
  });
});

describe('COPY with heredocs', () => {
  it('writes each heredoc as a file, expanded unless its delimiter is quoted, tabs chomped with <<-', async () => {
    const { build, images } = setup();
    const r = await build({ Dockerfile: 'FROM scratch\nARG X=world\nCOPY <<EOF /hello.txt\nhello $X "quoted"\nEOF\nCOPY <<-"A" <<B /d/\n\tone $X\n\tA\ntwo ${X}\nB\n' });
    expect(r.error).toBe('');
    const files = new Map<string, string>();
    for (const layer of await images.layers(r.id as never)) for (const e of readTar(layer)) if (e.type === 'file') files.set(e.path, new TextDecoder().decode(e.data));
    expect(Object.fromEntries(files)).toEqual({ 'hello.txt': 'hello world "quoted"\n', 'd/A': 'one $X\n', 'd/B': 'two world\n' });
  });
});

describe('BuildKit progress (version 2)', () => {
  it('names filesystem steps per stage, marks cached ones, and words a failure as BuildKit does', async () => {
    const { builder } = setup(2);
    const trace = async (files: Record<string, string>) => {
      const vertexes = new Map<string, { name: string; cached?: boolean; error?: string; completed?: number }>();
      const logs: string[] = [];
      let error = '';
      try {
        await builder.build(context(files), { version: '2' }, (m) => {
          const aux = m.aux as { vertexes?: { digest: string; name: string }[]; logs?: { data: string }[] } | undefined;
          if (m.stream) throw new Error(`classic output in BuildKit mode: ${m.stream}`);
          for (const v of aux?.vertexes ?? []) vertexes.set(v.digest, v);
          for (const l of aux?.logs ?? []) logs.push(l.data);
        });
      } catch (e) {
        error = (e as Error).message;
      }
      return { vertexes: [...vertexes.values()].map((v) => `${v.name}${v.cached ? ' CACHED' : ''}${v.error ? ` ERROR ${v.error}` : ''}`), logs, error };
    };
    const base = await trace({ Dockerfile: 'FROM scratch AS base\nCOPY f /bin/sh\nFROM base\nENV A=1\nRUN step\nCMD ["x"]\n', f: '#!' });
    expect(base.vertexes).toEqual([
      '[internal] load build definition from Dockerfile',
      '[internal] load .dockerignore',
      '[internal] load build context',
      '[base 2/2] COPY f /bin/sh',
      '[stage-1 2/2] RUN step',
      'exporting to image',
    ]);
    expect(base.logs).toEqual(['ran step\n']);
    const again = await trace({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\nRUN fail now\n', f: '#!' });
    expect(again.vertexes.slice(3)).toEqual(['[2/3] COPY f /bin/sh CACHED', '[3/3] RUN fail now ERROR process "/bin/sh -c fail now" did not complete successfully: exit code: 2']);
    expect(again.error).toBe('process "/bin/sh -c fail now" did not complete successfully: exit code: 2');
  });
});

describe('a cancelled build', () => {
  it('stops at the running step, removes its container and leaves no image for the rest', async () => {
    const stores = memoryStores();
    const images = new ImageService(stores);
    const removed: string[] = [];
    const controller = new AbortController();
    const builder = new Builder({
      images,
      meta: stores.meta,
      rootfs: async () => ({ lowerDir: '/x', lookup: () => undefined }),
      pull: async () => undefined,
      run: async () => {
        // The client goes away while the step runs; the step never ends by itself.
        setTimeout(() => controller.abort(), 5);
        return { id: 'c'.repeat(64), exited: new Promise<number>(() => {}), layer: async () => context({}), remove: async () => void removed.push('c') };
      },
      now: () => Date.UTC(2026, 11, 7),
      random: () => 0.5,
    });
    const base = await builder.build(context({ Dockerfile: 'FROM scratch\nCOPY f /bin/sh\n', f: '#!' }), {}, () => {});
    const before = (await images.images()).length;
    await expect(builder.build(context({ Dockerfile: `FROM ${base}\nRUN sleep 100\nCMD ["x"]\n` }), {}, () => {}, controller.signal)).rejects.toThrow('context canceled');
    expect(removed).toEqual(['c']);
    expect((await images.images()).length).toBe(before);
  });
});
