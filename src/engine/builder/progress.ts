// What a build reports as it goes, in the two shapes clients know. The classic builder's text
// stream ({"stream": "Step 1/3 : FROM busybox\n"}, " ---> Running in …") is what the seeds show.
// BuildKit's progress (asked for with POST /build?version=2) is a trace of vertexes, their
// statuses and logs, shaped like BuildKit's StatusResponse but sent as JSON in the aux field of
// {"id": "moby.buildkit.trace"} messages (moby base64-encodes protobuf there; Slipway's own CLI is
// the only client that renders it). Both are fed by the same events from the build.
import type { BuildMessage, BuildTrace, TraceVertex } from '../api/types.ts';

/** One step of the build as BuildKit names it (`[2/3] RUN make`), or null for a config-only step. */
export interface StepInfo {
  step: number;
  total: number;
  original: string;
  vertex: string | null;
}

export interface BuildProgress {
  /** The context arrived: sizes of the Dockerfile, .dockerignore and context; the images FROM names. */
  begin(info: { dockerfile: string; dockerfileSize: number; ignoreSize: number; contextSize: number; bases: string[] }): void;
  instruction(step: StepInfo): void;
  cached(): void;
  /** A step's container (classic: " ---> Running in …"). */
  container(id: string): void;
  /** What a RUN step's command printed. */
  output(text: string): void;
  removed(id: string): void;
  /** The step's image (classic: " ---> 1a2b3c4d5e6f"); ends the step. */
  committed(imageId: string): void;
  /** A pull's own progress messages (classic only). */
  pull(message: BuildMessage): void;
  /** Lines only the classic output has (`# Executing 1 build trigger`, warnings). */
  note(text: string): void;
  /** The step failed; `message` is the error as this output shape words it. */
  failed(message: string): void;
  finish(imageId: string, tags: readonly string[]): void;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export function classicProgress(emit: (m: BuildMessage) => void, quiet: boolean): BuildProgress {
  const say = (text: string) => {
    if (!quiet) emit({ stream: text });
  };
  return {
    begin: () => undefined,
    instruction: (s) => say(`Step ${s.step}/${s.total} : ${s.original}\n`),
    cached: () => say(' ---> Using cache\n'),
    container: (id) => say(` ---> Running in ${short(id)}\n`),
    output: say,
    removed: (id) => say(`Removing intermediate container ${short(id)}\n`),
    committed: (id) => say(` ---> ${short(id)}\n`),
    pull: (m) => {
      if (!quiet) emit(m);
    },
    note: say,
    failed: () => undefined,
    finish(id, tags) {
      say(`Successfully built ${short(id)}\n`);
      for (const tag of tags) say(`Successfully tagged ${tag}\n`);
    },
  };
}

export const TRACE_ID = 'moby.buildkit.trace';

export function buildkitProgress(emit: (m: BuildMessage) => void, now: () => number, quiet: boolean): BuildProgress {
  let count = 0;
  let open: TraceVertex | null = null;
  const send = (trace: BuildTrace) => {
    if (!quiet) emit({ id: TRACE_ID, aux: trace as never });
  };
  const start = (name: string): TraceVertex => {
    const v = { digest: `sha256:${(++count).toString(16).padStart(64, '0')}`, name, started: now() };
    send({ vertexes: [{ ...v }] });
    return v;
  };
  const done = (v: TraceVertex, extra: Partial<TraceVertex> = {}) => {
    Object.assign(v, { completed: now(), ...extra });
    send({ vertexes: [{ ...v }] });
  };
  /** A vertex whose work is a few named statuses, all done at once. */
  const quick = (name: string, statuses: string[]) => {
    const v = start(name);
    statuses.forEach((s, i) => send({ statuses: [{ id: `${v.digest}-${i}`, vertex: v.digest, name: s, completed: now() }] }));
    done(v);
  };
  return {
    begin(info) {
      quick(`[internal] load build definition from ${info.dockerfile}`, [`transferring dockerfile: ${info.dockerfileSize}B`]);
      for (const base of info.bases) quick(`[internal] load metadata for ${base}`, []);
      quick('[internal] load .dockerignore', [`transferring context: ${info.ignoreSize}B`]);
      quick('[internal] load build context', [`transferring context: ${info.contextSize}B`]);
    },
    instruction(s) {
      if (s.vertex) open = start(s.vertex);
    },
    cached() {
      if (open) open.cached = true;
    },
    container: () => undefined,
    output(text) {
      if (open) send({ logs: [{ vertex: open.digest, timestamp: now(), data: text }] });
    },
    removed: () => undefined,
    committed() {
      if (open) done(open);
      open = null;
    },
    pull: () => undefined,
    note: () => undefined,
    failed(message) {
      if (open) done(open, { error: message });
      open = null;
    },
    finish(id, tags) {
      quick('exporting to image', ['exporting layers', `writing image ${id}`, ...tags.map((t) => `naming to ${t}`)]);
    },
  };
}
