// Custom syscalls written in TypeScript for the library: `defineSyscall({ name, args, handler })`.
// The handler gets the SyscallContext (the calling task, its checked user memory, printk, time)
// and the raw argument registers, exactly as a SYSCALL_DEFINE body would; it returns the result
// (>= 0) or -errno, or throws Errno. The machine gives it a row in its table like any custom call.
import type { SyscallContext } from '../kernel/context.js';
import type { Int64 } from '../kernel/events.js';
import type { Block } from '../kernel/wait.js';

/** One parameter of a TypeScript syscall: its C type (drives strace/D decoding) and its name. */
export type SyscallParam = [ctype: string, name: string];

export interface TsSyscallDefinition {
  /** The syscall's name, as in the table (`stephen`): SYS_stephen in programs, syscall::stephen in D. */
  name: string;
  /** The number; default: the next free number after the machine's table. */
  nr?: number;
  /** Up to six parameters, e.g. [['const char __user *', 'msg']]. */
  args?: SyscallParam[];
  /** The body. Return >= 0 for success or -errno (e.g. -EFAULT); throwing Errno(n) also fails with -n. */
  handler: (ctx: SyscallContext, args: Int64[]) => Int64 | Block;
}

/** A TypeScript syscall ready to add to a machine (`machine.addSyscall(def)`). */
export interface TsSyscall extends TsSyscallDefinition {
  readonly kind: 'typescript';
  readonly args: SyscallParam[];
  /** The entry point name the table row uses (`sys_<name>`). */
  readonly entry: string;
}

/** Checks a definition and returns the syscall (errors here are programming errors: they throw). */
export function defineSyscall(def: TsSyscallDefinition): TsSyscall {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(def.name)) throw new TypeError(`defineSyscall: '${def.name}' is not a valid syscall name`);
  if (def.nr !== undefined && (!Number.isInteger(def.nr) || def.nr < 0 || def.nr >= 512)) {
    throw new TypeError(`defineSyscall(${def.name}): nr must be an integer from 0 to 511 (got ${def.nr})`);
  }
  const args = def.args ?? [];
  if (args.length > 6) throw new TypeError(`defineSyscall(${def.name}): a syscall takes at most 6 arguments (got ${args.length})`);
  if (typeof def.handler !== 'function') throw new TypeError(`defineSyscall(${def.name}): handler must be a function`);
  return { ...def, args, kind: 'typescript', entry: `sys_${def.name}` };
}
