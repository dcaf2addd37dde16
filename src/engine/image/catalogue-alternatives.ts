// What to use instead of a Docker Hub image the offline catalogue cannot have. Tutorials often
// start FROM alpine or ubuntu; the catalogue's nearest image usually does the same job, so a failed
// pull names it rather than leaving the user to guess from the list of everything.

/**
 * Official images the catalogue lacks, by name, and the catalogue images closest to each, best
 * first; an empty list means nothing in the catalogue stands in for it (a language runtime or
 * server it has no build of). Kept to names tutorials use; anything else gets no suggestion.
 */
const CLOSEST: Readonly<Record<string, readonly string[]>> = {
  // Small base images: busybox is as small and has a shell; debian has a package manager.
  alpine: ['busybox', 'debian:bookworm-slim'],
  // Other distributions: debian is the catalogue's only one with a package manager.
  ubuntu: ['debian'],
  centos: ['debian'],
  fedora: ['debian'],
  rockylinux: ['debian'],
  almalinux: ['debian'],
  amazonlinux: ['debian'],
  archlinux: ['debian'],
  oraclelinux: ['debian'],
  // Servers with a catalogue image doing the same job.
  httpd: ['nginx'],
  caddy: ['nginx'],
  traefik: ['nginx'],
  memcached: ['redis'],
  valkey: ['redis'],
  mysql: ['postgres'],
  mariadb: ['postgres'],
  // Runtimes and servers with nothing like them in the catalogue.
  node: [],
  golang: [],
  rust: [],
  openjdk: [],
  'eclipse-temurin': [],
  ruby: [],
  php: [],
  perl: [],
  dotnet: [],
  mongo: [],
  rabbitmq: [],
  elasticsearch: [],
  jenkins: [],
  wordpress: [],
  gcc: [],
};

/** The catalogue's repository part of a suggestion (`debian:bookworm-slim` → `debian`). */
function repositoryOf(image: string): string {
  const colon = image.indexOf(':');
  return colon === -1 ? image : image.slice(0, colon);
}

/**
 * The line a failed pull of official image `name` adds about the closest catalogue image, or
 * undefined when the name is not one tutorials commonly use. `available` lists the catalogue's
 * repositories: a suggestion missing from it is dropped.
 */
export function closestImageLine(name: string, available: readonly string[]): string | undefined {
  if (!Object.hasOwn(CLOSEST, name)) return undefined;
  const suggestions = CLOSEST[name]!.filter((image) => available.includes(repositoryOf(image)));
  if (suggestions.length === 0) return `${name} is not in Slipway's offline catalogue, and no image there is close enough to stand in for it.`;
  const [best, ...others] = suggestions;
  const alternatives = others.length > 0 ? ` (or ${others.join(', or ')})` : '';
  return `${name} is not in Slipway's offline catalogue; use ${best}${alternatives} instead.`;
}
