// Which rules of a profile apply to one container, decided as moby's setupSeccomp does: a rule is
// dropped when an `excludes` condition holds, or when an `includes` condition does not.
import type { RuleFilter, SeccompProfile, SyscallRule } from './profile.ts';

export interface SeccompTarget {
  /** The container's bounding capabilities (`CAP_*`). */
  capabilities: readonly string[];
  /** moby's native arch name; the guest is i386, which moby calls `x86`. */
  arch?: string;
  /** Running kernel `major.minor`. */
  kernel?: string;
}

export const GUEST_ARCH = 'x86';
export const GUEST_KERNEL = '6.1';

function kernelAtLeast(running: string, wanted: string): boolean {
  const [ra = 0, rb = 0] = running.split('.').map(Number);
  const [wa = 0, wb = 0] = wanted.split('.').map(Number);
  return ra !== wa ? ra > wa : rb >= wb;
}

export function selectRules(profile: SeccompProfile, target: SeccompTarget): SyscallRule[] {
  const arch = target.arch ?? GUEST_ARCH;
  const kernel = target.kernel ?? GUEST_KERNEL;
  const caps = new Set(target.capabilities);
  const excluded = (f: RuleFilter) =>
    (f.arches?.includes(arch) ?? false) ||
    (f.caps?.some((c) => caps.has(c)) ?? false) ||
    (f.minKernel !== undefined && kernelAtLeast(kernel, f.minKernel));
  const included = (f: RuleFilter) =>
    (f.arches === undefined || f.arches.length === 0 || f.arches.includes(arch)) &&
    (f.caps?.every((c) => caps.has(c)) ?? true) &&
    (f.minKernel === undefined || kernelAtLeast(kernel, f.minKernel));
  return profile.rules.filter((rule) => !(rule.excludes && excluded(rule.excludes)) && (!rule.includes || included(rule.includes)));
}
