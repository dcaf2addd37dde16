// Classic BPF as seccomp runs it: opcodes, return values and the `struct sock_filter` encoding
// (u16 code, u8 jt, u8 jf, u32 k; little-endian, as on i386).

export const BpfOp = {
  loadWord: 0x20, // BPF_LD | BPF_W | BPF_ABS
  and: 0x54, // BPF_ALU | BPF_AND | BPF_K
  jump: 0x05, // BPF_JMP | BPF_JA
  jumpEq: 0x15, // BPF_JMP | BPF_JEQ | BPF_K
  jumpGt: 0x25, // BPF_JMP | BPF_JGT | BPF_K
  jumpGe: 0x35, // BPF_JMP | BPF_JGE | BPF_K
  jumpSet: 0x45, // BPF_JMP | BPF_JSET | BPF_K
  ret: 0x06, // BPF_RET | BPF_K
} as const;

/** SECCOMP_RET_* values (include/uapi/linux/seccomp.h). */
export const SeccompRet = {
  killThread: 0x00000000,
  killProcess: 0x80000000,
  errno: 0x00050000,
  allow: 0x7fff0000,
} as const;

/** Offsets into `struct seccomp_data`. */
export const SeccompData = {
  nr: 0,
  arch: 4,
  /** Low 32 bits of args[i]; a 32-bit task's arguments never have high bits. */
  argLow: (index: number) => 16 + 8 * index,
  size: 64,
} as const;

export const AUDIT_ARCH_I386 = 0x40000003;

/** The kernel refuses longer programs (BPF_MAXINSNS). */
export const BPF_MAX_INSTRUCTIONS = 4096;

export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export const insn = (code: number, k: number, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k: k >>> 0 });

export function encodeProgram(program: readonly BpfInstruction[]): Uint8Array {
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  program.forEach(({ code, jt, jf, k }, i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k, true);
  });
  return bytes;
}

export function decodeProgram(bytes: Uint8Array): BpfInstruction[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 8 }, (_, i) => ({
    code: view.getUint16(i * 8, true),
    jt: view.getUint8(i * 8 + 2),
    jf: view.getUint8(i * 8 + 3),
    k: view.getUint32(i * 8 + 4, true),
  }));
}
