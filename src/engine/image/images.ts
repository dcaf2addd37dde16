// The daemon's image store: images keyed by config digest (Docker's image ID), references
// (tags and digests) pointing at them, Docker's lookup rules and the Engine API views. Blobs go to
// the BlobStore before the metadata that names them is committed; removals commit first and
// delete blobs after, so metadata never points at a missing blob.
import type { BlobDigest, Stores } from '../../protocol/store.ts';
import type { Digest } from './oci.ts';
import { isGzipLayer } from './oci.ts';
import {
  familiarString,
  parseAnyReference,
  parseImageReference,
  referenceString,
  withDefaultTag,
  ReferenceError,
  type ImageReference,
} from '../../lib/reference.ts';
import { ImageError, noSuchImage } from './store/errors.ts';
import { IMAGE_PREFIX, REF_PREFIX, imageKey, refKey, type ImageRecord, type LayerRecord, type RefRecord } from './store/records.ts';
import { planRemoval, type ContainerUse, type DeleteResponse } from './store/remove.ts';
import { imageHistory, imageInspect, imageSummary, type HistoryResponseItem, type ImageInspect, type ImageSummary } from './store/views.ts';
import { gunzip } from './validate.ts';

export interface ImageServiceOptions {
  /** Containers created from an image (for rmi/prune conflicts). */
  containersUsing?: (imageId: Digest) => readonly ContainerUse[] | Promise<readonly ContainerUse[]>;
  now?: () => Date;
  /** Docker's image events (`pull`, `tag`, `untag`, `delete`), for `docker events` and the page. */
  onEvent?: (action: ImageEventAction, id: string, attributes: Record<string, string>) => void;
}

export type ImageEventAction = 'pull' | 'tag' | 'untag' | 'delete' | 'save' | 'load' | 'import';

export interface PruneReport {
  ImagesDeleted: DeleteResponse[] | null;
  SpaceReclaimed: number;
}

export class ImageService {
  readonly #stores: Stores;
  readonly #containersUsing: NonNullable<ImageServiceOptions['containersUsing']>;
  readonly #now: () => Date;
  readonly #onEvent: NonNullable<ImageServiceOptions['onEvent']>;
  /** Uncompressed layer tars by compressed digest, kept for this boot. */
  readonly #layerCache = new Map<Digest, Promise<Uint8Array>>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(stores: Stores, options: ImageServiceOptions = {}) {
    this.#stores = stores;
    this.#containersUsing = options.containersUsing ?? (() => []);
    this.#now = options.now ?? (() => new Date());
    this.#onEvent = options.onEvent ?? (() => {});
  }

  /** Reports a change of the store as Docker's image event. */
  notify(action: ImageEventAction, id: string, name: string): void {
    this.#onEvent(action, id, { name });
  }

  get blobs() {
    return this.#stores.blobs;
  }

  /** Runs mutations one at a time, so each plans on what the previous one committed. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async image(id: Digest): Promise<ImageRecord | undefined> {
    return this.#stores.meta.get<ImageRecord>(imageKey(id));
  }

  async images(): Promise<ImageRecord[]> {
    return (await this.#stores.meta.list<ImageRecord>(IMAGE_PREFIX)).map(([, v]) => v);
  }

  /** Every reference: canonical string → image ID. */
  async references(): Promise<Map<string, Digest>> {
    const entries = await this.#stores.meta.list<RefRecord>(REF_PREFIX);
    return new Map(entries.map(([key, value]) => [key.slice(REF_PREFIX.length), value.id]));
  }

  async referencesTo(id: Digest): Promise<string[]> {
    return [...(await this.references())].filter(([, target]) => target === id).map(([c]) => c);
  }

  /** The image a canonical reference points at, if any. */
  async referenceTarget(ref: ImageReference): Promise<Digest | undefined> {
    return (await this.#stores.meta.get<RefRecord>(refKey(referenceString(ref))))?.id;
  }

  /** Docker's lookup: a reference (tag defaulted), a full ID or digest, or a unique ID prefix. */
  async resolve(refOrId: string): Promise<ImageRecord | undefined> {
    let any;
    try {
      any = parseAnyReference(refOrId);
    } catch (error) {
      if (error instanceof ReferenceError) throw new ImageError('invalid-parameter', error.message);
      throw error;
    }
    if (any.kind === 'digest') return this.image(any.digest as Digest);
    const { domain, path, digest } = any.ref;
    // Docker favours the digest when a reference has both.
    const target = await this.referenceTarget(digest !== undefined ? { domain, path, digest } : withDefaultTag(any.ref));
    if (target) return this.image(target);
    const prefix = refOrId.startsWith('sha256:') ? refOrId.slice(7) : refOrId;
    if (!/^[a-f0-9]+$/.test(prefix)) return undefined;
    const matches = (await this.images()).filter((image) => image.id.slice(7).startsWith(prefix));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** `resolve`, failing with Docker's "No such image: busybox:latest". */
  async getImage(refOrId: string): Promise<ImageRecord> {
    const image = await this.resolve(refOrId);
    if (image) return image;
    const any = parseAnyReference(refOrId);
    throw noSuchImage(any.kind === 'digest' ? any.digest : familiarString(withDefaultTag(any.ref)));
  }

  /** GET /images/json: newest first. */
  async list(): Promise<ImageSummary[]> {
    const refs = await this.references();
    const summaries = (await this.images()).map((image) =>
      imageSummary(image, [...refs].filter(([, id]) => id === image.id).map(([c]) => c)),
    );
    return summaries.sort((a, b) => b.Created - a.Created || (a.Id < b.Id ? -1 : 1));
  }

  async inspect(refOrId: string): Promise<ImageInspect> {
    const image = await this.getImage(refOrId);
    return imageInspect(image, await this.referencesTo(image.id));
  }

  async history(refOrId: string): Promise<HistoryResponseItem[]> {
    const image = await this.getImage(refOrId);
    return imageHistory(image, await this.referencesTo(image.id));
  }

  /** Commits an image whose blobs are already stored, with references to it, in one batch. */
  async addImage(image: ImageRecord, refs: readonly ImageReference[]): Promise<void> {
    await this.#stores.meta.commit({
      put: [[imageKey(image.id), image], ...refs.map((ref): [string, RefRecord] => [refKey(referenceString(ref)), { id: image.id }])],
    });
  }

  /** A layer any stored image already has, found by its compressed digest or, with `by: 'diffId'`, its uncompressed one. */
  async knownLayer(digest: Digest, by: 'digest' | 'diffId' = 'digest'): Promise<LayerRecord | undefined> {
    for (const image of await this.images()) {
      const layer = image.layers.find((l) => l[by] === digest);
      if (layer) return layer;
    }
    return undefined;
  }

  /** `docker tag SOURCE TARGET`: moves TARGET to SOURCE's image. */
  tag(source: string, target: string): Promise<void> {
    return this.exclusive(async () => {
      const image = await this.getImage(source);
      let ref: ImageReference;
      try {
        ref = parseImageReference(target);
      } catch (error) {
        if (error instanceof ReferenceError) throw new ImageError('invalid-parameter', error.message);
        throw error;
      }
      if (ref.digest !== undefined) throw new ImageError('invalid-parameter', 'refusing to create a tag with a digest reference');
      const updated: ImageRecord = { ...image, lastTagTime: this.#now().toISOString() };
      await this.addImage(updated, [withDefaultTag(ref)]);
      this.notify('tag', image.id, familiarString(withDefaultTag(ref)));
    });
  }

  /** `docker rmi`: Docker's records (`Untagged: …`, `Deleted: …`) or its conflict errors. */
  remove(imageRef: string, options: { force?: boolean } = {}): Promise<DeleteResponse[]> {
    return this.exclusive(() => this.#remove(imageRef, options.force ?? false));
  }

  async #remove(imageRef: string, force: boolean): Promise<DeleteResponse[]> {
    const image = await this.getImage(imageRef);
    const [refs, images, containers] = await Promise.all([this.references(), this.images(), this.#containersUsing(image.id)]);
    const plan = planRemoval({ refs, images: new Map(images.map((i) => [i.id, i])), image, imageRef, force, containers });
    await this.#stores.meta.commit({ delete: [...plan.refs.map(refKey), ...(plan.image ? [imageKey(plan.image.id)] : [])] });
    if (plan.image) await this.#deleteUnusedBlobs(plan.image);
    for (const r of plan.records) if ('Untagged' in r) this.notify('untag', image.id, r.Untagged);
    if (plan.image) this.notify('delete', plan.image.id, plan.image.id);
    // As moby: a deleted built image takes its untagged parents with it (each removal takes its
    // own parent), up to the first that is tagged, has another child, or a container uses.
    const parent = plan.image?.parent ? await this.image(plan.image.parent) : undefined;
    if (parent && (await this.referencesTo(parent.id)).length === 0 && (await this.#containersUsing(parent.id)).length === 0 && !(await this.images()).some((i) => i.parent === parent.id)) {
      plan.records.push(...(await this.#remove(parent.id, false)));
    }
    return plan.records;
  }

  /** Blobs of a removed image that no remaining image references. */
  async #deleteUnusedBlobs(removed: ImageRecord): Promise<void> {
    const used = new Set<string>();
    for (const image of await this.images()) {
      used.add(image.id).add(image.manifestDigest);
      for (const l of image.layers) used.add(l.digest);
    }
    const candidates: Digest[] = [removed.manifestDigest, removed.id, ...removed.layers.map((l) => l.digest)];
    for (const digest of candidates) {
      if (used.has(digest)) continue;
      await this.#stores.blobs.delete(digest as BlobDigest);
      this.#layerCache.delete(digest);
    }
  }

  /** Deletes blobs no image references: what an interrupted pull or removal leaves behind. */
  async collectGarbage(): Promise<Digest[]> {
    return this.exclusive(async () => {
      const used = new Set<string>();
      for (const image of await this.images()) {
        used.add(image.id).add(image.manifestDigest);
        for (const l of image.layers) used.add(l.digest);
      }
      const removed: Digest[] = [];
      for (const digest of await this.#stores.blobs.list()) {
        if (used.has(digest)) continue;
        await this.#stores.blobs.delete(digest);
        removed.push(digest);
      }
      return removed;
    });
  }

  /** `docker image prune [-a]`: dangling images, or with `all` every image no container uses. */
  async prune(options: { all?: boolean } = {}): Promise<PruneReport> {
    const deleted: DeleteResponse[] = [];
    const layerSizes = new Map<string, number>();
    const all = await this.images();
    // A build's intermediate images are not dangling while an image is built on them.
    const parents = new Set(all.map((i) => i.parent).filter(Boolean));
    for (const image of all) {
      if (parents.has(image.id) && (await this.referencesTo(image.id)).length === 0) continue;
      for (const l of image.layers) layerSizes.set(l.chainId, l.diffSize);
      // moby never prunes (nor untags) an image any container uses, stopped or running.
      if ((await this.#containersUsing(image.id)).length > 0) continue;
      const refs = await this.referencesTo(image.id);
      const hasTag = refs.some((r) => parseImageReference(r).digest === undefined);
      const targets = refs.length === 0 ? [image.id.slice(7)] : options.all || !hasTag ? refs : [];
      for (const target of targets) {
        try {
          deleted.push(...(await this.remove(target)));
        } catch (error) {
          // In use, or gone with an earlier reference: Docker skips it too.
          if (!(error instanceof ImageError)) throw error;
        }
      }
    }
    let reclaimed = 0;
    for (const r of deleted) if ('Deleted' in r) reclaimed += layerSizes.get(r.Deleted) ?? 0;
    return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  }

  /** The image's layers as uncompressed tars, bottom first (gunzipped once per boot). */
  async layers(imageId: Digest): Promise<Uint8Array[]> {
    const image = await this.image(imageId);
    if (!image) throw noSuchImage(imageId);
    return Promise.all(image.layers.map((layer) => this.layerTar(layer)));
  }

  layerTar(layer: Pick<LayerRecord, 'digest' | 'mediaType'>): Promise<Uint8Array> {
    let tar = this.#layerCache.get(layer.digest);
    if (!tar) {
      tar = (async () => {
        const blob = await this.#stores.blobs.get(layer.digest as BlobDigest);
        if (!blob) throw new Error(`layer blob ${layer.digest} is missing from the store`);
        return isGzipLayer(layer.mediaType) ? gunzip(blob) : blob;
      })();
      this.#layerCache.set(layer.digest, tar);
      tar.catch(() => this.#layerCache.delete(layer.digest));
    }
    return tar;
  }

  /** Remembers a tar the caller already decompressed (pull does), sparing a second gunzip. */
  cacheLayerTar(digest: Digest, tar: Uint8Array): void {
    this.#layerCache.set(digest, Promise.resolve(tar));
  }
}
