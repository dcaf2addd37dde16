// The formatters' view of image names: Docker's reference parser (image/reference.ts) answering
// null instead of throwing, as the CLI treats names it cannot parse (shown as given).
import { familiarName as familiar, parseImageReference, type ImageReference } from '../../lib/reference.ts';

export type NormalizedReference = ImageReference;

/** reference.ParseNormalizedNamed; null where Docker's parser fails. */
export function parseNormalizedNamed(s: string): NormalizedReference | null {
  try {
    return parseImageReference(s);
  } catch {
    return null;
  }
}

/** reference.FamiliarName: "busybox", "user/app", "ghcr.io/x/y". */
export function familiarName(ref: NormalizedReference): string {
  return familiar(ref);
}
