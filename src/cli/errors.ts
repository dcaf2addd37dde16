// docker/cli tells an API error's kind (errdefs.IsNotFound, …) by its HTTP status. The worker's CLI
// gets the API's errors as thrown objects instead, each naming its kind as moby's errdefs do
// (`kind`: 'not-found', …; the daemon's errors are all ApiErrors, engine/api/errors.ts).
export function isNotFound(e: unknown): boolean {
  return e instanceof Error && (e as { kind?: unknown }).kind === 'not-found';
}
