// Command-line parsing with spf13/pflag's rules, as docker/cli configures it: long and short forms,
// combined shorthands (`-itd`, `-itp 80:80`), `--flag=value`, `--` and optional non-interspersed mode.
import { ParsedFlags } from './parsed.ts';
import { flagDisplayName, flagTypeName, type FlagSpec } from './spec.ts';
import { goQuote, parseGoBool, parseGoDuration, parseGoInteger, parseNanoCpus, parseRamInBytes, ValueError } from '../../lib/go-values.ts';

/** A pflag parse error; `message` is pflag's text, e.g. `unknown flag: --foo`. */
export class FlagError extends Error {
  override name = 'FlagError';
}

export interface ParseOptions {
  /** false: flags end at the first positional argument (run, create, exec: the rest is the command line). */
  interspersed?: boolean;
}

// cobra's help flag: hidden, with a deprecated `-h` shorthand unless the command uses -h itself.
const helpSpec: FlagSpec = { name: 'help', kind: 'bool', usage: 'Print usage', hidden: true };

export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[], options: ParseOptions = {}): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  if (!byName.has('help')) byName.set('help', helpSpec);
  const helpShort = !byShort.has('h');
  const parsed = new ParsedFlags([...byName.values()]);

  const set = (spec: FlagSpec, value: string) => {
    const error = spec.validate ? spec.validate(value) : checkValue(spec, value);
    if (error !== undefined) {
      throw new FlagError(`invalid argument ${goQuote(value)} for ${goQuote(flagDisplayName(spec))} flag: ${error}`);
    }
    if (spec === byName.get('help') && spec.name === 'help') parsed.help = parseGoBool(value);
    else parsed.add(spec.name, value);
  };

  const rest = [...argv];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg.length < 2 || arg[0] !== '-') {
      parsed.args.push(arg);
      if (options.interspersed === false) {
        parsed.args.push(...rest);
        break;
      }
      continue;
    }
    if (arg === '--') {
      parsed.args.push(...rest);
      break;
    }
    if (arg[1] === '-') {
      const body = arg.slice(2);
      if (body[0] === '-' || body[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, body.slice(eq + 1));
      else if (spec.kind === 'bool') set(spec, 'true');
      else if (rest.length > 0) set(spec, rest.shift()!);
      else throw new FlagError(`flag needs an argument: ${arg}`);
      continue;
    }
    let shorts = arg.slice(1);
    while (shorts.length > 0) {
      const c = shorts[0]!;
      let spec = byShort.get(c);
      if (!spec && c === 'h' && helpShort) {
        spec = byName.get('help')!;
        parsed.notices.push('Flag shorthand -h has been deprecated, use --help');
      }
      if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts}`);
      if (shorts.length > 2 && shorts[1] === '=') {
        set(spec, shorts.slice(2));
        shorts = '';
      } else if (spec.kind === 'bool') {
        set(spec, 'true');
        shorts = shorts.slice(1);
      } else if (shorts.length > 1) {
        set(spec, shorts.slice(1));
        shorts = '';
      } else if (rest.length > 0) {
        set(spec, rest.shift()!);
        shorts = '';
      } else {
        throw new FlagError(`flag needs an argument: '${c}' in -${shorts}`);
      }
    }
  }
  return parsed;
}

/** The check pflag's typed Value.Set performs; returns the error text or undefined. */
function checkValue(spec: FlagSpec, value: string): string | undefined {
  try {
    switch (spec.kind) {
      case 'bool':
        parseGoBool(value);
        break;
      case 'int':
      case 'uint':
        parseGoInteger(value, spec.kind === 'int', flagTypeName(spec) === 'uint16' ? 16 : 64);
        break;
      case 'duration':
        parseGoDuration(value);
        break;
      case 'bytes':
        parseRamInBytes(value);
        break;
      case 'decimal':
        parseNanoCpus(value);
        break;
      default:
        break;
    }
    return undefined;
  } catch (e) {
    if (e instanceof ValueError) return e.message;
    throw e;
  }
}
