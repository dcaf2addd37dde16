// --security-opt as the daemon reads it (moby parseSecurityOpt): seccomp and no-new-privileges
// matter here; AppArmor and SELinux labels are accepted and ignored (the guest has neither).

export interface SecurityOptions {
  /** `default` = Docker's profile, `unconfined` = no filter. */
  seccomp: 'default' | 'unconfined';
  noNewPrivileges: boolean;
  writableCgroups?: boolean;
}

const goBools: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

export function parseSecurityOptions(options: readonly string[] = []): SecurityOptions {
  const parsed: SecurityOptions = { seccomp: 'default', noNewPrivileges: false };
  for (const opt of options) {
    if (opt === 'no-new-privileges') {
      parsed.noNewPrivileges = true;
      continue;
    }
    if (opt === 'writable-cgroups') {
      parsed.writableCgroups = true;
      continue;
    }
    if (opt === 'disable') continue;
    // `=` is the separator; `:` is the deprecated one Docker still accepts.
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
    if (sep === undefined) throw new Error(`invalid --security-opt 1: ${JSON.stringify(opt)}`);
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    const bool = goBools[value];
    switch (key) {
      case 'label':
      case 'apparmor':
        break;
      case 'seccomp':
        if (value === 'unconfined') parsed.seccomp = 'unconfined';
        else if (value === 'builtin' || value === '') parsed.seccomp = 'default';
        // The CLI sends a profile file's JSON text here; only the built-in profile is compiled.
        else throw new Error('custom seccomp profiles are not supported: use seccomp=unconfined or the default profile');
        break;
      case 'no-new-privileges':
      case 'writable-cgroups':
        if (bool === undefined) throw new Error(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
        if (key === 'no-new-privileges') parsed.noNewPrivileges = bool;
        else parsed.writableCgroups = bool;
        break;
      default:
        throw new Error(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
    }
  }
  return parsed;
}
