// A container's logging driver (HostConfig.LogConfig) as moby v28's daemon/logger decides it:
// the driver and option names are checked at create (mergeAndVerifyLogConfig → ValidateLogOpts),
// option values only when the driver starts, i.e. at container start (jsonfilelog.New, local.New),
// where a bad value fails the start. Slipway's store keeps every driver's output the same way
// (logs.ts); what a driver changes is whether output is kept, and how much.
import { goQuote, parseGoBool, parseHumanSize, parseRamInBytes } from '../../lib/go-values.ts';
import { DaemonError } from './state.ts';

export interface LogConfig {
  Type: string;
  Config: Record<string, string>;
}

/** dockerd's default `log-driver`. */
export const DEFAULT_LOG_DRIVER = 'json-file';

/**
 * The drivers this daemon has, with the options each driver's ValidateLogOpt knows. moby also
 * registers syslog, journald, gelf, fluentd, awslogs, splunk, gcplogs and etwlogs; they send logs
 * to services outside the guest, so Slipway answers as a dockerd built without them would.
 */
const DRIVER_OPTIONS: Record<string, readonly string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
};

/** Options every driver accepts (logger builtInLogOpts, plus the local cache's). */
const BUILTIN_OPTIONS = new Set(['mode', 'max-buffer-size', 'cache-disabled', 'cache-max-file', 'cache-max-size', 'cache-compress']);

/** The local driver's defaults (daemon/logger/local): 20 MiB files, 5 of them, compressed. */
const LOCAL_MAX_SIZE = 20 * 1024 * 1024;
const LOCAL_MAX_FILES = 5;

/** At create: the daemon's default driver when none was given, then moby's checks, in its order and words. */
export function mergeAndVerifyLogConfig(given: Partial<LogConfig> | undefined): LogConfig {
  const config: LogConfig = { Type: given?.Type || DEFAULT_LOG_DRIVER, Config: { ...given?.Config } };
  const invalid = (message: string) => new DaemonError(message, 'invalid-parameter');
  if (config.Type === 'none') return config;
  const opts = config.Config;
  const mode = opts['mode'] ?? '';
  if (!['', 'blocking', 'non-blocking'].includes(mode)) throw invalid(`logger: logging mode not supported: ${mode}`);
  if ('max-buffer-size' in opts) {
    if (mode !== 'non-blocking') throw invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
    valueOrThrow(() => parseRamInBytes(opts['max-buffer-size']!), (why) => invalid(`error parsing option max-buffer-size: ${why}`));
  }
  if ('cache-disabled' in opts && opts['cache-disabled'] !== '') {
    valueOrThrow(() => parseGoBool(opts['cache-disabled']!), () => invalid(`invalid value for option cache-disabled: ${opts['cache-disabled']}`));
  }
  const known = DRIVER_OPTIONS[config.Type];
  if (!known) throw invalid(`logger: no log driver named '${config.Type}' is registered`);
  for (const key of Object.keys(opts)) {
    if (BUILTIN_OPTIONS.has(key) || known.includes(key)) continue;
    throw invalid(config.Type === 'local' ? `unknown log opt '${key}' for log driver local` : `unknown log opt '${key}' for json-file log driver`);
  }
  return config;
}

/** How much output a log keeps: at most `maxBytes`, stored in chunks of at most `chunkBytes`. */
export interface LogRetention {
  maxBytes: number;
  chunkBytes: number;
}

/**
 * At start: the driver's option values, as its New parses them. Null when the log keeps
 * everything (json-file without max-size); throws the start's error otherwise.
 */
export function logRetention(config: LogConfig, chunkBytes: number): LogRetention | null {
  try {
    const limit = config.Type === 'local' ? localLimit(config.Config) : jsonFileLimit(config.Config);
    return limit && { maxBytes: limit.maxSize * limit.maxFiles, chunkBytes: Math.max(1, Math.min(chunkBytes, limit.maxSize)) };
  } catch (e) {
    throw new DaemonError(`failed to create task for container: failed to initialize logging driver: ${(e as Error).message}`, 'system', 128);
  }
}

/** `docker logs` of a container whose driver keeps nothing (moby ErrReadLogsNotSupported). */
export function readableLogOrThrow(config: LogConfig | undefined): void {
  if (config?.Type === 'none') throw new DaemonError('configured logging driver does not support reading', 'system');
}

interface Limit {
  maxSize: number;
  maxFiles: number;
}

/** jsonfilelog.New. */
function jsonFileLimit(opts: Record<string, string>): Limit | null {
  let maxSize = -1;
  if ('max-size' in opts) {
    maxSize = parseHumanSize(opts['max-size']!);
    if (maxSize <= 0) throw new Error('max-size must be a positive number');
  }
  let maxFiles = 1;
  if ('max-file' in opts) {
    maxFiles = atoi(opts['max-file']!);
    if (maxFiles < 1) throw new Error('max-file cannot be less than 1');
  }
  if ('compress' in opts && parseGoBool(opts['compress']!) && (maxFiles === 1 || maxSize === -1)) {
    throw new Error('compress cannot be true when max-file is less than 2 or max-size is not set');
  }
  return maxSize === -1 ? null : { maxSize, maxFiles };
}

/** local.New and its validateConfig. */
function localLimit(opts: Record<string, string>): Limit {
  let maxSize = LOCAL_MAX_SIZE;
  let maxFiles = LOCAL_MAX_FILES;
  let compress = true;
  if ('max-size' in opts) valueOrThrow(() => (maxSize = parseHumanSize(opts['max-size']!)), (why) => new Error(`invalid value for max-size: ${opts['max-size']}: ${why}`));
  if ('max-file' in opts) valueOrThrow(() => (maxFiles = atoi(opts['max-file']!)), (why) => new Error(`invalid value for max-file: ${opts['max-file']}: ${why}`));
  if ('compress' in opts) valueOrThrow(() => (compress = parseGoBool(opts['compress']!)), (why) => new Error(`error reading compress log option: ${why}`));
  if (maxSize < 0) throw new Error('max size should be a positive number');
  if (maxFiles < 0) throw new Error('max file count cannot be less than 0');
  if (compress && maxFiles <= 1) throw new Error('compression cannot be enabled when max file count is 1');
  // A file count of 0 still keeps the file being written.
  return { maxSize, maxFiles: Math.max(1, maxFiles) };
}

/** strconv.Atoi. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

function valueOrThrow(parse: () => unknown, fail: (why: string) => Error): void {
  try {
    parse();
  } catch (e) {
    throw fail((e as Error).message);
  }
}
