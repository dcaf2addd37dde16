// `docker rmi` decided as moby's graph-driver ImageDelete decides it: untag by name, delete by ID,
// the conflict rules and their messages. Pure: it plans on a snapshot of the references, and the
// service commits the plan in one batch.
import type { Digest } from '../oci.ts';
import { familiarString, parseImageReference, repositoryName, truncateId, withDefaultTag, type ImageReference } from '../../../lib/reference.ts';
import { ImageDeleteConflict, ImageError } from './errors.ts';
import type { ImageRecord, LayerRecord } from './records.ts';

export interface ContainerUse {
  id: string;
  running: boolean;
}

export type DeleteResponse = { Untagged: string } | { Deleted: string };

export interface RemovalPlan {
  records: DeleteResponse[];
  /** Canonical references to delete. */
  refs: string[];
  /** Set when the image itself goes. */
  image?: ImageRecord;
  /** Its layers no other image uses, top first. */
  layers: LayerRecord[];
}

export interface RemovalInput {
  /** Every reference in the store: canonical string → image ID. */
  refs: ReadonlyMap<string, Digest>;
  images: ReadonlyMap<Digest, ImageRecord>;
  image: ImageRecord;
  /** What the user typed. */
  imageRef: string;
  force: boolean;
  /** Containers created from the image. */
  containers: readonly ContainerUse[];
}

const HARD = 1;
const RUNNING = 2;
const ACTIVE_REFERENCE = 4;
const STOPPED = 8;

function isImageIdPrefix(id: string, term: string): boolean {
  return id.startsWith(term) || id.slice(id.indexOf(':') + 1).startsWith(term);
}

/** True when the refs are one tag plus, at most, digests of that same repository. */
function isSingleReference(refs: readonly ImageReference[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const canonicalNames = new Set<string>();
  let single: ImageReference | undefined;
  for (const ref of refs) {
    if (ref.digest !== undefined) canonicalNames.add(repositoryName(ref));
    else if (single === undefined) single = ref;
    else return false;
  }
  single ??= refs[0]!;
  return canonicalNames.size === 1 && canonicalNames.has(repositoryName(single));
}

export function planRemoval(input: RemovalInput): RemovalPlan {
  const { image, imageRef, force, containers } = input;
  const refs = new Map([...input.refs].filter(([, id]) => id === image.id).map(([canonical]) => [canonical, parseImageReference(canonical)]));
  const plan: RemovalPlan = { records: [], refs: [], layers: [] };
  const untag = (canonical: string) => {
    const ref = refs.get(canonical);
    if (!ref) return;
    refs.delete(canonical);
    plan.refs.push(canonical);
    plan.records.push({ Untagged: familiarString(ref) });
  };
  const conflict = (mask: number): ImageDeleteConflict | undefined => {
    const id = truncateId(image.id);
    const running = containers.find((c) => c.running);
    if (mask & RUNNING && running) return new ImageDeleteConflict(id, true, true, `image is being used by running container ${truncateId(running.id)}`);
    if (mask & ACTIVE_REFERENCE && refs.size > 0) return new ImageDeleteConflict(id, false, false, 'image is referenced in multiple repositories');
    const stopped = containers.find((c) => !c.running);
    if (mask & STOPPED && stopped) return new ImageDeleteConflict(id, false, true, `image is being used by stopped container ${truncateId(stopped.id)}`);
    return undefined;
  };
  const sortedRefs = () => [...refs.keys()].sort();

  let quiet = false;
  if (!isImageIdPrefix(image.id, imageRef)) {
    if (!force && isSingleReference([...refs.values()]) && containers.length > 0) {
      throw new ImageError(
        'conflict',
        `conflict: unable to remove repository reference ${JSON.stringify(imageRef)} (must force) - container ${truncateId(containers[0]!.id)} is using its referenced image ${truncateId(image.id)}`,
      );
    }
    const parsed = parseImageReference(imageRef);
    const named = parsed.digest !== undefined ? { domain: parsed.domain, path: parsed.path, digest: parsed.digest } : withDefaultTag(parsed);
    const canonical = sortedRefs().find((c) => {
      const r = refs.get(c)!;
      return repositoryName(r) === repositoryName(named) && r.tag === named.tag && r.digest === named.digest;
    });
    if (canonical === undefined) throw new ImageError('not-found', `No such image: ${familiarString(named)}`);
    untag(canonical);
    if (named.digest === undefined) {
      const name = repositoryName(named);
      const tagLeft = [...refs.values()].some((r) => r.digest === undefined && repositoryName(r) === name);
      // The last tag of a repository takes that repository's digests with it.
      if (!tagLeft) for (const c of sortedRefs()) if (refs.get(c)!.digest !== undefined && repositoryName(refs.get(c)!) === name) untag(c);
    }
    if (refs.size > 0) return plan;
    quiet = true;
  } else if (isSingleReference([...refs.values()])) {
    const found = conflict(HARD | RUNNING | (force ? 0 : STOPPED));
    if (found) throw found;
    for (const c of sortedRefs()) untag(c);
  }

  const found = conflict(HARD | RUNNING | (force ? 0 : ACTIVE_REFERENCE | STOPPED));
  if (found) {
    const dangling = refs.size === 0;
    if (quiet && (!dangling || found.used)) return plan;
    throw found;
  }
  for (const c of sortedRefs()) untag(c);
  plan.image = image;
  plan.records.push({ Deleted: image.id });
  const shared = new Set<Digest>();
  for (const other of input.images.values()) if (other.id !== image.id) for (const l of other.layers) shared.add(l.chainId);
  plan.layers = image.layers.filter((l) => !shared.has(l.chainId)).reverse();
  for (const layer of plan.layers) plan.records.push({ Deleted: layer.chainId });
  return plan;
}
