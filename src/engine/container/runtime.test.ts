// Signalling containers: the signals of one turn go to the guest in one process (a `docker stop`
// of twenty containers costs one fork, not twenty crun runs), and each caller gets its own answer.
import { describe, expect, it } from 'vitest';
import type { GuestPort, GuestProcess } from '../../protocol/guest/port.ts';
import { GuestRuntime } from './runtime.ts';

function fakeGuest(stdout: string) {
  const spawns: string[][] = [];
  const source = (text: string) => ({
    async *[Symbol.asyncIterator]() {
      if (text) yield new TextEncoder().encode(text);
    },
  });
  const guest = {
    spawn: async (req: { argv: string[] }) => {
      spawns.push(req.argv);
      return { stdin: { write: async () => undefined, end: () => undefined }, stdout: source(stdout), stderr: source(''), exited: Promise.resolve({ code: 0, signal: 0 }) } as unknown as GuestProcess;
    },
  } as unknown as GuestPort;
  return { guest, spawns };
}

describe('GuestRuntime.kill', () => {
  it('sends the signals of one turn in one guest process, in order, and answers each caller', async () => {
    const { guest, spawns } = fakeGuest('E 1 error opening file `/run/crun/gone/status`: No such file or directory\n');
    const runtime = new GuestRuntime(guest);
    const results = await Promise.all([runtime.kill('a', 15), runtime.kill('gone', 15), runtime.kill('a', 9)]);
    expect(spawns).toHaveLength(1);
    expect(spawns[0]!.slice(0, 2)).toEqual(['sh', '-c']);
    expect(spawns[0]!.slice(3)).toEqual(['sh', 'a:15', 'gone:15', 'a:9']);
    expect(results).toEqual([
      { code: 0, stdout: '', stderr: '' },
      { code: 1, stdout: '', stderr: 'error opening file `/run/crun/gone/status`: No such file or directory' },
      { code: 0, stdout: '', stderr: '' },
    ]);
    // A later signal is a new batch.
    await runtime.kill('b', 2);
    expect(spawns.map((s) => s.slice(4))).toEqual([['a:15', 'gone:15', 'a:9'], ['b:2']]);
  });

  it('reads the PID from crun\'s state file with shell builtins (crun only when that file has none)', async () => {
    const { guest, spawns } = fakeGuest('');
    await new GuestRuntime(guest).kill('a', 15);
    const script = spawns[0]![2]!;
    expect(script).toContain('/run/crun/$id/status');
    expect(script).toContain('kill -"$s" "$p"');
    expect(script.split('\n').filter((line) => line.includes('crun kill'))).toEqual(['  elif [ -e "$f" ]; then crun kill "$id" "$s" >/dev/null 2>&1 || echo "E $i crun kill $id $s failed"']);
    // No command substitution (a subshell fork); $((…)) is arithmetic.
    expect(script).not.toMatch(/\$\([^(]/);
  });
});
