import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags } from '../../flags/parser.ts';
import { renderCommandHelp } from '../render-help.ts';
import { volumeCommands } from './volume.ts';

const golden = (name: string) => readFileSync(new URL(`../../../../test/golden/help/${name}.txt`, import.meta.url), 'utf8');
const descriptor = (verb: string) => volumeCommands.find((c) => c.path[1] === verb)!;

describe('docker volume descriptors', () => {
  it.each(['create', 'ls', 'inspect', 'rm', 'prune'])('volume %s --help matches Docker v28', (verb) => {
    const d = descriptor(verb);
    expect(renderCommandHelp({ descriptor: d, commandPath: `docker volume ${verb}`, useLine: d.usage }, 80)).toBe(golden(`volume-${verb}`));
  });

  it('accepts the hidden --name of volume create', () => {
    expect(parseFlags(descriptor('create').flags, ['--name', 'v1']).string('name')).toBe('v1');
  });

  it.each([
    ['ls', ['-f', 'dangling'], 'invalid argument "dangling" for "-f, --filter" flag: bad format of filter (expected name=value)'],
    ['prune', ['--filter', 'x'], 'invalid argument "x" for "--filter" flag: bad format of filter (expected name=value)'],
    ['create', ['--label', '=x'], "invalid argument \"=x\" for \"--label\" flag: invalid label '=x': empty name"],
  ])('volume %s %j is a flag error', (verb, argv, message) => {
    expect(() => parseFlags(descriptor(verb).flags, argv)).toThrow(new FlagError(message));
  });
});
