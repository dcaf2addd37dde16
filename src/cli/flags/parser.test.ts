import { describe, expect, it } from 'vitest';
import { runFlags } from '../opts/options-flags.ts';
import { parseFlags } from './parser.ts';
import type { FlagSpec } from './spec.ts';

const run = (...argv: string[]) => parseFlags(runFlags, argv, { interspersed: false });
const error = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('parseFlags (pflag rules)', () => {
  it('reads long, long=, short, attached short and combined booleans', () => {
    const p = run('--name', 'web', '--hostname=h1', '-u', 'root', '-wdir', '-itd', 'busybox', 'sh');
    expect([p.string('name'), p.string('hostname'), p.string('user'), p.string('workdir')]).toEqual(['web', 'h1', 'root', 'dir']);
    expect([p.bool('interactive'), p.bool('tty'), p.bool('detach')]).toEqual([true, true, true]);
    expect(p.args).toEqual(['busybox', 'sh']);
  });

  it('takes a trailing value flag in a combined group', () => {
    const p = run('-itp', '80:80', 'nginx');
    expect(p.list('publish')).toEqual(['80:80']);
    expect(p.bool('tty')).toBe(true);
  });

  it('accepts boolean syntax and applies defaults', () => {
    const p = run('--rm=false', '-d=true', '--sig-proxy=0', 'img');
    expect([p.bool('rm'), p.bool('detach'), p.bool('sig-proxy'), p.changed('rm')]).toEqual([false, true, false, true]);
    const q = run('img');
    expect([q.bool('sig-proxy'), q.string('restart'), q.string('pull'), q.changed('rm')]).toEqual([true, 'no', 'missing', false]);
    // A bare boolean does not take the next word.
    expect(run('--rm', 'false').args).toEqual(['false']);
  });

  it('repeats list flags and keeps values whole', () => {
    const p = run('-e', 'A=b c', '-e', 'B', '--env=C=1', '-eD=2', 'img');
    expect(p.list('env')).toEqual(['A=b c', 'B', 'C=1', 'D=2']);
  });

  it('stops at the first positional when not interspersed, and at --', () => {
    expect(run('busybox', 'ls', '-l', '--rm').args).toEqual(['busybox', 'ls', '-l', '--rm']);
    expect(run('--rm', '--', '-x', 'y').args).toEqual(['-x', 'y']);
    const specs: FlagSpec[] = [{ name: 'force', short: 'f', kind: 'bool', usage: '' }];
    expect(parseFlags(specs, ['a', '-f', 'b']).args).toEqual(['a', 'b']);
    expect(parseFlags(specs, ['-', '-f']).args).toEqual(['-']);
  });

  it('handles help: --help, and -h when the command has no -h', () => {
    expect(run('--help').help).toBe(true);
    expect(run('-h', 'myhost', 'img').string('hostname')).toBe('myhost');
    const p = parseFlags([], ['-h']);
    expect([p.help, p.notices]).toEqual([true, ['Flag shorthand -h has been deprecated, use --help']]);
  });

  it('reads typed values', () => {
    const p = run('-m', '512m', '--memory-swap', '-1', '--cpus', '1.5', '--stop-timeout', '10', '--health-interval', '10s', 'img');
    expect([p.bytes('memory'), p.bytes('memory-swap'), p.nanoCpus('cpus'), p.int('stop-timeout'), p.duration('health-interval')]).toEqual([
      536870912, -1, 1_500_000_000, 10, 10e9,
    ]);
  });

  it.each([
    [['--foo'], 'unknown flag: --foo'],
    [['-z'], "unknown shorthand flag: 'z' in -z"],
    [['-itz'], "unknown shorthand flag: 'z' in -z"],
    [['-zit'], "unknown shorthand flag: 'z' in -zit"],
    [['--name'], 'flag needs an argument: --name'],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['-ite'], "flag needs an argument: 'e' in -e"],
    [['-m', 'abc'], 'invalid argument "abc" for "-m, --memory" flag: invalid size: \'abc\''],
    [['--rm=maybe'], 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['--cpus', 'abc'], 'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number'],
    [['--stop-timeout', 'x'], 'invalid argument "x" for "--stop-timeout" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['-a', 'foo'], 'invalid argument "foo" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR'],
    [['--add-host', 'foo'], 'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"'],
    [['--add-host', 'a:1.2.3'], 'invalid argument "a:1.2.3" for "--add-host" flag: invalid IP address in add-host: "1.2.3"'],
    [['-e', '=x'], 'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x'],
    [['--label', '=x'], 'invalid argument "=x" for "-l, --label" flag: invalid label \'=x\': empty name'],
    [['--link', 'a:b:c'], 'invalid argument "a:b:c" for "--link" flag: bad format for links: a:b:c'],
    [['--dns', 'abc'], 'invalid argument "abc" for "--dns" flag: IP address is not correctly formatted: abc'],
    [['--ulimit', 'nofile'], 'invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile'],
    [['--ulimit', 'nofile=10:5'], 'invalid argument "nofile=10:5" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 10 > 5'],
    [['--mount', 'foo'], 'invalid argument "foo" for "--mount" flag: invalid field \'foo\' must be a key=value pair'],
    [['--mount', 'type=bind'], 'invalid argument "type=bind" for "--mount" flag: target is required'],
    [['--memory-swap', 'abc'], 'invalid argument "abc" for "--memory-swap" flag: invalid size: \'abc\''],
    [['---x'], 'bad flag syntax: ---x'],
  ])('%j → %s', (argv, message) => expect(error(() => run(...argv))).toBe(message));
});
