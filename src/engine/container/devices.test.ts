// `--device` at start: the guest's answer about each host path, turned into spec devices or
// moby's error (oci.DevicesFromPath).
import { describe, expect, it } from 'vitest';
import { gatherDevices } from './devices.ts';

const runtime = (stdout: string) => ({ argv: [] as string[], run: async function (argv: string[]) { this.argv = argv; return { code: 0, stdout, stderr: '' }; } });
const mapping = (host: string, ctr = host, perms = 'rwm') => ({ PathOnHost: host, PathInContainer: ctr, CgroupPermissions: perms });

describe('gatherDevices', () => {
  it('asks the guest once, for every path', async () => {
    const rt = runtime('P /dev/zero\nF 21b6 1 5 0 0 /dev/zero\nP /dev/null\nF 21b6 1 3 0 0 /dev/null\n');
    const devices = await gatherDevices(rt, [mapping('/dev/zero', '/dev/myzero', 'r'), mapping('/dev/null')]);
    expect(rt.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(rt.argv.slice(3)).toEqual(['sh', '/dev/zero', '/dev/null']);
    expect(devices).toEqual([
      { path: '/dev/myzero', type: 'c', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0, permissions: 'r' },
      { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0, permissions: 'rwm' },
    ]);
  });

  it('maps the nodes under a directory below the container path; block devices are b', async () => {
    const rt = runtime('P /dev/disks\nF 61b0 8 0 0 6 /dev/disks/sda\nF 61b0 8 1 0 6 /dev/disks/sda1\n');
    expect((await gatherDevices(rt, [mapping('/dev/disks', '/dev/d')])).map((d) => [d.path, d.type, d.minor, d.fileMode, d.gid])).toEqual([
      ['/dev/d/sda', 'b', 0, 0o660, 6],
      ['/dev/d/sda1', 'b', 1, 0o660, 6],
    ]);
  });

  it.each([
    ['P /nonexistent\nE no such file or directory\n', '/nonexistent', 'error gathering device information while adding custom device "/nonexistent": no such file or directory'],
    ['P /etc/passwd\nE not a device node\n', '/etc/passwd', 'error gathering device information while adding custom device "/etc/passwd": not a device node'],
    ['P /tmp\n', '/tmp', 'error gathering device information while adding custom device "/tmp": not a device node'],
  ])('fails the start in moby\'s words: %s', async (stdout, host, message) => {
    await expect(gatherDevices(runtime(stdout), [mapping(host)])).rejects.toMatchObject({ message, exitCode: 128 });
  });

  it('does not ask the guest without devices', async () => {
    const rt = runtime('');
    expect(await gatherDevices(rt, [])).toEqual([]);
    expect(rt.argv).toEqual([]);
  });
});
