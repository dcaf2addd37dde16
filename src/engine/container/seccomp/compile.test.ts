import { describe, expect, it } from 'vitest';
import { SeccompRet } from './bpf.ts';
import { compileProgram, compileSeccomp, seccompAnnotationValue } from './compile.ts';
import { dockerDefaultProfile } from './profile.ts';
import { selectRules } from './select.ts';
import { i386SyscallNumbers } from './syscalls-i386.ts';
import { runFilter } from './testing/bpf-interpreter.ts';

const dockerCaps = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];
const withAdmin = [...dockerCaps, 'CAP_SYS_ADMIN', 'CAP_SYSLOG', 'CAP_SYS_PTRACE'];

const ALLOW = 'allow';
const EPERM = 'EPERM';
const ENOSYS = 'ENOSYS';
const KILL = 'kill';
const named = (ret: number) =>
  ret === SeccompRet.allow ? ALLOW : ret === (SeccompRet.errno | 1) ? EPERM : ret === (SeccompRet.errno | 38) ? ENOSYS : ret === 0 ? KILL : ret.toString(16);

const nr = (name: string) => {
  const n = i386SyscallNumbers.get(name);
  if (n === undefined) throw new Error(`no i386 syscall ${name}`);
  return n;
};

const defaultFilter = compileSeccomp(dockerDefaultProfile, dockerCaps);
const adminFilter = compileSeccomp(dockerDefaultProfile, withAdmin);

const CLONE_NEWNS = 0x00020000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_THREAD_FLAGS = 0x003d0f00; // what pthread_create passes
const AF_UNIX = 1;
const AF_VSOCK = 40;

describe('compileSeccomp: Docker default profile, default capabilities', () => {
  const cases: [string, number[], string][] = [
    ['read', [], ALLOW],
    ['execve', [], ALLOW],
    ['socketcall', [], ALLOW],
    ['ipc', [], ALLOW],
    ['_llseek', [], ALLOW],
    ['mmap2', [], ALLOW],
    ['modify_ldt', [], ALLOW], // x86-only rule
    ['chroot', [], ALLOW], // CAP_SYS_CHROOT is a default capability
    ['ptrace', [], ALLOW], // minKernel 4.8
    ['socket', [AF_UNIX], ALLOW],
    ['socket', [AF_VSOCK], EPERM],
    ['personality', [0], ALLOW],
    ['personality', [8], ALLOW],
    ['personality', [0x20000], ALLOW],
    ['personality', [0x20008], ALLOW],
    ['personality', [0xffffffff], ALLOW],
    ['personality', [0x0040000], EPERM], // ADDR_NO_RANDOMIZE
    ['clone', [0x01200011], ALLOW], // fork(): SIGCHLD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
    ['clone', [CLONE_THREAD_FLAGS], ALLOW],
    ['clone', [CLONE_NEWNS | 0x11], EPERM],
    ['clone', [CLONE_NEWUSER], EPERM],
    ['clone3', [], ENOSYS],
    ['unshare', [CLONE_NEWUSER], EPERM],
    ['mount', [], EPERM],
    ['umount2', [], EPERM],
    ['setns', [], EPERM],
    ['sethostname', [], EPERM],
    ['syslog', [], EPERM],
    ['swapon', [], EPERM],
    ['reboot', [], EPERM],
    ['keyctl', [], EPERM],
    ['add_key', [], EPERM],
    ['init_module', [], EPERM],
    ['acct', [], EPERM],
    ['settimeofday', [], EPERM],
    ['vhangup', [], EPERM],
    ['iopl', [], EPERM],
    ['kexec_load', [], EPERM],
    ['userfaultfd', [], EPERM],
    ['open_by_handle_at', [], EPERM],
    ['vm86', [], EPERM],
    ['perf_event_open', [], EPERM],
    ['bpf', [], EPERM],
    ['set_mempolicy', [], EPERM],
  ];
  it.each(cases)('%s(%j) → %s', (name, args, want) => {
    expect(named(runFilter(defaultFilter, { nr: nr(name), args }).ret)).toBe(want);
  });

  it('denies numbers past the table and kills a foreign arch', () => {
    expect(named(runFilter(defaultFilter, { nr: 451 }).ret)).toBe(EPERM);
    expect(named(runFilter(defaultFilter, { nr: 0xffffffff }).ret)).toBe(EPERM);
    expect(named(runFilter(defaultFilter, { nr: 0, arch: 0xc000003e }).ret)).toBe(KILL);
  });
});

describe('compileSeccomp: with CAP_SYS_ADMIN, CAP_SYSLOG, CAP_SYS_PTRACE', () => {
  const cases: [string, number[], string][] = [
    ['clone', [CLONE_NEWNS | CLONE_NEWUSER], ALLOW],
    ['clone3', [], ALLOW],
    ['unshare', [CLONE_NEWUSER], ALLOW],
    ['mount', [], ALLOW],
    ['setns', [], ALLOW],
    ['syslog', [], ALLOW],
    ['kcmp', [], ALLOW],
    ['socket', [AF_VSOCK], EPERM],
    ['personality', [0x0040000], EPERM],
    ['reboot', [], EPERM],
  ];
  it.each(cases)('%s(%j) → %s', (name, args, want) => {
    expect(named(runFilter(adminFilter, { nr: nr(name), args }).ret)).toBe(want);
  });
});

describe('compileSeccomp: every syscall number agrees with the rules read directly', () => {
  // Oracle: the first selected rule naming the syscall whose arguments hold, else EPERM.
  const expected = (caps: string[], name: string, args: number[]) => {
    const rules = selectRules(dockerDefaultProfile, { capabilities: caps }).filter((r) => r.names.includes(name));
    const plain = rules.find((r) => !r.args?.length);
    const hit =
      plain ??
      rules.find((r) =>
        r.args!.every((c) => {
          const a = args[c.index] ?? 0;
          return c.op === 'eq' ? a === c.value : c.op === 'ne' ? a !== c.value : c.op === 'masked-eq' ? (a & c.mask!) >>> 0 === c.value : false;
        }),
      );
    if (!hit) return EPERM;
    return hit.action.kind === 'allow' ? ALLOW : hit.action.errno === 38 ? ENOSYS : EPERM;
  };
  it.each([
    ['default', dockerCaps],
    ['admin', withAdmin],
  ] as const)('%s capabilities', (_, caps) => {
    const filter = compileSeccomp(dockerDefaultProfile, caps);
    for (const [name, n] of i386SyscallNumbers) {
      for (const args of [[0], [40], [0x20000], [0x7e020000], [0xffffffff]]) {
        expect([name, named(runFilter(filter, { nr: n, args }).ret)]).toEqual([name, expected([...caps], name, args)]);
      }
    }
  });
});

describe('program shape', () => {
  it('is compact and decides a syscall in at most 11 steps unless it tests arguments', () => {
    const program = compileProgram(dockerDefaultProfile, { capabilities: dockerCaps });
    expect(program.length).toBe(263);
    expect(defaultFilter.length).toBe(263 * 8);
    const steps = (name: string) => runFilter(program, { nr: nr(name), args: [0x7e020000] }).steps;
    const plain = [...i386SyscallNumbers.keys()].filter((n) => !['personality', 'clone', 'socket'].includes(n));
    expect(Math.max(...plain.map(steps))).toBe(11);
    expect(steps('personality')).toBe(21); // falls through all five values
  });

  it('bridges subtrees longer than a conditional jump reaches (255) with ja', () => {
    // Every other syscall allowed: one range per number, a tree far past 255 instructions.
    const names = [...i386SyscallNumbers].filter(([, n]) => n % 2 === 0).map(([name]) => name);
    const profile = { defaultAction: { kind: 'errno', errno: 1 }, rules: [{ names, action: { kind: 'allow' } }] } as const;
    const program = compileProgram(profile, { capabilities: [] });
    expect(program.some((i) => i.code === 0x05)).toBe(true);
    for (const [, n] of i386SyscallNumbers) {
      expect([n, named(runFilter(program, { nr: n }).ret)]).toEqual([n, n % 2 === 0 ? ALLOW : EPERM]);
    }
  });

  it('encodes as crun expects: padded base64 of 8-byte sock_filter entries', () => {
    const value = seccompAnnotationValue(defaultFilter);
    expect(value).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Uint8Array.from(atob(value), (c) => c.charCodeAt(0))).toEqual(defaultFilter);
    // ld [4]; jeq AUDIT_ARCH_I386
    expect([...defaultFilter.subarray(0, 16)]).toEqual([0x20, 0, 0, 0, 4, 0, 0, 0, 0x15, 0, 1, 0, 0x03, 0, 0, 0x40]);
  });
});
