// Small value syntaxes of `docker run` flags, with docker/cli's (and go-units') error texts.
import { parseGoInteger } from '../../lib/go-values.ts';
import type { RestartPolicy, Ulimit } from '../../engine/api/types.ts';

/**
 * An invalid option value or combination, in Docker's words. `kind` says how `docker run` prints it:
 * 'usage' → `docker: <msg>` + "Run 'docker run --help'…" (exit 125); 'daemon' → `docker: Error response
 * from daemon: <msg>` + the same hint (125); 'plain' → `<msg>` alone (exit 1).
 */
export class ContainerOptionsError extends Error {
  override name = 'ContainerOptionsError';
  constructor(
    message: string,
    readonly kind: 'usage' | 'daemon' | 'plain' = 'usage',
  ) {
    super(message);
  }
}

const ulimitNames = new Set([
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

/** go-units ParseUlimit: `nofile=1024` or `nofile=1024:2048`. */
export function parseUlimit(value: string): Ulimit {
  const eq = value.indexOf('=');
  if (eq < 0) throw new ContainerOptionsError(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  const limits = value.slice(eq + 1);
  if (!ulimitNames.has(name)) throw new ContainerOptionsError(`invalid ulimit type: ${name}`);
  const parts = limits.split(':');
  if (parts.length > 2) {
    throw new ContainerOptionsError(`too many limit value arguments - ${limits}, can only have up to two, \`soft[:hard]\``);
  }
  const int = (s: string) => {
    // ParseInt base 10: no prefixes.
    if (!/^[+-]?\d+$/.test(s)) throw new ContainerOptionsError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
    return parseGoInteger(s, true, 64);
  };
  const hard = parts.length === 2 ? int(parts[1]!) : undefined;
  const soft = int(parts[0]!);
  const effectiveHard = hard ?? soft;
  if (effectiveHard !== -1) {
    if (soft === -1) {
      throw new ContainerOptionsError(`ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${effectiveHard}`);
    }
    if (soft > effectiveHard) {
      throw new ContainerOptionsError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${effectiveHard}`);
    }
  }
  return { Name: name, Soft: soft, Hard: effectiveHard };
}

const restartModes = ['no', 'always', 'on-failure', 'unless-stopped'];

/**
 * `--restart`: docker/cli's ParseRestartPolicy, plus the daemon's name and count checks reported in
 * `daemonError` (the caller prints those as `Error response from daemon: …`).
 */
export function parseRestartPolicy(policy: string): RestartPolicy & { daemonError?: string } {
  if (policy === '') return { Name: '', MaximumRetryCount: 0 };
  const colon = policy.indexOf(':');
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && name === '') throw new ContainerOptionsError('invalid restart policy format: no policy provided before colon');
  let retries = 0;
  if (count !== '') {
    if (!/^[+-]?\d+$/.test(count)) throw new ContainerOptionsError('invalid restart policy format: maximum retry count must be an integer');
    retries = Number(count);
  }
  const result: RestartPolicy & { daemonError?: string } = { Name: name, MaximumRetryCount: retries };
  if (!restartModes.includes(name)) {
    result.daemonError = `invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`;
  } else if (retries !== 0 && name !== 'on-failure') {
    result.daemonError = `invalid restart policy: maximum retry count can only be used with 'on-failure'`;
  } else if (retries < 0) {
    result.daemonError = 'invalid restart policy: maximum retry count must be a positive integer';
  }
  return result;
}

/** Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6, optionally with an embedded IPv4 tail. */
export function isIpAddress(s: string): boolean {
  const v4 = (t: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(t) && t.split('.').every((p) => Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
  if (v4(s)) return true;
  if (!s.includes(':')) return false;
  let groups = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    if (!v4(s.slice(lastColon + 1))) return false;
    groups = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const parts = (h: string) => (h === '' ? [] : h.split(':'));
  const all = halves.flatMap(parts);
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? all.length < 8 : all.length === 8;
}

/** docker/cli opts.ParseLink: `name` or `name:alias`. */
export function parseLink(value: string): [string, string] {
  if (value === '') throw new ContainerOptionsError('empty string specified for links');
  const parts = value.split(':');
  if (parts.length > 2) throw new ContainerOptionsError(`bad format for links: ${value}`);
  return parts.length === 1 ? [value, value] : [parts[0]!, parts[1]!];
}

/**
 * docker/cli opts.ParseEnvFile: KEY=VAL lines; `#` comments and blank lines skipped; leading whitespace
 * trimmed; a bare KEY takes the client's value (and is dropped when unset there).
 */
export function parseEnvFile(content: string, clientEnv: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const lines = content.replace(/^\uFEFF/, '').split('\n');
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^[\s]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') throw new ContainerOptionsError(`no variable name on line '${line}'`);
    if (/\s/.test(key)) throw new ContainerOptionsError(`variable '${key.replace(/^\s+/, '')}' contains whitespaces`);
    if (eq >= 0) out.push(line);
    else if (clientEnv.has(key)) out.push(`${key}=${clientEnv.get(key)}`);
  }
  return out;
}

/** Parses KEY=VAL label lines (--label-file): like env files but a bare KEY is kept as-is. */
export function parseLabelFile(content: string): string[] {
  return content
    .split('\n')
    .map((l) => l.replace(/\r$/, '').replace(/^\s+/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
}
