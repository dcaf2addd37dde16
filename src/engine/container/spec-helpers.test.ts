import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES, capabilityMask, containerCapabilities, normalizeCapabilities } from './spec-capabilities.ts';
import { mergeTmpfsOptions } from './spec-mounts.ts';
import { parseSecurityOptions } from './spec-security.ts';

describe('capabilities', () => {
  it("Docker's defaults make CapEff 00000000a80425fb; all of 6.1's make 000001ffffffffff", () => {
    expect(capabilityMask(DEFAULT_CAPABILITIES).toString(16).padStart(16, '0')).toBe('00000000a80425fb');
    expect(capabilityMask(ALL_CAPABILITIES).toString(16).padStart(16, '0')).toBe('000001ffffffffff');
  });

  const d = DEFAULT_CAPABILITIES;
  it.each<[string, string[], string[], boolean, string[]]>([
    ['defaults', [], [], false, [...d]],
    ['privileged', ['NET_ADMIN'], ['ALL'], true, [...ALL_CAPABILITIES]],
    ['add without prefix, any case', ['net_admin'], [], false, [...d, 'CAP_NET_ADMIN']],
    ['drop with prefix', [], ['CAP_CHOWN', 'kill'], false, d.filter((c) => c !== 'CAP_CHOWN' && c !== 'CAP_KILL')],
    ['drop ALL, add some', ['chown', 'SETUID'], ['ALL'], false, ['CAP_CHOWN', 'CAP_SETUID']],
    ['add ALL, drop some', ['ALL'], ['sys_admin'], false, ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_ADMIN')],
    ['add ALL and drop ALL', ['ALL'], ['ALL'], false, [...ALL_CAPABILITIES]],
    ['adding a default keeps moby’s duplicate', ['CHOWN'], [], false, [...d, 'CAP_CHOWN']],
  ])('%s', (_, add, drop, privileged, want) => {
    expect(containerCapabilities(add, drop, privileged)).toEqual(want);
  });

  it('rejects unknown names in moby’s words', () => {
    expect(() => normalizeCapabilities(['foo'])).toThrow('unknown capability: "CAP_FOO"');
    expect(() => containerCapabilities(['CAP_NOPE'])).toThrow('unknown capability: "CAP_NOPE"');
  });
});

describe('parseSecurityOptions', () => {
  it.each<[string[], ReturnType<typeof parseSecurityOptions>]>([
    [[], { seccomp: 'default', noNewPrivileges: false }],
    [['seccomp=unconfined'], { seccomp: 'unconfined', noNewPrivileges: false }],
    [['seccomp:unconfined'], { seccomp: 'unconfined', noNewPrivileges: false }],
    [['seccomp=builtin'], { seccomp: 'default', noNewPrivileges: false }],
    [['no-new-privileges'], { seccomp: 'default', noNewPrivileges: true }],
    [['no-new-privileges:true'], { seccomp: 'default', noNewPrivileges: true }],
    [['no-new-privileges=false'], { seccomp: 'default', noNewPrivileges: false }],
    [['apparmor=unconfined', 'label=disable', 'label:type:svirt_t'], { seccomp: 'default', noNewPrivileges: false }],
    [['writable-cgroups=true'], { seccomp: 'default', noNewPrivileges: false, writableCgroups: true }],
  ])('%j', (options, want) => {
    expect(parseSecurityOptions(options)).toEqual(want);
  });

  it.each([
    ['foo', 'invalid --security-opt 1: "foo"'],
    ['foo=bar', 'invalid --security-opt 2: "foo=bar"'],
    ['no-new-privileges=maybe', 'invalid --security-opt 2: "no-new-privileges=maybe"'],
    ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}', 'custom seccomp profiles are not supported'],
  ])('%s fails', (option, message) => {
    expect(() => parseSecurityOptions([option])).toThrow(message);
  });
});

describe('mergeTmpfsOptions', () => {
  it.each([
    [['noexec', 'nosuid', 'nodev', 'rprivate'], ['noexec', 'nosuid', 'nodev', 'rprivate']],
    [['noexec', 'nosuid', 'nodev', 'rprivate', 'size=1m'], ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=1m']],
    // Later options win and move to where they were last given.
    [['noexec', 'nosuid', 'nodev', 'rprivate', 'exec', 'size=1m', 'size=2m'], ['nosuid', 'nodev', 'rprivate', 'exec', 'size=2m']],
    [['noexec', 'rprivate', 'shared', 'defaults', 'mode=1777', 'ro'], ['noexec', 'shared', 'mode=1777', 'ro']],
  ])('%j → %j', (options, want) => {
    expect(mergeTmpfsOptions(options)).toEqual(want);
  });

  it('rejects what tmpfs does not take, as moby prints it', () => {
    expect(() => mergeTmpfsOptions(['bogus'])).toThrow('invalid tmpfs option ["bogus"]');
    expect(() => mergeTmpfsOptions(['nr_pages=3'])).toThrow('invalid tmpfs option ["nr_pages" "3"]');
  });
});
