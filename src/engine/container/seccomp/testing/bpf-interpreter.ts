// A classic-BPF interpreter for the instructions seccomp filters use, run the way the kernel runs
// them (forward jumps only, A register, falling off the end is an error), to check what a compiled
// filter decides for a syscall.
import { AUDIT_ARCH_I386, BpfOp, SeccompData, decodeProgram, type BpfInstruction } from '../bpf.ts';

export interface SyscallCall {
  nr: number;
  args?: readonly number[];
  arch?: number;
}

export function seccompData({ nr, args = [], arch = AUDIT_ARCH_I386 }: SyscallCall): DataView {
  const view = new DataView(new ArrayBuffer(SeccompData.size));
  view.setUint32(SeccompData.nr, nr, true);
  view.setUint32(SeccompData.arch, arch, true);
  args.forEach((a, i) => view.setUint32(SeccompData.argLow(i), a >>> 0, true));
  return view;
}

/** Runs the filter; returns its SECCOMP_RET_* value and how many instructions ran. */
export function runFilter(program: Uint8Array | readonly BpfInstruction[], call: SyscallCall): { ret: number; steps: number } {
  const code = program instanceof Uint8Array ? decodeProgram(program) : program;
  const data = seccompData(call);
  let a = 0;
  let pc = 0;
  for (let steps = 1; ; steps++) {
    const i = code[pc];
    if (!i) throw new Error(`fell off the program at ${pc}`);
    const branch = (taken: boolean) => (pc += 1 + (taken ? i.jt : i.jf));
    switch (i.code) {
      case BpfOp.loadWord:
        if (i.k % 4 !== 0 || i.k >= SeccompData.size) throw new Error(`bad load offset ${i.k}`);
        a = data.getUint32(i.k, true);
        pc++;
        break;
      case BpfOp.and:
        a = (a & i.k) >>> 0;
        pc++;
        break;
      case BpfOp.jump:
        pc += 1 + i.k;
        break;
      case BpfOp.jumpEq:
        branch(a === i.k);
        break;
      case BpfOp.jumpGt:
        branch(a > i.k);
        break;
      case BpfOp.jumpGe:
        branch(a >= i.k);
        break;
      case BpfOp.jumpSet:
        branch((a & i.k) !== 0);
        break;
      case BpfOp.ret:
        return { ret: i.k, steps };
      default:
        throw new Error(`unknown opcode 0x${i.code.toString(16)} at ${pc}`);
    }
  }
}
