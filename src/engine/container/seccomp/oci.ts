// The same selection as the BPF compiler, written as the runtime-spec `linux.seccomp` object Docker
// puts in config.json (what `docker inspect`-level tooling and crun's libseccomp path understand).
import type { ArgOp, SeccompAction, SeccompProfile } from './profile.ts';
import { selectRules, type SeccompTarget } from './select.ts';

export interface OciSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

export interface OciSeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls?: OciSeccompSyscall[];
}

const opNames: Record<ArgOp, string> = {
  eq: 'SCMP_CMP_EQ',
  ne: 'SCMP_CMP_NE',
  lt: 'SCMP_CMP_LT',
  le: 'SCMP_CMP_LE',
  gt: 'SCMP_CMP_GT',
  ge: 'SCMP_CMP_GE',
  'masked-eq': 'SCMP_CMP_MASKED_EQ',
};

const actionName = (a: SeccompAction) => (a.kind === 'allow' ? 'SCMP_ACT_ALLOW' : 'SCMP_ACT_ERRNO');

export function ociSeccomp(profile: SeccompProfile, target: SeccompTarget): OciSeccomp {
  const { defaultAction } = profile;
  return {
    defaultAction: actionName(defaultAction),
    ...(defaultAction.kind === 'errno' ? { defaultErrnoRet: defaultAction.errno } : {}),
    syscalls: selectRules(profile, target).map((rule) => ({
      names: [...rule.names],
      action: actionName(rule.action),
      ...(rule.action.kind === 'errno' ? { errnoRet: rule.action.errno } : {}),
      ...(rule.args?.length
        ? {
            args: rule.args.map((a) =>
              // SCMP_CMP_MASKED_EQ takes the mask as `value` and the expected bits as `valueTwo`.
              a.op === 'masked-eq'
                ? { index: a.index, value: a.mask ?? 0xffffffff, valueTwo: a.value, op: opNames[a.op] }
                : { index: a.index, value: a.value, op: opNames[a.op] },
            ),
          }
        : {}),
    })),
  };
}
