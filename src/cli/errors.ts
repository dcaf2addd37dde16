// docker/cli tells an API error's kind (errdefs.IsNotFound, …) by its HTTP status. The worker's CLI
// gets the API's errors as thrown objects instead; each names its kind the way moby's errdefs
// do: `kind` ('not-found', …: ApiError and the image errors) or `status` ('notFound', …: the
// daemon's container errors).
export function isNotFound(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const { kind, status } = e as { kind?: unknown; status?: unknown };
  return kind === 'not-found' || status === 'notFound';
}
