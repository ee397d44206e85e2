// The CPU that runs compiled C (docs/runtime-abi.md, "Functions and frames"): a stack of frames,
// each a resumable step function with its pc and locals, driven by run() until a system call trap,
// the end of the time slice, a fault, or the return of the entry function. All state is plain data,
// so clone() is fork and a blocked system call simply leaves the top frame where it is.
import type { Int64 } from './int64.js';
import { DivideError } from './int64.js';
import { MemoryFault, type Memory } from './memory.js';

/** What a step function returns to the driver loop. */
export const STEP_RETURN = 0;
export const STEP_CALL = 1;
export const STEP_TRAP = 2;
export const STEP_YIELD = 3;
/**
 * A call made with P.call() did not complete inside the caller's step: the callee's frame (or a
 * deeper one) is on top of the stack and P.pendingCode says what it wants (CALL, TRAP, YIELD, or
 * -1: just run the top frame). The caller has already saved its state with F.pc at the continuation.
 */
export const STEP_NESTED = 4;

/** How deep P.call() nests step functions on the JS stack before falling back to the driver loop. */
const MAX_NESTED_CALLS = 200;

/** Thrown through direct functions to leave them (P.directYield / P.directDeep): not an error. */
const SUSPEND_DIRECT: unknown = Object.freeze({ suspendDirect: true });

export type StepFn = (P: Cpu, F: Frame) => number;

/**
 * The direct form of a function that can never suspend (no system calls, no calls through
 * pointers, only calls to other direct functions): a plain JS function taking the arguments and
 * returning the value, with no Frame. When its time slice ends, it faults or it nests too deep, it
 * rebuilds its frames on the way out (see Cpu.unwindDirect) and the step form takes over.
 */
export type DirectFn = (P: Cpu, ...args: unknown[]) => unknown;

/** A compiled C function. */
export interface CFunction {
  name: string;
  /** Address in the text segment; a function pointer is this value. */
  addr: number;
  step: StepFn;
  nparams: number;
  /** Size of F.l: parameters, locals and temporaries held as JS values. */
  nlocals: number;
  /** Bytes of C stack the function reserves (address-taken locals, arrays, structs, spills). */
  frameSize: number;
  variadic: boolean;
  file: string;
  line: number;
  /** Image or module name, for stack traces (`vmlinux`, a module name, the program name). */
  module: string;
  /** Source line of each basic block, indexed by pc (for fault locations). */
  blockLines?: number[];
  /** The direct form, for functions that cannot suspend (user images); cleared while traced by pid. */
  direct?: DirectFn;
}

/** One activation of a CFunction. */
export class Frame {
  /** Block to run next when the step function is entered. */
  pc = 0;
  /** Current source line, stored by generated code at calls and traps. */
  line = 0;
  /** When set, P.rv is restored to this on return (frames pushed asynchronously, e.g. signal handlers). */
  savedRv: unknown = undefined;
  preserveRv = false;
  constructor(
    readonly fn: CFunction,
    /** Parameters, locals and temporaries. */
    public l: unknown[],
    /** Base address of the frame's reserved C stack bytes. */
    public bp: number,
    /** Address of the variadic argument slots, 0 if none. */
    public va: number,
    /** P.sp before this frame was pushed; restored on return. */
    public savedSp: number,
  ) {}
}

/** Why run() stopped. */
export type StopReason = 'trap' | 'yield' | 'exit' | 'fault';

export type FaultSignal = 'SIGSEGV' | 'SIGFPE' | 'SIGILL' | 'SIGBUS' | 'SIGABRT';

/** A fault raised by running code: the signal it maps to and what happened. */
export interface CpuFault {
  signal: FaultSignal;
  /** The faulting address for SIGSEGV/SIGBUS. */
  addr?: number;
  /** SEGV_MAPERR / SEGV_ACCERR, FPE_INTDIV, ILL_ILLOPN... */
  code: string;
  message: string;
  /** The MemoryFault or other error, when there was one. */
  error?: unknown;
  /** The stack at the time of the fault, innermost first. */
  stack: StackEntry[];
}

/** Thrown when a call would push a frame past the stack limit (the guard page). */
export class StackOverflow extends Error {
  constructor(
    readonly addr: number,
    readonly callee: string,
  ) {
    super(`stack overflow calling ${callee}`);
    this.name = 'StackOverflow';
  }
}

/** Thrown by longjmp for a jmp_buf that setjmp did not fill, or whose function has returned. */
export class BadLongjmp extends Error {
  constructor(readonly addr: number, message: string) {
    super(message);
    this.name = 'BadLongjmp';
  }
}

/** Marks a jmp_buf filled by setjmp (its first 8 bytes). */
const JMP_MAGIC = 0x6b736a6d; // 'ksjm'

/** Thrown by generated code for __builtin_trap / __builtin_unreachable (ud2: SIGILL). */
export class IllegalInstruction extends Error {
  constructor(message = 'illegal instruction') {
    super(message);
    this.name = 'IllegalInstruction';
  }
}

export interface StackEntry {
  name: string;
  file: string;
  line: number;
  addr: number;
  module: string;
}

/** Looks up a function by its text address. */
export type FunctionLookup = (addr: number) => CFunction | undefined;

export class Cpu {
  // `declare`: no class-field definition as undefined before the constructor stores the first value.
  // V8 then keeps sp as a double field updated in place; defined as undefined first, the field
  // would be tagged and every store of an address (above 2^31) would allocate a heap number.
  /** The memory generated code loads and stores through (cached by step functions at entry). */
  declare mem: Memory;
  /** C stack pointer: frames reserve space below it. */
  declare sp: number;
  /** Lowest address a frame may reach; below it is the guard (stack overflow → SIGSEGV). */
  declare stackLimit: number;
  /** Return value of the last call, or the result of the last trap. */
  rv: unknown = undefined;
  /** Steps left in the time slice; back-edges and calls decrement it. */
  budget = Infinity;
  trapNr = 0;
  trapArgs: Int64[] = [0, 0, 0, 0, 0, 0];
  frames: Frame[] = [];
  /** Set when run() returns 'fault'. */
  fault: CpuFault | null = null;
  /** Function table for calls through pointers. */
  declare lookup: FunctionLookup;
  /** Free slot for the embedder (the kernel's task, for intrinsics). */
  context: unknown = undefined;

  // The call the current step requested (STEP_CALL).
  private callFn: CFunction | null = null;
  private callArgs: unknown[] = [];
  private callVa = 0;
  /** What the top frame wants after a STEP_NESTED (see there). */
  private pendingCode = -1;
  /** Step functions currently nested on the JS stack through P.call(). */
  private depth = 0;
  /** JS stack the direct functions currently nested use, in the units of codegen.ts's DIRECT_STACK_UNITS. */
  dd = 0;
  /** Frames rebuilt by direct functions leaving on an exception, innermost first. */
  private unwound: Frame[] = [];
  /** What the top frame wants once a direct call chain has been left (STEP_YIELD, or -1: go on). */
  private directWhy = -1;

  constructor(mem: Memory, opts: { sp: number; stackLimit: number; lookup: FunctionLookup }) {
    this.mem = mem;
    this.sp = opts.sp;
    this.stackLimit = opts.stackLimit;
    this.lookup = opts.lookup;
  }

  /** Called by generated code before returning STEP_CALL. */
  setCall(fn: CFunction, args: unknown[], vaAddr: number): void {
    this.callFn = fn;
    this.callArgs = args;
    this.callVa = vaAddr;
  }

  /** A call through a function pointer; anything that is not a function's address faults. */
  setCallPtr(addr: Int64, args: unknown[], vaAddr: number): void {
    const fn = typeof addr === 'number' ? this.lookup(addr) : undefined;
    if (!fn) {
      const a = typeof addr === 'number' ? addr : Number(BigInt.asIntN(64, addr));
      throw new MemoryFault(a, false, 'MAPERR');
    }
    this.setCall(fn, args, vaAddr);
  }

  /**
   * The fast call path used by generated code: pushes the callee's frame and, budget and nesting
   * permitting, runs its step right away on the JS stack. Returns 0 when the callee returned
   * (P.rv holds its value) — the caller goes on in the same step — or STEP_NESTED when the callee
   * is suspended (it called deeper through the driver, trapped or yielded), in which case the
   * caller returns STEP_NESTED too, having saved its state before the call.
   */
  call(fn: CFunction, args: unknown[], vaAddr: number): number {
    const direct = fn.direct;
    // Direct forms reserve their frames as sp - (frameSize + 16): right when sp is 16-byte aligned,
    // as the ABI's initial stack and every frame below it are.
    if (direct !== undefined && this.sp % 16 === 0) return this.callDirect(fn, direct, args);
    const frames = this.frames;
    const savedSp = this.sp;
    const bp = Math.floor((savedSp - fn.frameSize - 16) / 16) * 16;
    if (bp < this.stackLimit) throw new StackOverflow(bp - 1, fn.name);
    this.sp = bp;
    for (let i = args.length; i < fn.nlocals; i++) args.push(0);
    const F = new Frame(fn, args, bp, vaAddr, savedSp);
    frames.push(F);
    if (--this.budget < 0) {
      this.pendingCode = STEP_YIELD;
      return STEP_NESTED;
    }
    if (this.depth >= MAX_NESTED_CALLS) {
      this.pendingCode = -1;
      return STEP_NESTED;
    }
    this.depth++;
    const r = fn.step(this, F);
    this.depth--;
    if (r === STEP_RETURN) {
      frames.pop();
      this.sp = savedSp;
      return 0;
    }
    if (r !== STEP_NESTED) this.pendingCode = r;
    return STEP_NESTED;
  }

  /**
   * P.call() of a function with a direct form: runs it (and the direct functions it calls) as plain
   * JS calls. If the chain is left by an exception, the frames it rebuilt go on the stack: at the
   * end of the time slice or when it nested too deep, the caller gets STEP_NESTED as if the callee
   * had been suspended by the driver; a fault goes on to the caller with the full stack in place.
   */
  private callDirect(fn: CFunction, direct: DirectFn, args: unknown[]): number {
    this.dd = 0;
    let r: unknown;
    try {
      switch (fn.nparams) {
        case 0: r = direct(this); break;
        case 1: r = direct(this, args[0]); break;
        case 2: r = direct(this, args[0], args[1]); break;
        case 3: r = direct(this, args[0], args[1], args[2]); break;
        default: r = direct(this, ...args.slice(0, fn.nparams));
      }
    } catch (e) {
      const frames = this.frames;
      const u = this.unwound;
      for (let i = u.length - 1; i >= 0; i--) frames.push(u[i]!);
      u.length = 0;
      if (e !== SUSPEND_DIRECT) throw e;
      this.pendingCode = this.directWhy;
      return STEP_NESTED;
    }
    this.rv = r;
    return 0;
  }

  /** Called by a direct function whose time slice ended: the exception to throw. */
  directYield(): unknown {
    this.directWhy = STEP_YIELD;
    return SUSPEND_DIRECT;
  }

  /** Called by a direct function when the chain has used its share of the JS stack (P.dd): the rest runs as step functions. */
  directDeep(): unknown {
    this.directWhy = -1;
    return SUSPEND_DIRECT;
  }

  /** A direct function's frame would reach the guard page. */
  directOverflow(bp: number, fn: CFunction): never {
    throw new StackOverflow(bp - 1, fn.name);
  }

  /** Called by a direct function an exception is leaving: its frame, as the step form resumes it. */
  unwindDirect(fn: CFunction, pc: number, l: unknown[], bp: number, savedSp: number): void {
    const F = new Frame(fn, l, bp, 0, savedSp);
    F.pc = pc;
    F.line = fn.blockLines?.[pc] ?? fn.line;
    this.unwound.push(F);
  }

  /**
   * setjmp(env) in frame F (the top frame, whose F.pc is already the continuation): records which
   * frame it is (its depth, base and function), the continuation and sp in env's first 48 bytes.
   */
  setjmp(F: Frame, env: number): number {
    const M = this.mem;
    M.w64(env, JMP_MAGIC);
    M.w64(env + 8, this.frames.length - 1);
    M.w64(env + 16, F.pc);
    M.w64(env + 24, this.sp);
    M.w64(env + 32, F.bp);
    M.w64(env + 40, F.fn.addr);
    return 0;
  }

  /**
   * longjmp(env, val): drops every frame above the one setjmp recorded, which goes on at the
   * setjmp's continuation with P.rv = val (1 if val is 0). The caller returns STEP_NESTED and the
   * driver resumes that frame. A jmp_buf that was never filled, or whose frame has returned, is a
   * fault (glibc's __longjmp_chk aborts on the latter).
   */
  longjmp(env: number, val: number): void {
    const M = this.mem;
    const word = (off: number): number => Number(M.i64(env + off));
    if (word(0) !== JMP_MAGIC) throw new BadLongjmp(env, 'longjmp with a jmp_buf that setjmp did not fill');
    const depth = word(8);
    const F = this.frames[depth];
    if (!F || F.bp !== word(32) || F.fn.addr !== word(40)) {
      throw new BadLongjmp(env, 'longjmp causes uninitialized stack frame (the function that called setjmp has returned)');
    }
    this.frames.length = depth + 1;
    this.sp = word(24);
    F.pc = word(16);
    this.rv = val === 0 ? 1 : val;
    this.pendingCode = -1;
  }

  /** P.call() through a function pointer. */
  callPtr(addr: Int64, args: unknown[], vaAddr: number): number {
    const fn = typeof addr === 'number' ? this.lookup(addr) : undefined;
    if (!fn) throw new MemoryFault(typeof addr === 'number' ? addr : Number(BigInt.asIntN(64, addr)), false, 'MAPERR');
    return this.call(fn, args, vaAddr);
  }

  /** Starts fn as the bottom frame (or on top of the current frames). Throws nothing; faults on run(). */
  start(fn: CFunction, args: unknown[]): void {
    this.fault = null;
    this.pushFrame(fn, args, 0);
  }

  /**
   * Pushes a call on top of the running frames without disturbing them: when it returns, P.rv is
   * restored to what it was (signal handlers, kernel upcalls).
   */
  pushCall(fn: CFunction, args: unknown[]): boolean {
    const saved = this.rv;
    if (!this.pushFrame(fn, args, 0)) return false;
    const f = this.frames[this.frames.length - 1]!;
    f.preserveRv = true;
    f.savedRv = saved;
    return true;
  }

  private pushFrame(fn: CFunction, args: unknown[], va: number): boolean {
    const savedSp = this.sp;
    // Every call also costs a return address and a saved frame pointer, as on x86_64.
    const bp = Math.floor((savedSp - fn.frameSize - 16) / 16) * 16;
    if (bp < this.stackLimit) {
      this.raise('SIGSEGV', 'SEGV_MAPERR', `stack overflow calling ${fn.name}`, bp - 1, undefined);
      return false;
    }
    this.sp = bp;
    // Locals beyond the arguments start as 0 (direct calls arrive already padded by the linker).
    for (let i = args.length; i < fn.nlocals; i++) args.push(0);
    this.frames.push(new Frame(fn, args, bp, va, savedSp));
    return true;
  }

  private raise(signal: FaultSignal, code: string, message: string, addr: number | undefined, error: unknown): void {
    this.fault = { signal, code, message, addr, error, stack: this.callStack() };
  }

  /** Runs until a trap, the end of the budget, a fault or the return of the bottom frame. */
  run(): StopReason {
    const frames = this.frames;
    if (this.fault) return 'fault';
    let F = frames[frames.length - 1];
    if (!F) return 'exit';
    this.depth = 0;
    for (;;) {
      let r: number;
      try {
        r = F.fn.step(this, F);
      } catch (e) {
        this.depth = 0;
        return this.convertError(e);
      }
      if (r === STEP_NESTED) {
        F = frames[frames.length - 1]!;
        r = this.pendingCode;
        this.pendingCode = -1;
        if (r === -1) continue;
      }
      switch (r) {
        case STEP_RETURN: {
          frames.pop();
          this.sp = F.savedSp;
          if (F.preserveRv) this.rv = F.savedRv;
          const caller = frames[frames.length - 1];
          if (!caller) return 'exit';
          F = caller;
          break;
        }
        case STEP_CALL: {
          const fn = this.callFn!;
          this.callFn = null;
          if (!this.pushFrame(fn, this.callArgs, this.callVa)) return 'fault';
          F = frames[frames.length - 1]!;
          if (--this.budget < 0) return 'yield';
          break;
        }
        case STEP_TRAP:
          return 'trap';
        case STEP_YIELD:
          return 'yield';
        default:
          this.raise('SIGILL', 'ILL_ILLOPN', `bad step result ${r} in ${F.fn.name}`, undefined, undefined);
          return 'fault';
      }
    }
  }

  private convertError(e: unknown): StopReason {
    if (e instanceof MemoryFault) {
      this.raise('SIGSEGV', e.code === 'MAPERR' ? 'SEGV_MAPERR' : 'SEGV_ACCERR', e.message, e.addr, e);
    } else if (e instanceof StackOverflow) {
      this.raise('SIGSEGV', 'SEGV_MAPERR', e.message, e.addr, e);
    } else if (e instanceof DivideError) {
      this.raise('SIGFPE', 'FPE_INTDIV', e.message, undefined, e);
    } else if (e instanceof BadLongjmp) {
      this.raise('SIGSEGV', 'SEGV_MAPERR', e.message, e.addr, e);
    } else if (e instanceof IllegalInstruction) {
      this.raise('SIGILL', 'ILL_ILLOPN', e.message, undefined, e);
    } else {
      throw e;
    }
    return 'fault';
  }

  /** The call stack, innermost frame first, with the line each frame is at. */
  callStack(): StackEntry[] {
    const out: StackEntry[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      const fn = f.fn;
      const line = i === this.frames.length - 1 ? (fn.blockLines?.[f.pc] ?? f.line) || f.line : f.line;
      out.push({ name: fn.name, file: fn.file, line: line || fn.line, addr: fn.addr, module: fn.module });
    }
    return out;
  }

  /** A copy for fork: frames and registers are deep-copied; the child gets its own memory. */
  clone(mem: Memory): Cpu {
    const c = new Cpu(mem, { sp: this.sp, stackLimit: this.stackLimit, lookup: this.lookup });
    c.rv = this.rv;
    c.budget = this.budget;
    c.trapNr = this.trapNr;
    c.trapArgs = this.trapArgs.slice();
    c.context = this.context;
    c.fault = this.fault;
    c.frames = this.frames.map((f) => {
      const n = new Frame(f.fn, f.l.slice(), f.bp, f.va, f.savedSp);
      n.pc = f.pc;
      n.line = f.line;
      n.savedRv = f.savedRv;
      n.preserveRv = f.preserveRv;
      return n;
    });
    return c;
  }
}
