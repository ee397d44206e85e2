// FreeBSD's sysent[]: the syscall table as real kernel memory (struct sysent, 48 bytes each), which
// dispatch reads at call time — so module code that writes `sysent[210] = mysyscall_sysent;` really
// changes what slot 210 runs, and writing the saved entry back really restores lkmnosys. Also the
// struct thread / struct proc / struct ucred that kernel C sees for the calling task, and nosys.
//
// struct sysent (sys/sysent.h as ksim's kernel headers define it, in the FreeBSD 12/13 order):
//   int sy_narg @0; sy_call_t *sy_call @8; au_event_t sy_auevent @16 (u_short);
//   systrace_args_func_t sy_systrace_args_func @24; u_int sy_entry @32; u_int sy_return @36;
//   u_int sy_flags @40; u_int sy_thrcnt @44.
import type { KernelC } from '../kc/kernel-c.js';
import type { Task } from '../task.js';
import type { Int64 } from '../events.js';
import { KTEXT_BASE } from '../kc/kernel-c.js';
import { PROT_READ, PROT_WRITE } from '../../runtime/memory.js';

export const SYSENT_SIZE = 48;
export const SY_NARG = 0;
export const SY_CALL = 8;
export const SY_AUEVENT = 16;
export const SY_FLAGS = 40;
export const SY_THRCNT = 44;
export const SYF_CAPENABLED = 0x1;
export const SY_THR_STATIC = 0x1;

/**
 * Addresses in kernel text that stand for the kernel's own (TypeScript) functions: nosys, lkmnosys,
 * and the handler of each stock slot. They are never mapped: only dispatch interprets them.
 */
export const NOSYS_ADDR = KTEXT_BASE - 0x200000;
/** Where sysent[] lives (0xffffffff80c00000); sys/sysent.h has the same number. */
export const SYSENT_BASE = KTEXT_BASE - 0x400000;
export const LKMNOSYS_ADDR = NOSYS_ADDR + 0x10;
/** A FreeBSD call ksim does not implement: ENOSYS, without nosys's SIGSYS. */
export const ENOSYS_ADDR = NOSYS_ADDR + 0x20;
export const TS_HANDLER_BASE = NOSYS_ADDR + 0x1000;

export function tsHandlerAddr(nr: number): number {
  return TS_HANDLER_BASE + nr * 0x10;
}

/** The stock slot whose TypeScript handler an address stands for, if it does. */
export function tsHandlerSlot(addr: number, slots: number): number | undefined {
  const off = addr - TS_HANDLER_BASE;
  if (off < 0 || off % 0x10 !== 0 || off / 0x10 >= slots) return undefined;
  return off / 0x10;
}

// struct proc, struct ucred and struct thread as sys/proc.h defines them for ksim.
export const P_PID = 0;
export const P_UCRED = 8;
export const P_COMM = 16; // char p_comm[MAXCOMLEN + 1] (20)
export const P_PPTR = 40;
export const PROC_SIZE = 48;
export const CR_REF = 0;
export const CR_UID = 4;
export const CR_RUID = 8;
export const CR_SVUID = 12;
export const CR_NGROUPS = 16;
export const CR_GROUPS = 20; // gid_t cr_groups[16]
export const CR_RGID = 84;
export const CR_SVGID = 88;
export const UCRED_SIZE = 96;
export const TD_PROC = 0;
export const TD_UCRED = 8;
export const TD_TID = 16;
export const TD_ERRNO = 20;
export const TD_NAME = 24; // char td_name[MAXCOMLEN + 1] (20)
export const TD_RETVAL = 48; // register_t td_retval[2]
export const THREAD_SIZE = 64;

const enc = new TextEncoder();

/** The sysent table and the per-task kernel structures, in a KernelC's memory. */
export class SysentTable {
  readonly base: number;
  private readonly threads = new Map<number, number>();

  constructor(
    private readonly kc: KernelC,
    readonly slots: number,
  ) {
    this.base = SYSENT_BASE;
    kc.mem.map(SYSENT_BASE, Math.ceil((slots * SYSENT_SIZE) / 4096) * 4096, PROT_READ | PROT_WRITE, '[sysent]');
    // Each task's struct thread is this command's own: not kept with kernel memory across commands.
    kc.perTaskBlocks.push({ blocks: () => this.threads.values(), forget: () => this.threads.clear() });
  }

  addr(nr: number): number {
    return this.base + nr * SYSENT_SIZE;
  }

  set(nr: number, e: { narg: number; call: number; auevent?: number; flags: number; thrcnt?: number }): void {
    const a = this.addr(nr);
    const m = this.kc.mem;
    m.w32(a + SY_NARG, e.narg);
    m.w64(a + SY_CALL, e.call);
    m.w16(a + SY_AUEVENT, e.auevent ?? 0);
    m.w64(a + 24, 0);
    m.w32(a + 32, 0);
    m.w32(a + 36, 0);
    m.w32(a + SY_FLAGS, e.flags);
    m.w32(a + SY_THRCNT, e.thrcnt ?? SY_THR_STATIC);
  }

  read(nr: number): { narg: number; call: number; flags: number } {
    const a = this.addr(nr);
    const m = this.kc.mem;
    const call = m.i64(a + SY_CALL);
    return { narg: m.i32(a + SY_NARG), call: typeof call === 'number' ? call : Number(call), flags: m.u32(a + SY_FLAGS) };
  }

  /** The struct thread of t, refreshed (credentials, name) and with td_retval cleared. */
  thread(t: Task): number {
    let td = this.threads.get(t.pid);
    const m = this.kc.mem;
    if (!td) {
      td = this.kc.heap.alloc(THREAD_SIZE + PROC_SIZE + UCRED_SIZE);
      m.fill(td, 0, THREAD_SIZE + PROC_SIZE + UCRED_SIZE);
      this.threads.set(t.pid, td);
    }
    const p = td + THREAD_SIZE;
    const cr = p + PROC_SIZE;
    m.w64(td + TD_PROC, p);
    m.w64(td + TD_UCRED, cr);
    m.w32(td + TD_TID, 100000 + t.pid);
    const name = new Uint8Array(20);
    name.set(enc.encode(t.comm).subarray(0, 19));
    m.write(td + TD_NAME, name);
    m.w64(td + TD_RETVAL, 0);
    m.w64(td + TD_RETVAL + 8, 0);
    m.w32(p + P_PID, t.pid);
    m.w64(p + P_UCRED, cr);
    m.write(p + P_COMM, name);
    m.w64(p + P_PPTR, 0);
    m.w32(cr + CR_REF, 1);
    m.w32(cr + CR_UID, t.euid);
    m.w32(cr + CR_RUID, t.uid);
    m.w32(cr + CR_SVUID, t.suid);
    m.w32(cr + CR_NGROUPS, 1);
    m.w32(cr + CR_GROUPS, t.egid);
    m.w32(cr + CR_RGID, t.gid);
    m.w32(cr + CR_SVGID, t.sgid);
    return td;
  }

  retval(td: number): [Int64, Int64] {
    return [this.kc.mem.i64(td + TD_RETVAL), this.kc.mem.i64(td + TD_RETVAL + 8)];
  }
}
