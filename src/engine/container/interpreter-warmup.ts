// v86 compiles a page of guest code only after it has run some 200k basic blocks
// (JIT_THRESHOLD), and a page's count carries over from one process to the next. A Python
// interpreter runs through far more distinct code than that threshold rewards on one start:
// its first start after a boot runs mostly in v86's interpreter. Measured on a loaded 2-core
// host, host CPU per `docker run --rm python:3.11-slim python3 -c 'import http.server'` in one
// boot: 24.6 s, 9.7, 6.0, 5.0, 3.9, 3.5. So after boot the engine starts the newest local
// Python image's interpreter itself, in the background, and yields to the user's first command.
//
// What v86 compiled is keyed by physical page, i.e. by the guest's page cache of one image
// tree's files: warming an image helps containers of that image only (a derived image has its
// own tree in the share).
import type { GuestPort } from '../../protocol/guest/port.ts';
import type { ImageRecord } from '../image/store/records.ts';
import type { ImageRootfs } from './launch.ts';
import type { GuestRuntime } from './runtime.ts';
import { runThrowaway } from './warmup.ts';

/**
 * Which images get warmed, and with what. The official Python images (and those built from
 * them) carry PYTHON_VERSION. `import http.server` loads the stdlib's web stack (socket, ssl,
 * email, http.client, socketserver) that `python -m http.server`, Flask's werkzeug and most
 * tutorial servers start with; each run after the first costs less and helps less (above).
 */
export const INTERPRETER_WARMUPS = [
  { marker: 'PYTHON_VERSION=', args: ['python3', '-c', 'import http.server'], runs: 2 },
] as const;

export interface InterpreterWarmUpDeps {
  guest: GuestPort;
  runtime: GuestRuntime;
  images: () => Promise<ImageRecord[]>;
  rootfs: (imageId: string) => Promise<ImageRootfs>;
  /** Polled while a warm-up container runs: true kills it (the user wants the CPU). */
  stop: () => boolean;
}

/** The newest local image carrying `marker` in its environment, if any. */
export function newestImageWith(images: readonly ImageRecord[], marker: string): ImageRecord | undefined {
  return images
    .filter((image) => (image.config.config?.Env ?? []).some((e) => e.startsWith(marker)))
    .sort((a, b) => (b.config.created ?? '').localeCompare(a.config.created ?? '') || (a.id < b.id ? -1 : 1))[0];
}

export async function warmUpInterpreters(deps: InterpreterWarmUpDeps): Promise<void> {
  const images = await deps.images();
  for (const warmup of INTERPRETER_WARMUPS) {
    const image = newestImageWith(images, warmup.marker);
    if (!image || deps.stop()) continue;
    const rootfs = await deps.rootfs(image.id);
    const env = image.config.config?.Env ?? [];
    for (let i = 0; i < warmup.runs && !deps.stop(); i++) {
      const id = `warmupinterp${i}${Date.now().toString(16)}`;
      await runThrowaway(deps.guest, deps.runtime, id, rootfs.lowerDir, { args: [...warmup.args], env: [...env], network: 'none' }, deps.stop);
    }
  }
}
