// POST /commit, POST /build, POST /build/prune and POST /images/create?fromSrc (import) over the builder: the context arrives as the request body,
// and the build's messages go out as a stream. A build that fails before its first message is an
// HTTP error (moby answers so for a missing Dockerfile); after that, the stream's last message.
import { AsyncQueue } from '../../lib/async-queue.ts';
import { readAll } from '../../lib/streams.ts';
import { BuildError } from '../builder/builder.ts';
import { commitContainer } from '../builder/commit-container.ts';
import { importImage } from '../builder/import-image.ts';
import { DaemonError } from '../container/state.ts';
import type { Engine } from '../engine.ts';
import type { BuildMessage, EngineApi } from './types.ts';

type BuildRoutes = Pick<EngineApi, 'imageBuild' | 'buildPrune' | 'containerCommit' | 'imageImport'>;

const hostOf = (url: string) => url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0];

export function buildRoutes(engine: Pick<Engine, 'builder' | 'containers' | 'images' | 'runtime' | 'now' | 'decompress'>): BuildRoutes {
  return {
    async containerCommit(container, options) {
      return { Id: await commitContainer(engine, container, options) };
    },

    imageBuild(context, options, signal) {
      const queue = new AsyncQueue<BuildMessage>();
      let emitted = false;
      void (async () => {
        try {
          const bytes = await readAll(context);
          await engine.builder.build(
            bytes,
            options,
            (message) => {
              emitted = true;
              if (!signal?.aborted) void queue.push(message);
            },
            signal,
          );
          queue.close();
        } catch (e) {
          const message = (e as Error).message;
          if (!emitted && e instanceof BuildError && message.startsWith('Cannot locate specified Dockerfile')) return queue.fail(new DaemonError(message, 'invalid-parameter'));
          const code = e instanceof BuildError ? e.code : undefined;
          await queue.push({ errorDetail: { ...(code !== undefined ? { code } : {}), message }, error: message });
          queue.close();
        }
      })();
      return queue;
    },

    async buildPrune(options = {}) {
      const { deleted, reclaimed } = await engine.builder.prune(options);
      return { CachesDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
    },

    async imageImport(source, options) {
      if (options.fromSrc !== '-') throw new DaemonError(`Get "${options.fromSrc}": dial tcp: lookup ${hostOf(options.fromSrc)}: no such host (Slipway's guest has no network yet)`, 'invalid-parameter');
      if (options.platform && !/^linux(\/386)?$/.test(options.platform)) throw new DaemonError(`image platform ${options.platform} is not supported: Slipway runs linux/386`, 'invalid-parameter');
      return { Id: await importImage({ images: engine.images, now: engine.now, decompress: engine.decompress }, await readAll(source), options) };
    },
  };
}
