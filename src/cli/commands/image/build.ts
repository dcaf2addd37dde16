// `docker build` / `docker image build` / `docker builder build`, as docker/cli's classic builder
// client: it makes the context tar (a directory of the client's machine, or stdin: a Dockerfile or
// an archive), sends it to POST /build and prints the daemon's messages as they come.
import { ProgressRenderer } from '../../format/progress.ts';
import { BuildkitDisplay, type BuildTrace } from '../../format/buildkit.ts';
import { humanSize } from '../../../lib/units.ts';
import { concatBytes } from '../../../lib/bytes.ts';
import { byteSource, readAll } from '../../../lib/streams.ts';
import { endTar, FLAG_OF_TYPE, normaliseTarPath, readTar, writeTarEntry } from '../../../lib/tar.ts';
import { selectContext } from '../../../lib/dockerignore/context.ts';
import { readIgnoreFile } from '../../../lib/dockerignore/ignorefile.ts';
import type { ImageBuildOptions } from '../../../engine/api/types.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

/**
 * The context as docker/cli sends it: relative names, no entry for the root itself, and what
 * .dockerignore excludes left out (the Dockerfile and .dockerignore always go: the daemon needs them).
 */
function contextTar(tar: Uint8Array | null, extra: { name: string; data: Uint8Array } | null, dockerfile?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const entries = tar ? [...readTar(tar)] : [];
  const ignoreFile = entries.find((e) => normaliseTarPath(e.path) === '.dockerignore' && e.type === 'file');
  let keep: (path: string) => boolean = () => true;
  if (ignoreFile) {
    let patterns: string[];
    try {
      patterns = readIgnoreFile(new TextDecoder().decode(ignoreFile.data));
      const selection = selectContext(entries.filter((e) => e.type !== 'directory').map((e) => normaliseTarPath(e.path)).filter(Boolean), patterns);
      keep = (path) => path === '.dockerignore' || path === dockerfile || selection.has(path);
    } catch (e) {
      throw new CliError(`unable to prepare context: ${(e as Error).message}`, 1);
    }
  }
  for (const e of entries) {
    const path = normaliseTarPath(e.path);
    if (!path || !keep(path)) continue;
    writeTarEntry(parts, { name: e.type === 'directory' ? `${path}/` : path, flag: FLAG_OF_TYPE[e.type], mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime, linkname: e.linkname, major: e.devmajor, minor: e.devminor, data: e.data });
  }
  if (extra) writeTarEntry(parts, { name: extra.name, flag: '0', mode: 0o600, uid: 0, gid: 0, mtime: 0, data: extra.data });
  endTar(parts);
  return concatBytes(parts);
}

const isArchive = (b: Uint8Array) =>
  (b[0] === 0x1f && b[1] === 0x8b) || (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) || (b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a) || (b.length >= 512 && new TextDecoder().decode(b.subarray(257, 262)) === 'ustar');

function absolute(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function keyValues(list: readonly string[], env: ReadonlyMap<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  // docker/cli: `--build-arg NAME` takes NAME's value from the client's environment, if set.
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq >= 0) out[item.slice(0, eq)] = item.slice(eq + 1);
    else out[item] = env.get(item) ?? null;
  }
  return out;
}

const BUILDKIT_TRACE = 'moby.buildkit.trace';

/**
 * BuildKit's display when DOCKER_BUILDKIT=1 or --progress asks for it (auto: tty on a terminal,
 * else plain); null for the classic builder's output, the default the seeds show.
 */
function progressMode(ctx: CommandContext): 'plain' | 'tty' | 'quiet' | null {
  const env = ctx.io.env.get('DOCKER_BUILDKIT');
  const given = ctx.flags.changed('progress') ? ctx.flags.string('progress') : '';
  if (env !== undefined && /^(0|false)$/i.test(env)) return null;
  if (!given && !(env !== undefined && /^(1|true)$/i.test(env))) return null;
  const mode = given || 'auto';
  if (mode === 'auto') return ctx.io.terminal?.stderr ? 'tty' : 'plain';
  if (mode === 'rawjson') return 'plain';
  if (mode === 'plain' || mode === 'tty' || mode === 'quiet') return mode;
  throw new CliError(`failed to create progress writer: invalid progress mode ${mode}`, 1);
}

export async function build(ctx: CommandContext): Promise<number> {
  const { io, flags, api } = ctx;
  const given = ctx.args[0]!;
  const quiet = flags.bool('quiet');
  const file = flags.string('file');
  if (/^(https?:\/\/|git@|git:\/\/|github\.com\/)/.test(given)) {
    throw new CliError('unable to prepare context: remote build contexts (URLs and git repositories) cannot be fetched: Slipway\'s guest has no network yet', 1);
  }
  if (given === '-' && file === '-') throw new CliError('invalid argument: can\'t use stdin for both build context and dockerfile', 1);

  let context: Uint8Array;
  let dockerfile: string | undefined;
  if (given === '-') {
    if (!io.stdin || !io.openStdin) throw new CliError('unable to prepare context: this client cannot read stdin', 1);
    io.openStdin({ raw: false });
    const input = await readAll(io.stdin);
    // An archive is the whole context; anything else is a Dockerfile, with an empty context.
    context = isArchive(input) ? input : contextTar(null, { name: 'Dockerfile', data: input });
    if (file && isArchive(input)) dockerfile = file;
  } else {
    if (!io.files) throw new CliError('unable to prepare context: this client has no files to read', 1);
    const dir = absolute(io.cwd, given);
    const tar = await io.files.archiveDirectory(dir).catch((e: Error) => {
      throw new CliError(`unable to prepare context: ${e.message}`, 1);
    });
    if (!tar) throw new CliError(`unable to prepare context: path ${JSON.stringify(given)} not found`, 1);
    let extra: { name: string; data: Uint8Array } | null = null;
    const names = new Set([...readTar(tar)].map((e) => normaliseTarPath(e.path)));
    if (file === '-') {
      if (!io.stdin || !io.openStdin) throw new CliError('unable to prepare context: this client cannot read stdin', 1);
      io.openStdin({ raw: false });
      dockerfile = `.dockerfile.${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
      extra = { name: dockerfile, data: await readAll(io.stdin) };
    } else {
      const path = file ? absolute(io.cwd, file) : `${dir}/Dockerfile`;
      const inside = path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : null;
      if (inside !== null && names.has(inside)) dockerfile = inside;
      else if (inside === 'Dockerfile' && !file && names.has('dockerfile')) dockerfile = 'dockerfile';
      else {
        const text = inside === null ? await io.files.readFile(path) : null;
        if (text === null) throw new CliError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${path}: no such file or directory`, 1);
        // A Dockerfile outside the context travels with it under a name of its own.
        dockerfile = `.dockerfile.${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
        extra = { name: dockerfile, data: new TextEncoder().encode(text) };
      }
    }
    context = contextTar(tar, extra, dockerfile ?? 'Dockerfile');
  }
  const progress = progressMode(ctx);
  if (!quiet && !progress) await io.stdout.write(`Sending build context to Docker daemon  ${humanSize(context.length)}\n`);

  const options: ImageBuildOptions = {
    tags: flags.list('tag'),
    ...(dockerfile ? { dockerfile } : {}),
    buildArgs: keyValues(flags.list('build-arg'), io.env),
    labels: Object.fromEntries(flags.list('label').map((l) => [l.split('=')[0]!, l.includes('=') ? l.slice(l.indexOf('=') + 1) : ''])),
    noCache: flags.bool('no-cache'),
    pull: flags.bool('pull'),
    quiet: quiet || progress === 'quiet',
    rm: flags.changed('rm') ? flags.bool('rm') : true,
    forceRm: flags.bool('force-rm'),
    ...(flags.string('target') ? { target: flags.string('target') } : {}),
    ...(progress ? { version: '2' as const } : {}),
  };
  const body = byteSource(context);
  const renderer = new ProgressRenderer({ tty: io.terminal?.stdout ?? false, width: io.terminal?.cols ?? 80 });
  const display = !quiet && (progress === 'plain' || progress === 'tty') ? new BuildkitDisplay({ write: (t) => io.stderr.write(t), mode: progress, width: io.terminal?.cols ?? 80, now: ctx.now }) : null;
  await display?.begin();
  let id = '';
  try {
    // Ctrl-C kills the client: the daemon cancels the build (and its step container) then.
    const gone = new AbortController();
    void io.disconnected?.then(() => gone.abort());
    for await (const message of api.imageBuild(body, options, gone.signal)) {
      if (message.error !== undefined) {
        if (!display) throw new CliError(message.error, 1);
        // BuildKit's display ends with the error itself.
        await display.end(message.error);
        return 1;
      }
      if (message.id === BUILDKIT_TRACE) await display?.update(message.aux as BuildTrace);
      else if (message.aux?.ID) id = message.aux.ID;
      if (message.stream) await io.stdout.write(message.stream);
      else if (message.status !== undefined && !display) {
        const text = renderer.render({ status: message.status, ...(message.id !== undefined ? { id: message.id } : {}), ...(message.progressDetail ? { progressDetail: message.progressDetail } : {}) });
        if (text) await io.stdout.write(text);
      }
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (display) {
      await display.end(daemonMessage(e).replace(/^Error response from daemon: /, ''));
      return 1;
    }
    throw new CliError(daemonMessage(e), 1);
  }
  await display?.end();
  if (quiet) await io.stdout.write(`${id}\n`);
  const iidfile = flags.string('iidfile');
  if (iidfile && io.files) await io.files.writeFile(absolute(io.cwd, iidfile), (sink) => sink.write(id));
  return 0;
}
