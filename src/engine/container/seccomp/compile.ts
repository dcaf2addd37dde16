// Compiles a seccomp profile for one container into the classic BPF program the kernel runs, so
// crun can load it as is (annotation `run.oci.seccomp_bpf_data`) instead of building it with
// libseccomp on every start. Decisions follow libseccomp as crun drives it: a foreign arch kills,
// names the i386 table lacks are skipped, rules with the default action are dropped, arguments
// are compared on their 32 bits, and a syscall's rules are alternatives tried in order.
//
// Layout: arch check, load nr, then a binary search over ranges of numbers sharing one decision
// (≈9 comparisons for any syscall, against ~300 for a linear chain); conditional syscalls end in
// a small block of argument tests.
import {
  AUDIT_ARCH_I386,
  BPF_MAX_INSTRUCTIONS,
  BpfOp,
  encodeProgram,
  insn,
  SeccompData,
  SeccompRet,
  type BpfInstruction,
} from './bpf.ts';
import type { ArgCondition, SeccompAction, SeccompProfile } from './profile.ts';
import { selectRules, type SeccompTarget } from './select.ts';
import { i386SyscallNumbers } from './syscalls-i386.ts';

/** A syscall's rules when they test arguments: tried in order, else the default action. */
interface Conditional {
  alternatives: { args: readonly ArgCondition[]; ret: number }[];
}

type Decision = number | Conditional;

export function actionValue(action: SeccompAction): number {
  return action.kind === 'allow' ? SeccompRet.allow : (SeccompRet.errno | (action.errno & 0xffff)) >>> 0;
}

function decisions(profile: SeccompProfile, target: SeccompTarget): { byNr: Map<number, Decision>; fallback: number } {
  const fallback = actionValue(profile.defaultAction);
  const unconditional = new Map<number, number>();
  const conditional = new Map<number, Conditional>();
  for (const rule of selectRules(profile, target)) {
    const ret = actionValue(rule.action);
    if (ret === fallback) continue;
    for (const name of rule.names) {
      const nr = i386SyscallNumbers.get(name);
      if (nr === undefined) continue;
      if (!rule.args?.length) {
        const earlier = unconditional.get(nr);
        if (earlier !== undefined && earlier !== ret) throw new Error(`seccomp: conflicting actions for ${name}`);
        unconditional.set(nr, ret);
      } else {
        const entry = conditional.get(nr) ?? { alternatives: [] };
        entry.alternatives.push({ args: rule.args, ret });
        conditional.set(nr, entry);
      }
    }
  }
  // A rule without arguments makes the syscall's argument rules moot.
  const byNr = new Map<number, Decision>(conditional);
  for (const [nr, ret] of unconditional) byNr.set(nr, ret);
  return { byNr, fallback };
}

interface Range {
  start: number;
  decision: Decision;
}

function ranges(byNr: Map<number, Decision>, fallback: number): Range[] {
  const out: Range[] = [];
  const last = Math.max(-1, ...byNr.keys());
  for (let nr = 0; nr <= last + 1; nr++) {
    const decision = byNr.get(nr) ?? fallback;
    const previous = out.at(-1);
    if (previous && typeof decision === 'number' && previous.decision === decision) continue;
    out.push({ start: nr, decision });
  }
  return out;
}

function argumentTest(cond: ArgCondition, fail: number): BpfInstruction[] {
  if (cond.value > 0xffffffff || (cond.mask ?? 0) > 0xffffffff) throw new Error('seccomp: argument datum wider than 32 bits');
  const load = insn(BpfOp.loadWord, SeccompData.argLow(cond.index));
  // `fail` counts the instructions after the jump that a failed test skips.
  switch (cond.op) {
    case 'eq':
      return [load, insn(BpfOp.jumpEq, cond.value, 0, fail)];
    case 'ne':
      return [load, insn(BpfOp.jumpEq, cond.value, fail, 0)];
    case 'gt':
      return [load, insn(BpfOp.jumpGt, cond.value, 0, fail)];
    case 'ge':
      return [load, insn(BpfOp.jumpGe, cond.value, 0, fail)];
    case 'lt':
      return [load, insn(BpfOp.jumpGe, cond.value, fail, 0)];
    case 'le':
      return [load, insn(BpfOp.jumpGt, cond.value, fail, 0)];
    case 'masked-eq':
      return [load, insn(BpfOp.and, cond.mask ?? 0xffffffff), insn(BpfOp.jumpEq, cond.value, 0, fail)];
  }
}

const testLength = (cond: ArgCondition) => (cond.op === 'masked-eq' ? 3 : 2);

function conditionalBlock({ alternatives }: Conditional, fallback: number): BpfInstruction[] {
  const out: BpfInstruction[] = [];
  for (const { args, ret } of alternatives) {
    // Each failed test jumps past the rest of this alternative, to the next one.
    let remaining = args.reduce((n, c) => n + testLength(c), 0) + 1;
    for (const cond of args) {
      remaining -= testLength(cond);
      out.push(...argumentTest(cond, remaining));
    }
    out.push(insn(BpfOp.ret, ret));
  }
  out.push(insn(BpfOp.ret, fallback));
  return out;
}

/** A subtree deciding every nr in ranges[lo..hi]; every path ends in a return. */
function searchTree(rs: Range[], lo: number, hi: number, fallback: number): BpfInstruction[] {
  if (lo === hi) {
    const { decision } = rs[lo]!;
    return typeof decision === 'number' ? [insn(BpfOp.ret, decision)] : conditionalBlock(decision, fallback);
  }
  const mid = (lo + hi + 1) >> 1;
  const below = searchTree(rs, lo, mid - 1, fallback);
  const above = searchTree(rs, mid, hi, fallback);
  const key = rs[mid]!.start;
  // The A register holds nr again at every node: argument loads happen only in leaves.
  if (below.length <= 255) return [insn(BpfOp.jumpGe, key, below.length, 0), ...below, ...above];
  return [insn(BpfOp.jumpGe, key, 0, 1), insn(BpfOp.jump, below.length), ...below, ...above];
}

export function compileProgram(profile: SeccompProfile, target: SeccompTarget): BpfInstruction[] {
  const { byNr, fallback } = decisions(profile, target);
  const rs = ranges(byNr, fallback);
  const program = [
    insn(BpfOp.loadWord, SeccompData.arch),
    insn(BpfOp.jumpEq, AUDIT_ARCH_I386, 1, 0),
    insn(BpfOp.ret, SeccompRet.killThread),
    insn(BpfOp.loadWord, SeccompData.nr),
    ...searchTree(rs, 0, rs.length - 1, fallback),
  ];
  if (program.length > BPF_MAX_INSTRUCTIONS) throw new Error(`seccomp: program of ${program.length} instructions is too long`);
  return program;
}

/** The filter for a container with these bounding capabilities, as `struct sock_filter[]` bytes. */
export function compileSeccomp(profile: SeccompProfile, capabilities: readonly string[]): Uint8Array {
  return encodeProgram(compileProgram(profile, { capabilities }));
}

/** crun 1.8.1 reads the annotation as standard padded base64 of the raw program. */
export function seccompAnnotationValue(program: Uint8Array): string {
  let binary = '';
  for (const byte of program) binary += String.fromCharCode(byte);
  return btoa(binary);
}
