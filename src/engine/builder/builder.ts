// The classic builder (what `DOCKER_BUILDKIT=0 docker build` runs and the seeds show): every step
// of the Dockerfile commits an image on top of the last one. Metadata steps change the config and
// add an empty-layer history entry; RUN runs in a temporary container on the real runtime and its
// writable layer becomes the step's layer; COPY and ADD make their layer from the context here.
// A step whose parent and instruction (and, for COPY/ADD, sources) match an earlier build's is
// taken from the cache. Output is moby's JSON message stream: {"stream": "Step 1/3 : …\n"}.
import { concatBytes } from '../../lib/bytes.ts';
import { sha256Hex } from '../../lib/digest.ts';
import { familiarString, parseDockerRef, referenceString } from '../../lib/reference.ts';
import type { MetaStore } from '../../protocol/store.ts';
import type { BuildMessage, ImageBuildOptions } from '../api/types.ts';
import type { ImageRootfs } from '../container/launch.ts';
import type { ImageService } from '../image/images.ts';
import type { ContainerConfig, HistoryEntry } from '../image/oci.ts';
import type { ImageRecord } from '../image/store/records.ts';
import { BuildContext, type Decompress } from './context.ts';
import { commitStep, type BuildBase } from './commit.ts';
import { ShellLex } from './dockerfile/lexer.ts';
import { chompHeredocContent } from './dockerfile/heredoc.ts';
import { BuildError, parseDockerfile, type Instruction, type Stage } from './instructions.ts';
import { copyLayer, gunzipArchives, imageSource, type CopySource } from './layers.ts';
import { applyMetadata } from './metadata.ts';
import { buildkitProgress, classicProgress, type BuildProgress } from './progress.ts';

export { BuildError };

export type { BuildMessage };

/** POST /build's options (the API's type, so the route and the service cannot drift). */
export type BuildOptions = ImageBuildOptions;

/** A RUN step's container, run to its end by the engine (a port: tests record it). */
export interface StepContainer {
  id: string;
  /** Settles with the exit code once the command ended. */
  exited: Promise<number>;
  /** Its writable layer as an OCI layer tar (after it exited). */
  layer(): Promise<Uint8Array>;
  remove(): Promise<void>;
}

export interface BuilderDeps {
  images: ImageService;
  meta: MetaStore;
  /** The image's merged files (for COPY's destination checks and --chown names). */
  rootfs(imageId: string): Promise<ImageRootfs>;
  /** Pulls an image FROM names, streaming pull progress. */
  pull(ref: string, progress: (message: BuildMessage) => void): Promise<void>;
  /** Creates and starts a RUN step's container; output goes to `output` as it comes. */
  run(image: ImageRecord, config: StepRunConfig, output: (text: string) => void): Promise<StepContainer>;
  now(): number;
  random(): number;
  /** bzip2 and xz contexts (the guest decompresses them). */
  decompress?: Decompress;
  /** A build reached a step, or ended (`step` 0): the page's progress bar hears it as an event. */
  onStep?(build: { id: string; tags: readonly string[]; step: number; total: number; instruction: string; ended?: 'ok' | 'failed' }): void;
}

export interface StepRunConfig {
  Cmd: string[];
  Env: string[];
  User: string;
  WorkingDir: string;
}

const CACHE_PREFIX = 'buildcache/';
/** Instructions BuildKit runs as filesystem steps (the rest only change the config). */
const FILESYSTEM_STEPS = new Set(['run', 'copy', 'add', 'workdir']);
const DEFAULT_SHELL = ['/bin/sh', '-c'];
/** Build args every Dockerfile may use without declaring them (not shown in history). */
const PREDEFINED_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

interface StageState {
  stage: Stage;
  image: BuildBase;
  config: ContainerConfig;
  /** ARGs declared in this stage, with their values (undefined: declared without one). */
  args: Map<string, string | undefined>;
  shell: string[];
  cmdSet: boolean;
}

export class Builder {
  readonly #deps: BuilderDeps;

  constructor(deps: BuilderDeps) {
    this.#deps = deps;
  }

  /** Runs a build, sending its messages to `emit`; resolves with the image ID, or throws BuildError. */
  async build(contextBytes: Uint8Array, options: BuildOptions, emit: (message: BuildMessage) => void, signal?: AbortSignal): Promise<string> {
    return new Build(this.#deps, options, emit, signal).run(contextBytes);
  }

  /**
   * The build cache as `docker system df -v` lists it: one entry per cached step, sized by the
   * step's own layer. An entry is shared when a tagged image is built on its image.
   */
  async cacheUsage(): Promise<BuildCacheEntry[]> {
    const images = await this.#deps.images.images();
    const byId = new Map(images.map((i) => [i.id, i]));
    const refs = new Set((await this.#deps.images.references()).values());
    const shared = new Set<string>();
    for (const id of refs) for (let image = byId.get(id); image && !shared.has(image.id); image = image.parent ? byId.get(image.parent) : undefined) shared.add(image.id);
    const out: BuildCacheEntry[] = [];
    for (const [key, record] of await this.#deps.meta.list<CacheRecord>(CACHE_PREFIX)) {
      const image = byId.get(record.id as never);
      const last = image?.config.history?.at(-1);
      const ownLayer = image && last && !last.empty_layer ? image.layers.at(-1) : undefined;
      out.push({
        ID: key.slice(CACHE_PREFIX.length, CACHE_PREFIX.length + 25),
        key,
        imageId: record.id,
        Parents: image?.parent ? [image.parent] : null,
        Type: 'regular',
        Description: last?.created_by ?? '',
        InUse: false,
        Shared: shared.has(record.id),
        Size: ownLayer?.diffSize ?? 0,
        CreatedAt: image?.config.created ?? new Date(0).toISOString(),
        LastUsedAt: image?.config.created ?? null,
        UsageCount: 1,
      });
    }
    return out;
  }

  /**
   * `docker builder prune`: forgets cache entries (with `all`, every one; else those no tagged
   * image is built on) and removes their images when nothing else holds them.
   */
  async prune(options: { all?: boolean } = {}): Promise<{ deleted: string[]; reclaimed: number }> {
    const entries = (await this.cacheUsage()).filter((e) => options.all || !e.Shared);
    if (entries.length) await this.#deps.meta.commit({ delete: entries.map((e) => e.key) });
    let reclaimed = 0;
    const sizes = new Map(entries.map((e) => [e.imageId, e.Size]));
    const all = await this.#deps.images.images();
    const refs = new Set((await this.#deps.images.references()).values());
    // Leaves first: an image with a child goes when its child does (rmi's cascade).
    for (const e of entries) {
      if (refs.has(e.imageId as never) || all.some((i) => i.parent === e.imageId)) continue;
      try {
        for (const r of await this.#deps.images.remove(e.imageId)) if ('Deleted' in r) reclaimed += sizes.get(r.Deleted) ?? 0;
      } catch {
        // A container uses it, or it is gone already: it stays, as Docker keeps what is in use.
      }
    }
    return { deleted: entries.map((e) => e.ID), reclaimed };
  }
}

interface CacheRecord {
  id: string;
}

/** moby's BuildCache record (API), plus the store key and image behind it. */
export interface BuildCacheEntry {
  ID: string;
  key: string;
  imageId: string;
  Parents: string[] | null;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

class Build {
  readonly #deps: BuilderDeps;
  readonly #options: BuildOptions;
  readonly #emit: (message: BuildMessage) => void;
  readonly #usedArgs = new Set<string>();
  readonly #stages: StageState[] = [];
  /** ARGs before the first FROM: a stage's `ARG NAME` without a value takes their value. */
  readonly #metaArgs = new Map<string, string | undefined>();
  #context!: BuildContext;
  #step = 0;
  #total = 0;

  readonly #progress: BuildProgress;
  readonly #buildkit: boolean;

  readonly #signal: AbortSignal | undefined;

  constructor(deps: BuilderDeps, options: BuildOptions, emit: (message: BuildMessage) => void, signal?: AbortSignal) {
    this.#signal = signal;
    this.#deps = deps;
    this.#options = options;
    this.#emit = emit;
    this.#buildkit = options.version === '2';
    const progress = this.#buildkit ? buildkitProgress(emit, deps.now, options.quiet ?? false) : classicProgress(emit, options.quiet ?? false);
    const id = randomId(deps.random);
    const tags = (options.tags ?? []).map((t) => {
      try {
        return familiarString(parseDockerRef(t.includes(':') || t.includes('@') ? t : `${t}:latest`));
      } catch {
        return t; // refused later, when the build tags its image
      }
    });
    const report = (step: number, total: number, instruction: string, ended?: 'ok' | 'failed') => deps.onStep?.({ id, tags, step, total, instruction, ...(ended ? { ended } : {}) });
    this.#progress = {
      ...progress,
      instruction: (s) => (report(s.step, s.total, s.original), progress.instruction(s)),
      failed: (message) => (report(this.#step, this.#total, '', 'failed'), progress.failed(message)),
      finish: (imageId, tagged) => (report(this.#total, this.#total, '', 'ok'), progress.finish(imageId, tagged)),
    };
  }

  /** BuildKit's name for a stage's filesystem steps: `[2/3] RUN make`, `[builder 1/2] FROM …`. */
  #vertexNames = new Map<Instruction, string>();

  async run(contextBytes: Uint8Array): Promise<string> {
    const dockerfilePath = this.#options.dockerfile || 'Dockerfile';
    this.#context = await BuildContext.fromArchive(contextBytes, this.#deps.decompress);
    const text = this.#context.read(dockerfilePath) ?? (dockerfilePath === 'Dockerfile' ? this.#context.read('dockerfile') : null);
    if (text === null) throw new BuildError(`Cannot locate specified Dockerfile: ${dockerfilePath}`);
    this.#context.ignore(dockerfilePath);
    const parsed = parseDockerfile(new TextDecoder().decode(text));
    let stages = parsed.stages;
    if (this.#options.target) {
      const at = stages.findIndex((s) => s.name === this.#options.target!.toLowerCase());
      if (at < 0) throw new BuildError(`failed to reach build target ${this.#options.target} in Dockerfile`);
      stages = stages.slice(0, at + 1);
    }
    const last = stages[stages.length - 1]!;
    const labels = Object.entries(this.#options.labels ?? {});
    if (labels.length) {
      last.commands.push({ name: 'label', original: `LABEL ${labels.map(([k, v]) => `${JSON.stringify(k)}=${JSON.stringify(v)}`).join(' ')}`, args: [], json: false, flags: new Map(), heredocs: [], pairs: labels, line: 0 });
    }
    this.#total = stages.reduce((n, s) => n + 1 + s.commands.length, 0);
    const lex = new ShellLex(parsed.escapeToken);
    // Meta ARGs (before the first FROM): FROM lines see them, with --build-arg overriding.
    const metaArgs = this.#metaArgs;
    for (const arg of parsed.metaArgs) for (const [name, value] of this.#argDecls(arg, lex, metaArgs)) metaArgs.set(name, value);
    this.#nameVertexes(stages);
    const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
    const bases = stages.map((s) => s.base).filter((b) => b.toLowerCase() !== 'scratch' && !stageNames.has(b.toLowerCase()) && !b.includes('$'));
    this.#progress.begin({
      dockerfile: dockerfilePath,
      dockerfileSize: text.length,
      ignoreSize: this.#context.read('.dockerignore')?.length ?? 0,
      contextSize: contextBytes.length,
      bases: [...new Set(bases.map(canonicalName))],
    });

    let state: StageState | null = null;
    try {
      for (const stage of stages) {
        state = await this.#from(stage, lex, metaArgs);
        this.#stages.push(state);
        for (const instruction of stage.commands) {
          this.#checkCancelled();
          this.#progress.instruction({ step: ++this.#step, total: this.#total, original: instruction.original, vertex: this.#vertexNames.get(instruction) ?? null });
          await this.#dispatch(state, instruction, lex);
          this.#progress.committed(state.image?.id ?? '');
        }
      }
    } catch (e) {
      this.#progress.failed((e as Error).message);
      throw e;
    }
    const final = state!.image;
    if (!final) throw new BuildError('No image was generated. Is your Dockerfile empty?');
    const unused = Object.keys(this.#options.buildArgs ?? {}).filter((a) => !this.#usedArgs.has(a) && !PREDEFINED_ARGS.has(a));
    if (unused.length) this.#progress.note(`[Warning] One or more build-args [${unused.sort().join(' ')}] were not consumed\n`);
    this.#emit({ aux: { ID: final.id } });
    const tagged: string[] = [];
    for (const tag of this.#options.tags ?? []) {
      const ref = parseDockerRef(tag);
      const named = referenceString(ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref);
      await this.#deps.images.tag(final.id, named);
      tagged.push(this.#buildkit ? named : familiarString(parseDockerRef(named)));
    }
    this.#progress.finish(final.id, tagged);
    return final.id;
  }

  #checkCancelled(): void {
    if (this.#signal?.aborted) throw new BuildError('context canceled');
  }

  /** BuildKit's vertex names: per stage, FROM is 1/n and each RUN, COPY, ADD and WORKDIR counts. */
  #nameVertexes(stages: readonly Stage[]): void {
    stages.forEach((stage, index) => {
      const steps = [stage.from, ...stage.commands.filter((c) => FILESYSTEM_STEPS.has(c.name))];
      const prefix = stages.length > 1 ? `${stage.name || `stage-${index}`} ` : '';
      // FROM scratch and FROM an earlier stage have nothing to fetch: no vertex, but they count.
      const fromImage = stage.base.toLowerCase() !== 'scratch' && !stages.slice(0, index).some((s) => s.name === stage.base.toLowerCase());
      steps.forEach((ins, i) => {
        if (ins === stage.from && !fromImage) return;
        const text = ins === stage.from ? `FROM ${canonicalName(stage.base)}` : ins.original;
        this.#vertexNames.set(ins, `[${prefix}${i + 1}/${steps.length}] ${text}`);
      });
    });
  }

  async #from(stage: Stage, lex: ShellLex, metaArgs: Map<string, string | undefined>): Promise<StageState> {
    this.#progress.instruction({ step: ++this.#step, total: this.#total, original: stage.from.original, vertex: this.#vertexNames.get(stage.from) ?? null });
    const env = { get: (name: string) => (metaArgs.has(name) ? (this.#usedArgs.add(name), metaArgs.get(name)) : undefined) };
    const base = lex.processWord(stage.base, env);
    let image: BuildBase = null;
    const earlier = this.#stages.find((s) => s.stage.name && s.stage.name === base.toLowerCase());
    if (earlier) image = earlier.image;
    else if (base.toLowerCase() !== 'scratch') {
      if (this.#options.pull || !(await this.#deps.images.resolve(base).catch(() => undefined))) {
        await this.#deps.pull(base, (m) => {
          this.#progress.pull(m);
        });
      }
      image = (await this.#deps.images.resolve(base).catch(() => undefined)) ?? null;
      if (!image) throw new BuildError(`pull access denied for ${base}, repository does not exist or may require 'docker login'`);
    }
    const config: ContainerConfig = structuredClone(image?.config.config ?? {});
    const state: StageState = { stage, image, config, args: new Map(), shell: config.Shell?.length ? [...config.Shell] : DEFAULT_SHELL, cmdSet: false };
    this.#progress.committed(image?.id ?? '');
    // The base image's ONBUILD triggers run first, as steps of this stage.
    const triggers = config.OnBuild ?? [];
    if (triggers.length) {
      this.#progress.note(`# Executing ${triggers.length} build trigger${triggers.length === 1 ? '' : 's'}\n`);
      delete state.config.OnBuild;
      for (const trigger of triggers) {
        const parsed = parseDockerfile(`FROM scratch\n${trigger}\n`).stages[0]!.commands[0]!;
        await this.#dispatch(state, parsed, lex);
      }
    }
    return state;
  }

  /** The variables words expand against: ENV first, then ARGs (ENV wins, as in Docker). */
  #words(state: StageState) {
    return {
      get: (name: string): string | undefined => {
        const kv = (state.config.Env ?? []).find((e) => e.split('=')[0] === name);
        if (kv !== undefined) return kv.slice(name.length + 1);
        if (state.args.has(name)) {
          this.#usedArgs.add(name);
          return state.args.get(name);
        }
        return undefined;
      },
    };
  }

  /** An ARG instruction's declarations, with --build-arg values over defaults. */
  #argDecls(instruction: Instruction, lex: ShellLex, scope: { get(n: string): string | undefined }): [string, string | undefined][] {
    const out: [string, string | undefined][] = [];
    for (const word of instruction.args) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      const given = this.#options.buildArgs ?? {};
      let value: string | undefined = eq < 0 ? this.#metaArgs.get(name) : lex.processWord(word.slice(eq + 1), scope);
      if (Object.hasOwn(given, name) && given[name] !== null) {
        value = given[name]!;
        this.#usedArgs.add(name);
      }
      out.push([name, value]);
    }
    return out;
  }

  async #dispatch(state: StageState, ins: Instruction, lex: ShellLex): Promise<void> {
    const words = this.#words(state);
    const expand = (word: string) => lex.processWord(word, words);
    switch (ins.name) {
      case 'arg': {
        for (const [name, value] of this.#argDecls(ins, lex, words)) state.args.set(name, value);
        return this.#metadata(state, structuredClone(state.config), `${state.shell.join(' ')} #(nop)  ARG ${ins.args.join(' ')}`);
      }
      case 'run':
        return this.#runStep(state, ins);
      case 'copy':
      case 'add':
        return this.#copyStep(state, ins, expand);
    }
    const next = { config: structuredClone(state.config), shell: state.shell, cmdSet: state.cmdSet };
    const result = applyMetadata(next, ins, expand);
    state.shell = next.shell;
    state.cmdSet = next.cmdSet;
    return this.#metadata(state, next.config, result.createdBy, result.author);
  }

  async #cached(state: StageState, key: string): Promise<boolean> {
    if (this.#options.noCache) return false;
    const hit = await this.#deps.meta.get<{ id: string }>(CACHE_PREFIX + (await cacheKey(state.image?.id ?? 'scratch', key)));
    const image = hit && (await this.#deps.images.image(hit.id as never));
    if (!image) return false;
    this.#progress.cached();
    state.image = image;
    state.config = structuredClone(image.config.config ?? {});
    return true;
  }

  async #remember(parent: BuildBase, key: string, image: ImageRecord): Promise<void> {
    await this.#deps.meta.commit({ put: [[CACHE_PREFIX + (await cacheKey(parent?.id ?? 'scratch', key)), { id: image.id }]] });
  }

  async #commit(state: StageState, key: string, config: ContainerConfig, history: HistoryEntry, layer: Uint8Array | null, author?: string): Promise<void> {
    const parent = state.image;
    const image = await commitStep(this.#deps.images, parent, { config, history, layer, ...(author !== undefined ? { author } : {}) }, new Date(this.#deps.now()));
    await this.#remember(parent, key, image);
    state.image = image;
    state.config = structuredClone(config);
  }

  /** A step that changes only the config: an image with an empty-layer history entry. */
  async #metadata(state: StageState, config: ContainerConfig, createdBy: string, author?: string): Promise<void> {
    if (await this.#cached(state, createdBy)) return;
    // The classic builder commits through a container it never starts; its ID is all one sees.
    const id = randomId(this.#deps.random);
    this.#progress.container(id);
    if (this.#options.rm !== false) this.#progress.removed(id);
    await this.#commit(state, createdBy, config, { created_by: createdBy }, null, author);
  }

  async #runStep(state: StageState, ins: Instruction): Promise<void> {
    let command: string[];
    if (ins.json) command = ins.args;
    else {
      let script = ins.args[0] ?? '';
      for (const h of ins.heredocs) script += `\n${h.chomp ? chompHeredocContent(h.content) : h.content}${h.name}`;
      command = [...state.shell, script];
    }
    // Build args in scope reach the command's environment (ENV wins) and its cache key.
    const env = new Map((state.config.Env ?? []).map((kv) => [kv.split('=')[0]!, kv] as const));
    const args: string[] = [];
    for (const [name, value] of state.args) {
      if (value === undefined || env.has(name)) continue;
      this.#usedArgs.add(name);
      args.push(`${name}=${value}`);
    }
    const createdBy = `${args.length ? `|${args.length} ${args.join(' ')} ` : ''}${command.join(' ')}`;
    if (await this.#cached(state, createdBy)) return;
    if (!state.image) throw new BuildError('Please provide a source image with `from` prior to run');
    // Output that comes before the container's ID is known waits for the "Running in" line.
    let early: string[] | null = [];
    const container = await this.#deps.run(
      state.image,
      { Cmd: command, Env: [...env.values(), ...args], User: state.config.User ?? '', WorkingDir: state.config.WorkingDir ?? '' },
      (text) => (early ? early.push(text) : this.#progress.output(text)),
    );
    this.#progress.container(container.id);
    for (const text of early) this.#progress.output(text);
    early = null;
    // A client that goes away cancels the build (moby's "context canceled"), its step container with it.
    let cancelled: (() => void) | undefined;
    const code = await Promise.race([container.exited, new Promise<null>((resolve) => this.#signal?.addEventListener('abort', (cancelled = () => resolve(null)), { once: true }))]);
    if (cancelled) this.#signal?.removeEventListener('abort', cancelled);
    if (code === null || this.#signal?.aborted) {
      await container.remove().catch(() => undefined);
      throw new BuildError('context canceled');
    }
    if (code !== 0) {
      if (this.#options.forceRm) await container.remove();
      // BuildKit words it its own way (and quotes the command as Go's %q does).
      const message = this.#buildkit
        ? `process ${JSON.stringify(command.join(' '))} did not complete successfully: exit code: ${code}`
        : `The command '${command.join(' ')}' returned a non-zero code: ${code}`;
      throw new BuildError(message, code);
    }
    const layer = await container.layer();
    if (this.#options.rm !== false) {
      this.#progress.removed(container.id);
      await container.remove();
    }
    await this.#commit(state, createdBy, structuredClone(state.config), { created_by: createdBy }, layer);
  }

  async #copyStep(state: StageState, ins: Instruction, expand: (w: string) => string): Promise<void> {
    const what = ins.name === 'add' ? 'ADD' : 'COPY';
    // `COPY <<EOF /dest`: each heredoc is a file of its own name (its content expanded unless the
    // delimiter was quoted), and the sources are those files.
    const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
    const words = ins.args.map((arg, i) => (i < ins.args.length - 1 && /^<<-?/.test(arg) && heredocs.size ? heredocName(arg) : expand(arg)));
    if (words.length < 2) throw new BuildError(`${what} requires at least two arguments, but only one was provided. Destination could not be determined.`);
    const sources = words.slice(0, -1);
    const dest = words[words.length - 1]!;
    if (what === 'ADD' && sources.some((s) => /^https?:\/\//.test(s) || /^git@/.test(s))) {
      throw new BuildError(`${what} failed: fetching ${sources.find((s) => /^https?:|^git@/.test(s))} needs the network, which Slipway's guest does not have yet`);
    }
    let from: CopySource = this.#context;
    const fromFlag = ins.flags.get('from');
    let fromId = 'context';
    if (heredocs.size) {
      const files: Record<string, Uint8Array> = {};
      for (const h of heredocs.values()) {
        const text = h.chomp ? chompHeredocContent(h.content) : h.content;
        files[h.name] = new TextEncoder().encode(h.expand ? text.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => expand(m)) : text);
      }
      from = BuildContext.ofFiles(files);
      fromId = 'heredoc';
    } else if (fromFlag !== undefined) {
      const name = expand(fromFlag);
      const stage = /^\d+$/.test(name) ? this.#stages[Number(name)] : this.#stages.find((s) => s.stage.name === name.toLowerCase());
      let image = stage?.image ?? null;
      if (!stage) {
        image = (await this.#deps.images.resolve(name).catch(() => undefined)) ?? null;
        if (!image) {
          await this.#deps.pull(name, () => {});
          image = (await this.#deps.images.resolve(name).catch(() => undefined)) ?? null;
        }
        if (!image) throw new BuildError(`invalid from flag value ${name}: pull access denied for ${name}, repository does not exist or may require 'docker login'`);
      }
      fromId = image?.id ?? 'scratch';
      from = imageSource(image ? await this.#deps.images.layers(image.id) : []);
    }
    if (what === 'ADD') from = await gunzipArchives(from, sources);
    const chown = ins.flags.has('chown') ? expand(ins.flags.get('chown')!) : undefined;
    const chmod = ins.flags.has('chmod') ? expand(ins.flags.get('chmod')!) : undefined;
    // Docker's `file:<hash>`: the sources' content and metadata. Checked against the cache before
    // anything is copied (the destination image's files are only read on a miss).
    const hash = await sourcesDigest(from, sources);
    const kind = sources.length === 1 && from.get(from.glob(sources[0]!)[0] ?? '')?.type === 'dir' ? 'dir' : 'file';
    const createdBy = `${state.shell.join(' ')} #(nop) ${what} ${kind}:${hash} in ${dest} `;
    const key = `${createdBy} workdir ${state.config.WorkingDir ?? ''} chown ${chown ?? ''} chmod ${chmod ?? ''} from ${fromId}`;
    // The classic builder copies into the image's files directly: no container to show.
    if (await this.#cached(state, key)) return;
    const rootfs = state.image ? await this.#deps.rootfs(state.image.id) : null;
    const layer = copyLayer({ instruction: what, sources, dest, workdir: state.config.WorkingDir || '/', from, rootfs, ...(chown !== undefined ? { chown } : {}), ...(chmod !== undefined ? { chmod } : {}) });
    await this.#commit(state, key, structuredClone(state.config), { created_by: createdBy }, layer);
  }
}

/** A digest of what COPY sources name: every entry's path, type, mode, owner, link and bytes. */
async function sourcesDigest(from: CopySource, sources: string[]): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const pattern of sources) {
    for (const match of from.glob(pattern)) {
      const top = from.get(match);
      if (!top) continue;
      for (const e of top.type === 'dir' ? [top, ...from.under(match)] : [top]) {
        parts.push(encoder.encode(`${e.path}\0${e.type}\0${e.mode}\0${e.uid}:${e.gid}\0${e.linkname}\0${e.data.length}\0`), e.data);
      }
    }
  }
  return sha256Hex(concatBytes(parts));
}

async function cacheKey(parentId: string, step: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(`${parentId}\n${step}`));
}

/** `<<-"EOF"` → `EOF`: the heredoc a COPY source names. */
function heredocName(word: string): string {
  return word.replace(/^<<-?/, '').replace(/^(["'])(.*)\1$/, '$2');
}

/** `busybox` → `docker.io/library/busybox:latest`, as BuildKit names images; left as is when it does not parse. */
function canonicalName(name: string): string {
  try {
    const ref = parseDockerRef(name);
    return referenceString(ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref);
  } catch {
    return name;
  }
}

function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function randomId(random: () => number): string {
  let s = '';
  while (s.length < 64) s += Math.floor(random() * 16).toString(16);
  return s;
}
