// The parts of distribution/reference the formatters need: normalising "busybox" to
// "docker.io/library/busybox" and printing it back in its familiar form.

export interface NormalizedReference {
  domain: string;
  /** Path below the domain, e.g. "library/busybox". */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** reference.ParseNormalizedNamed; null where Docker's parser fails. */
export function parseNormalizedNamed(s: string): NormalizedReference | null {
  if (/^[a-f0-9]{64}$/.test(s)) return null;
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) return null;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return null;
  }
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first === 'index.docker.io' ? 'docker.io' : first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!path.split('/').every((c) => COMPONENT.test(c))) return null;
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** reference.FamiliarName: "busybox", "user/app", "ghcr.io/x/y". */
export function familiarName(ref: NormalizedReference): string {
  if (ref.domain !== 'docker.io') return `${ref.domain}/${ref.path}`;
  const p = ref.path;
  return p.startsWith('library/') && !p.slice(8).includes('/') ? p.slice(8) : p;
}
