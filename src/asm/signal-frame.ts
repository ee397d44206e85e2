// Signal delivery to assembly programs, as Linux does it on i386 and x86_64: an assembly program is
// one step function whose registers live in its frame's locals (codegen.ts), so the kernel cannot
// push a handler call frame as it does for compiled C. Instead it builds the signal frame on the
// user stack (arch/x86/kernel/signal.c): return address, signal number, saved registers, eflags
// and eip in a struct sigcontext, the blocked mask; then points eip at the handler. The handler's
// `ret` reaches the restorer (i386: the vDSO's __kernel_sigreturn / __kernel_rt_sigreturn, or
// sa_restorer with SA_RESTORER; x86_64: sa_restorer, which SA_RESTORER must give), which makes
// sigreturn / rt_sigreturn, and the kernel restores the registers from the frame.
import type { Cpu, Frame } from '../runtime/cpu.js';
import type { Int64 } from '../runtime/int64.js';
import { VDSO_RT_SIGRETURN, VDSO_SIGRETURN } from './codegen.js';

/** What an assembly program's step function tells the kernel (generated in codegen.ts). */
export interface AsmStepInfo {
  arch: 'i386' | 'x86_64';
  /** Readies the registers: initialised, and eax/rax holding the result of a finished call. */
  settle(P: Cpu, F: Frame): void;
  /** The address of instruction index k (the frame's pc). */
  addrOf(k: number): number | undefined;
  /** The instruction index at an address, if an instruction starts there. */
  pcOf(addr: number): number | undefined;
}

/** The running assembly program's frame and step info, when the cpu runs one. */
export function asmProgram(cpu: Cpu): { F: Frame; asm: AsmStepInfo } | undefined {
  const F = cpu.frames[cpu.frames.length - 1];
  const asm = (F?.fn.step as { asm?: AsmStepInfo } | undefined)?.asm;
  return F && asm ? { F, asm } : undefined;
}

export interface AsmSignal {
  signo: number;
  handler: number;
  flags: number;
  restorer: Int64;
  /** The mask sigreturn restores. */
  savedMask: bigint;
  info: { code: number; pid?: number; uid?: number; status?: number; addr?: Int64 };
  /** An interrupted call to make again after the handler (SA_RESTART): eip goes back to its instruction. */
  restart?: { nr: number };
}

const SA_SIGINFO = 4;
const SA_RESTORER = 0x04000000;

// eflags bits kept in the frame's locals (codegen.ts SLOT): CF 16, ZF 17, SF 18, OF 19, PF from 20.
function parityEven(b: number): boolean {
  b ^= b >> 4;
  b ^= b >> 2;
  b ^= b >> 1;
  return (b & 1) === 0;
}
function eflagsOf(L: unknown[]): number {
  return 0x202 | (L[16] ? 0x1 : 0) | (parityEven(Number(L[20]) & 0xff) ? 0x4 : 0) | (L[17] ? 0x40 : 0) | (L[18] ? 0x80 : 0) | (L[19] ? 0x800 : 0);
}
function setEflags(L: unknown[], f: number): void {
  L[16] = f & 0x1 ? 1 : 0;
  L[17] = f & 0x40 ? 1 : 0;
  L[18] = f & 0x80 ? 1 : 0;
  L[19] = f & 0x800 ? 1 : 0;
  L[20] = f & 0x4 ? 0 : 1; // a low byte with PF's parity
}

/** struct sigcontext register order (i386), as numbers of the frame's register slots. */
const I386_SC = [/* edi */ 7, /* esi */ 6, /* ebp */ 5, /* esp */ 4, /* ebx */ 3, /* edx */ 2, /* ecx */ 1, /* eax */ 0];
/** struct sigcontext register order (x86_64): r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp. */
const X64_SC = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];

/**
 * Builds the signal frame and enters the handler. False when Linux would force SIGSEGV instead: the
 * stack cannot hold the frame, the handler is not an instruction, or (x86_64) no SA_RESTORER.
 */
export function pushAsmSignalFrame(cpu: Cpu, s: AsmSignal): boolean {
  const prog = asmProgram(cpu);
  if (!prog) return false;
  const { F, asm } = prog;
  asm.settle(cpu, F);
  const L = F.l;
  const handlerPc = asm.pcOf(s.handler);
  if (handlerPc === undefined) return false;
  let pc = F.pc;
  if (s.restart) pc -= 1; // back to the int $0x80 / syscall instruction, eax/rax = the call number
  const eip = asm.addrOf(pc);
  if (eip === undefined) return false;
  const M = cpu.mem;
  const rt = (s.flags & SA_SIGINFO) !== 0;
  try {
    if (asm.arch === 'i386') {
      const regs = I386_SC.map((r) => (r === 0 && s.restart ? s.restart.nr : Number(L[r]) >>> 0));
      const restorer = s.flags & SA_RESTORER ? Number(BigInt.asUintN(32, BigInt(s.restorer))) : rt ? VDSO_RT_SIGRETURN : VDSO_SIGRETURN;
      const size = rt ? 268 : 108;
      const frame = ((((Number(L[4]) >>> 0) - size + 4) & ~15) - 4) >>> 0;
      const writeSc = (at: number, oldmask: number) => {
        M.fill(at, 0, 88);
        M.w32(at, 0x33); // gs
        M.w32(at + 8, 0x7b); // es
        M.w32(at + 12, 0x7b); // ds
        regs.forEach((v, i) => M.w32(at + 16 + i * 4, v));
        M.w32(at + 48, 0); // trapno
        M.w32(at + 56, eip);
        M.w32(at + 60, 0x73); // cs
        M.w32(at + 64, eflagsOf(L));
        M.w32(at + 68, Number(L[4]) >>> 0); // esp at signal
        M.w32(at + 72, 0x7b); // ss
        M.w32(at + 80, oldmask);
      };
      M.w32(frame, restorer);
      M.w32(frame + 4, s.signo);
      if (!rt) {
        // struct sigframe: pretcode, sig, sc, extramask, retcode.
        writeSc(frame + 8, Number(s.savedMask & 0xffffffffn));
        M.w32(frame + 96, Number((s.savedMask >> 32n) & 0xffffffffn));
        writeRetcode(M, frame + 100, false);
      } else {
        // struct rt_sigframe: pretcode, sig, pinfo, puc, info (128), uc (flags, link, stack, mcontext, sigmask), retcode.
        M.w32(frame + 8, frame + 16);
        M.w32(frame + 12, frame + 144);
        writeSiginfo(M, frame + 16, s, 12);
        M.fill(frame + 144, 0, 20);
        M.w32(frame + 156, 2); // uc_stack.ss_flags = SS_DISABLE
        writeSc(frame + 164, Number(s.savedMask & 0xffffffffn));
        M.w64(frame + 252, BigInt.asIntN(64, s.savedMask));
        writeRetcode(M, frame + 260, true);
      }
      L[4] = frame;
      L[0] = s.signo;
      L[1] = 0;
      L[2] = 0;
    } else {
      if (!(s.flags & SA_RESTORER)) return false;
      const sp = BigInt.asUintN(64, L[4] as bigint) - 128n; // the red zone
      const size = 448n;
      const frame = Number(((sp - size) & ~15n) - 8n);
      const uc = frame + 8;
      const info = frame + 320;
      M.fill(frame, 0, 448);
      M.w64(frame, BigInt.asIntN(64, BigInt(s.restorer)));
      M.w32(uc + 16 + 8, 2); // uc_stack.ss_flags = SS_DISABLE
      const sc = uc + 40;
      X64_SC.forEach((r, i) => {
        const v = r === 0 && s.restart ? BigInt(s.restart.nr) : (L[r] as bigint);
        M.w64(sc + i * 8, BigInt.asIntN(64, v));
      });
      M.w64(sc + 128, BigInt(eip));
      M.w64(sc + 136, BigInt(eflagsOf(L)));
      M.w16(sc + 144, 0x33); // cs
      M.w16(sc + 150, 0x2b); // ss
      M.w64(sc + 168, BigInt.asIntN(64, s.savedMask & 0xffffffffn)); // oldmask
      M.w64(uc + 296, BigInt.asIntN(64, s.savedMask));
      writeSiginfo(M, info, s, 16);
      L[4] = BigInt(frame);
      L[7] = BigInt(s.signo);
      L[6] = BigInt(info);
      L[2] = BigInt(uc);
      L[0] = 0n;
    }
  } catch {
    return false;
  }
  F.pc = handlerPc;
  return true;
}

/** The retcode Linux still writes for old debuggers: popl %eax; movl $119, %eax; int $0x80 (or movl $173...). */
function writeRetcode(M: Cpu['mem'], at: number, rt: boolean): void {
  const bytes = rt ? [0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0] : [0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80];
  M.write(at, new Uint8Array(bytes));
}

function writeSiginfo(M: Cpu['mem'], at: number, s: AsmSignal, union: number): void {
  M.fill(at, 0, 128);
  M.w32(at, s.signo);
  M.w32(at + 8, s.info.code);
  if (s.info.addr !== undefined) {
    if (union === 16) M.w64(at + 16, BigInt.asIntN(64, BigInt(s.info.addr)));
    else M.w32(at + union, Number(BigInt.asUintN(32, BigInt(s.info.addr))));
    return;
  }
  M.w32(at + union, s.info.pid ?? 0);
  M.w32(at + union + 4, s.info.uid ?? 0);
  if (s.info.status !== undefined) M.w32(at + union + 8, s.info.status);
}

/**
 * sigreturn (rt: rt_sigreturn) from an assembly program's handler: reads the frame the restorer
 * left below the stack pointer, restores the registers, eflags, eip and the mask. Returns the
 * restored eax/rax (the call's result), or undefined when the frame is unreadable or eip is not an
 * instruction (Linux then kills with SIGSEGV).
 */
export function popAsmSignalFrame(cpu: Cpu, rt: boolean): { mask: bigint; rv: Int64 } | undefined {
  const prog = asmProgram(cpu);
  if (!prog) return undefined;
  const { F, asm } = prog;
  asm.settle(cpu, F);
  const L = F.l;
  const M = cpu.mem;
  try {
    if (asm.arch === 'i386') {
      const esp = Number(L[4]) >>> 0;
      // sigreturn: __kernel_sigreturn popped the signal number after `ret` popped pretcode.
      const frame = (esp - (rt ? 4 : 8)) >>> 0;
      const sc = rt ? frame + 164 : frame + 8;
      const eip = M.u32(sc + 56);
      const k = asm.pcOf(eip);
      if (k === undefined) return undefined;
      const mask = rt
        ? BigInt.asUintN(64, BigInt(M.i64(frame + 252)))
        : BigInt(M.u32(sc + 80)) | (BigInt(M.u32(frame + 96)) << 32n);
      I386_SC.forEach((r, i) => {
        L[r] = M.u32(sc + 16 + i * 4);
      });
      setEflags(L, M.u32(sc + 64));
      F.pc = k;
      return { mask, rv: (L[0] as number) | 0 };
    }
    const rsp = BigInt.asUintN(64, L[4] as bigint);
    const frame = Number(rsp - 8n);
    const uc = frame + 8;
    const sc = uc + 40;
    const rip = Number(BigInt.asUintN(64, BigInt(M.i64(sc + 128))));
    const k = asm.pcOf(rip);
    if (k === undefined) return undefined;
    const mask = BigInt.asUintN(64, BigInt(M.i64(uc + 296)));
    X64_SC.forEach((r, i) => {
      L[r] = BigInt.asUintN(64, BigInt(M.i64(sc + i * 8)));
    });
    setEflags(L, Number(BigInt.asUintN(32, BigInt(M.i64(sc + 136)))));
    F.pc = k;
    const rax = BigInt.asIntN(64, L[0] as bigint);
    return { mask, rv: rax >= -9007199254740991n && rax <= 9007199254740991n ? Number(rax) : rax };
  } catch {
    return undefined;
  }
}
