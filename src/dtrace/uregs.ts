// D's uregs[]: the traced task's saved user registers at a probe, indexed by the R_* constants of
// dtrace's regs.d (illumos/FreeBSD numbering: the i386 set 0..18, the amd64 set from 19 on, where
// an i386 name on amd64 reads the matching 64-bit register, as dtrace_getreg does).
//
// What ksim has of a task's registers: an assembly program keeps its general registers and flags
// in its frame (src/asm/codegen.ts), so they are exact; a C program's registers are not modelled,
// so only the syscall ABI's ones are known (eax/rax the number, the argument registers, the stack
// pointer) and the others read 0. At a return probe eax/rax is the value the caller gets back.
// R_PC is the address ustack() shows for the innermost user frame (x86_64 assembly: rcx, the
// address `syscall` saved). Segment registers are the user selectors Linux loads.
import type { Int64 } from '../kernel/events.js';
import type { Cpu } from '../runtime/cpu.js';
import { SLOT } from '../asm/codegen.js';

const I386 = ['GS', 'FS', 'ES', 'DS', 'EDI', 'ESI', 'EBP', 'ESP', 'EBX', 'EDX', 'ECX', 'EAX', 'TRAPNO', 'ERR', 'EIP', 'CS', 'EFL', 'UESP', 'SS'];
/** sys/regset.h REG_* order for amd64; D's index is 19 + REG_x. */
const AMD64 = ['R15', 'R14', 'R13', 'R12', 'R11', 'R10', 'R9', 'R8', 'RDI', 'RSI', 'RBP', 'RBX', 'RDX', 'RCX', 'RAX', 'TRAPNO', 'ERR', 'RIP', 'CS', 'RFL', 'RSP', 'SS', 'FS', 'GS', 'ES', 'DS', 'FSBASE', 'GSBASE'];
const AMD64_BASE = I386.length;

/** The R_* inline constants dtrace defines for an architecture (regs.d). */
export function registerConstants(arch: 'x86_64' | 'i386'): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  I386.forEach((n, i) => (out[`R_${n}`] = BigInt(i)));
  if (arch === 'i386') {
    Object.assign(out, { R_PC: 14n, R_SP: 17n, R_PS: 16n, R_R0: 11n, R_R1: 8n });
    return out;
  }
  AMD64.forEach((n, i) => {
    // TRAPNO/ERR/CS/SS/FS/GS/ES/DS keep their i386 constants (dtrace maps them to the 64-bit ones).
    if (!(`R_${n}` in out)) out[`R_${n}`] = BigInt(AMD64_BASE + i);
  });
  Object.assign(out, { R_PC: out['R_RIP']!, R_SP: out['R_RSP']!, R_PS: out['R_RFL']!, R_R0: out['R_RAX']!, R_R1: out['R_RBX']! });
  return out;
}

/** i386 index → the amd64 register it reads on a 64-bit machine (dtrace_getreg's regmap). */
const I386_ON_AMD64: Record<string, string> = {
  GS: 'GS', FS: 'FS', ES: 'ES', DS: 'DS', EDI: 'RDI', ESI: 'RSI', EBP: 'RBP', ESP: 'RSP', EBX: 'RBX', EDX: 'RDX', ECX: 'RCX',
  EAX: 'RAX', TRAPNO: 'TRAPNO', ERR: 'ERR', EIP: 'RIP', CS: 'CS', EFL: 'RFL', UESP: 'RSP', SS: 'SS',
};

/** The syscall in progress: its number and raw argument registers; ret once it returned. */
export interface TrapState {
  nr: number;
  args: readonly Int64[];
  ret?: Int64;
}

/** A register reader for a task: undefined for an index past the architecture's set. */
export type RegisterReader = (index: number) => bigint | undefined;

/** Reads the saved user registers of a task whose user CPU is cpu, stopped in trap. */
export function userRegisters(arch: 'x86_64' | 'i386', cpu: Cpu | null | undefined, trap: TrapState | undefined): RegisterReader {
  const regs = arch === 'i386' ? i386Regs(cpu, trap) : amd64Regs(cpu, trap);
  return (index) => {
    if (index < 0) return undefined;
    if (arch === 'i386') {
      const name = I386[index];
      return name === undefined ? undefined : BigInt.asUintN(32, regs[name] ?? 0n);
    }
    const name = index < AMD64_BASE ? I386_ON_AMD64[I386[index]!] : AMD64[index - AMD64_BASE];
    return name === undefined ? undefined : BigInt.asUintN(64, regs[name] ?? 0n);
  };
}

const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n);

/** The frame of an assembly program (its registers live in F.l), if that is what runs. */
function asmFrame(cpu: Cpu | null | undefined): unknown[] | undefined {
  const F = cpu?.frames[cpu.frames.length - 1];
  if (!F || F.fn.nlocals !== SLOT.COUNT || F.l[SLOT.READY] !== 1) return undefined;
  return F.l;
}

function eflags(l: unknown[]): bigint {
  const pfb = Number(l[SLOT.PFB] ?? 0) & 0xff;
  let p = pfb ^ (pfb >> 4);
  p ^= p >> 2;
  p ^= p >> 1;
  const bit = (slot: number, b: number) => (l[slot] ? 1 << b : 0);
  return BigInt(0x202 | bit(SLOT.CF, 0) | ((p & 1) === 0 ? 1 << 2 : 0) | bit(SLOT.ZF, 6) | bit(SLOT.SF, 7) | bit(SLOT.OF, 11));
}

function pcOf(cpu: Cpu | null | undefined): bigint {
  const top = cpu?.callStack()[0];
  return top ? big(top.addr) : 0n;
}

function i386Regs(cpu: Cpu | null | undefined, trap: TrapState | undefined): Record<string, bigint> {
  const r: Record<string, bigint> = { CS: 0x73n, SS: 0x7bn, DS: 0x7bn, ES: 0x7bn, FS: 0n, GS: 0n, TRAPNO: 0n, ERR: 0n, EFL: 0x202n };
  const l = asmFrame(cpu);
  if (l) {
    ['EAX', 'ECX', 'EDX', 'EBX', 'ESP', 'EBP', 'ESI', 'EDI'].forEach((n, i) => (r[n] = big(l[i])));
    r['EFL'] = eflags(l);
  } else if (trap) {
    // int $0x80: eax the number, ebx ecx edx esi edi ebp the arguments.
    ['EBX', 'ECX', 'EDX', 'ESI', 'EDI', 'EBP'].forEach((n, i) => (r[n] = big(trap.args[i])));
    r['EAX'] = BigInt(trap.nr);
    r['ESP'] = big(cpu?.sp);
  } else r['ESP'] = big(cpu?.sp);
  if (trap?.ret !== undefined) r['EAX'] = big(trap.ret);
  r['UESP'] = r['ESP']!;
  r['EIP'] = pcOf(cpu);
  return r;
}

function amd64Regs(cpu: Cpu | null | undefined, trap: TrapState | undefined): Record<string, bigint> {
  const r: Record<string, bigint> = { CS: 0x33n, SS: 0x2bn, DS: 0n, ES: 0n, FS: 0n, GS: 0n, FSBASE: 0n, GSBASE: 0n, TRAPNO: 0n, ERR: 0n, RFL: 0x202n };
  const l = asmFrame(cpu);
  const names = ['RAX', 'RCX', 'RDX', 'RBX', 'RSP', 'RBP', 'RSI', 'RDI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'];
  if (l) {
    names.forEach((n, i) => (r[n] = big(l[i])));
    r['RFL'] = eflags(l);
    r['RIP'] = trap ? r['RCX']! : pcOf(cpu);
  } else {
    if (trap) {
      // syscall: rax the number, rdi rsi rdx r10 r8 r9 the arguments.
      ['RDI', 'RSI', 'RDX', 'R10', 'R8', 'R9'].forEach((n, i) => (r[n] = big(trap.args[i])));
      r['RAX'] = BigInt(trap.nr);
    }
    r['RSP'] = big(cpu?.sp);
    r['RIP'] = pcOf(cpu);
  }
  if (trap?.ret !== undefined) r['RAX'] = big(trap.ret);
  return r;
}
