// Per-value checks docker/cli runs while parsing flags (its opts.ListOpts validators). A failure is a
// flag error: `invalid argument "x" for "--add-host" flag: <text>`.
import { parseRamInBytes, ValueError } from '../../lib/go-values.ts';
import { parseMount } from './options-mounts.ts';
import { ContainerOptionsError, isIpAddress, parseLink, parseUlimit } from './options-values.ts';

type Validator = (value: string) => string | undefined;

const attempt =
  (fn: (value: string) => unknown): Validator =>
  (value) => {
    try {
      fn(value);
      return undefined;
    } catch (e) {
      if (e instanceof ContainerOptionsError || e instanceof ValueError) return e.message;
      throw e;
    }
  };

export const validateAttach: Validator = (v) =>
  ['stdin', 'stdout', 'stderr'].includes(v.toLowerCase()) ? undefined : 'valid streams are STDIN, STDOUT and STDERR';

export const validateEnv: Validator = (v) => (v.split('=')[0] === '' ? `invalid environment variable: ${v}` : undefined);

export const validateIpAddress: Validator = (v) => (isIpAddress(v.trim()) ? undefined : `IP address is not correctly formatted: ${v}`);

export const validateLabel: Validator = (v) => {
  const key = v.split('=')[0]!.replace(/^[ \t\n\r\v\f]+/, '');
  if (key === '') return `invalid label '${v}': empty name`;
  if (/[ \t\n\r\v\f]/.test(key)) return `label '${key}' contains whitespaces`;
  return undefined;
};

/** `host:ip` or `host=ip`; ip may be `host-gateway` or a bracketed IPv6 address. */
export const validateExtraHost: Validator = (v) => {
  let sep = v.indexOf('=');
  if (sep < 0) sep = v.indexOf(':');
  const host = sep < 0 ? '' : v.slice(0, sep);
  let ip = sep < 0 ? '' : v.slice(sep + 1);
  if (sep < 0 || host === '' || host.includes(':')) return `bad format for add-host: ${JSON.stringify(v)}`;
  if (ip === 'host-gateway') return undefined;
  if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  return isIpAddress(ip) ? undefined : `invalid IP address in add-host: ${JSON.stringify(ip)}`;
};

export const validateLink: Validator = attempt(parseLink);
export const validateUlimit: Validator = attempt(parseUlimit);
export const validateMount: Validator = attempt(parseMount);

/** --memory-swap: a size, or -1 for unlimited swap. */
export const validateSwapBytes: Validator = (v) => (v === '-1' ? undefined : attempt(parseRamInBytes)(v));
