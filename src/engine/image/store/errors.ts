// Errors the image service returns, carrying the daemon's message and moby's kind. The CLI prints
// them after "Error response from daemon: " and picks the exit code (1 for `docker pull`/`rmi`, 125
// for run).
import { ApiError, type ApiErrorKind } from '../../api/errors.ts';

export type ImageErrorKind = Extract<ApiErrorKind, 'not-found' | 'conflict' | 'invalid-parameter'>;

export class ImageError extends ApiError {
  override name = 'ImageError';
  constructor(kind: ImageErrorKind, message: string) {
    super(kind, message);
  }
}

export function noSuchImage(name: string): ImageError {
  return new ImageError('not-found', `No such image: ${name}`);
}

/** Docker's `imageDeleteConflict`. `used` marks conflicts caused by a container. */
export class ImageDeleteConflict extends ImageError {
  constructor(
    readonly imageShortId: string,
    readonly hard: boolean,
    readonly used: boolean,
    readonly reason: string,
  ) {
    super('conflict', `conflict: unable to delete ${imageShortId} (${hard ? 'cannot be forced' : 'must be forced'}) - ${reason}`);
  }
}
