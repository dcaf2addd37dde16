// The /images routes over the image service: list with moby's filters, inspect, history, tag,
// remove, pull (POST /images/create, as a stream of progress messages), prune, save and load.
import { DaemonError } from '../container/state.ts';
import type { Engine } from '../engine.ts';
import { pullImage, PullError, PullStreamError } from '../image/pull.ts';
import { parsePlatform, PlatformError } from '../image/platform.ts';
import { ImageError } from '../image/store/errors.ts';
import { familiarString, parseDockerRef } from '../../lib/reference.ts';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { loadImages, saveImages } from '../image/archive.ts';
import { readAll } from '../../lib/streams.ts';
import type { BuildMessage, EngineApi, JsonObject, ProgressMessage } from './types.ts';

type ImageRoutes = Pick<EngineApi, 'imageList' | 'imageInspect' | 'imageHistory' | 'imageTag' | 'imageRemove' | 'imagePull' | 'imagePrune' | 'imageSave' | 'imageLoad'>;

/** moby's reference filter: a familiar name pattern (`*` within a path component), tag optional. */
function matchesReference(pattern: string, tags: readonly string[]): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.')}(:.*)?$`);
  return tags.some((t) => re.test(t) || re.test(t.replace(/:[^:/]*$/, '')));
}

const familiar = (tag: string) => familiarString(parseDockerRef(tag));

/** Over the image store and the catalogue pulls read from. */
export function imageRoutes(engine: Pick<Engine, 'images' | 'catalogue'>): ImageRoutes {
  const images = engine.images;
  return {
    async imageList(options = {}) {
      let list = (await images.list()) as unknown as (JsonObject & { Id: string; ParentId: string; RepoTags?: string[]; Labels?: Record<string, string> })[];
      // A build's intermediate images (untagged parents of another image) show only with --all.
      const parents = new Set(list.map((i) => i.ParentId).filter(Boolean));
      if (!options.all) list = list.filter((i) => (i.RepoTags ?? []).length > 0 || !parents.has(i.Id));
      for (const [key, values] of Object.entries(options.filters ?? {})) {
        if (!values.length) continue;
        if (key === 'dangling') list = list.filter((i) => ((i.RepoTags ?? []).length === 0) === (values[0] === 'true' || values[0] === '1'));
        // Several references: any of them; several labels: all of them (moby's filters).
        else if (key === 'reference') list = list.filter((i) => values.some((value) => matchesReference(value, (i.RepoTags ?? []).map(familiar))));
        else if (key === 'label') {
          list = list.filter((i) =>
            values.every((value) => {
              const [k = '', v] = value.split('=', 2);
              return k in (i.Labels ?? {}) && (v === undefined || i.Labels![k] === v);
            }),
          );
        } else throw new DaemonError(`invalid filter '${key}'`, 'invalid-parameter');
      }
      return list;
    },

    imageInspect: async (name) => (await images.inspect(name)) as unknown as JsonObject,
    imageHistory: async (name) => (await images.history(name)) as unknown as JsonObject[],

    async imageTag(name, repo, tag) {
      await images.tag(name, tag ? `${repo}:${tag}` : repo);
    },

    imageRemove: async (name, options = {}) => (await images.remove(name, { force: options.force })) as never,

    imagePull(options, signal) {
      const queue = new AsyncQueue<ProgressMessage>();
      const ref = options.tag && !options.fromImage.includes('@') ? `${options.fromImage}:${options.tag}` : options.fromImage;
      let emitted = false;
      void (async () => {
        try {
          // The daemon parses the platform (the client sends it as typed).
          const platform = options.platform ? parsePlatform(options.platform) : undefined;
          await pullImage(images, engine.catalogue, ref, {
            platform,
            onProgress: (event) => {
              emitted = true;
              if (!signal?.aborted) void queue.push(event);
            },
          });
          queue.close();
        } catch (e) {
          const error = e instanceof PullError && e.hint ? new ImageError('not-found', `${e.message}\n${e.hint}`) : e;
          // moby answers an error with its status until the stream has started; after that, as
          // the stream's last message.
          if (!emitted && !(e instanceof PullStreamError)) return queue.fail(error instanceof PlatformError ? new DaemonError(error.message, 'invalid-parameter') : error);
          const message = (error as Error).message;
          await queue.push({ errorDetail: { message }, error: message });
          queue.close();
        }
      })();
      return queue;
    },

    imageSave: (names) => saveImages(images, names),

    async imageLoad(archive, options = {}) {
      const messages: BuildMessage[] = [];
      const lines = await loadImages(images, await readAll(archive), {
        layer: (id, size) => {
          if (!options.quiet) messages.push({ status: 'Loading layer', id, progressDetail: { current: size, total: size } });
        },
      });
      for (const line of lines) messages.push({ stream: line + '\n' });
      return messages;
    },

    async imagePrune(options = {}) {
      const dangling = options.filters?.dangling?.[0];
      const report = await images.prune({ all: dangling === 'false' || dangling === '0' });
      return { ImagesDeleted: (report.ImagesDeleted as never) ?? null, SpaceReclaimed: report.SpaceReclaimed };
    },
  };
}
