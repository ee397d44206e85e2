// The pid provider: `pid<PID>:<module>:<function>:entry` and `:return` for the C functions of the
// process dtrace started with -c ($target). The probes are made from the executable's function
// table before the run (so `dtrace -l -n 'pid$target:::entry' -c ./prog` lists them); when the
// target's command is exec'd, each function with an enabled probe has its step function wrapped,
// as the pid provider patches the function's first instruction in that one process. Functions
// nobody traces run untouched; fork children share the image but are not traced (the wrapper
// fires only on the target's own CPU), as in illumos without -Z. A later exec of the target ends
// the tracing (its probes belonged to the old image).
//
// Module: the executable's file name (`test`, `a.out`), which is what illumos shows for the a.out's
// own functions. ksim links libc into the program, so its functions (printf, _start...) are the
// executable's too. At entry arg0.. are the function's arguments; at return arg0 is the offset of
// the return in the function (ksim's compiled code has no instructions: the offset is the number
// of basic blocks, the epilogue after the last one, as fbt's for kernel C) and arg1 the return value.
//
// Offset probes (`pid$target::main:4`): ksim's compiled code has no instructions, so a function's
// instruction offsets are its basic blocks: the step function is `for (;;) switch (pc)` over
// `case N:` blocks (src/cc/codegen.ts) and offset N (named in hex without 0x, as dtrace names
// offsets) is block N, 0 the function's first. A function with an enabled offset probe gets a
// step function rebuilt from its own source text with a hook at the start of each enabled block
// (after a loop head's time-slice check, so a block resumed after preemption fires once), as the
// pid provider patches the instruction at the offset. The block after a call or a syscall starts
// when the call returns. Offset probes have no arguments (as dtrace documents them); uregs[] works.
// An assembly program's functions have no blocks of this form: entry and return only.
//
// Grabbing a running process (-p PID, grab()): its image is already loaded, so the enabled
// functions are patched at once; frames already running count as entered (their return fires).
import type { Kernel } from '../kernel/kernel.js';
import type { Int64 } from '../kernel/events.js';
import { STEP_RETURN, type CFunction, type Cpu, type Frame, type StepFn } from '../runtime/cpu.js';
import { loadImage, parseImage } from '../cc/image.js';
import type { ImageJson } from '../cc/link.js';
import { imageHelpers } from '../runtime/helpers.js';
import { userIntrinsics } from '../runtime/user-intrinsics.js';
import { userRegisters } from './uregs.js';
import type { ProbeInfo } from './catalog.js';
import type { DtraceSession, ProbeContext } from './consumer.js';

/** What the pid provider needs of the target's executable: its module name and functions. */
export interface PidTargetImage {
  module: string;
  /** offsets: the function's basic blocks in the order its code places them (its offset probes). */
  functions: { name: string; paramTypes?: string[]; offsets?: number[] }[];
}

/** The functions of a ksim executable's bytes (path: for the module name); undefined for anything else. */
export function pidTargetImage(bytes: Uint8Array, path: string): PidTargetImage | undefined {
  try {
    return pidImageOf(parseImage(new TextDecoder().decode(bytes)), path);
  } catch {
    return undefined;
  }
}

/** The functions of a parsed executable (path: for the module name), their blocks from its code. */
export function pidImageOf(j: ImageJson, path: string): PidTargetImage {
  let steps: StepFn[] = [];
  try {
    // The image's step functions (instantiated once per code text, as exec does) give each
    // function's own source text, whatever else the code holds.
    steps = loadImage(j).functions.map((f) => f.step);
  } catch {
    // code that does not load: no offset probes
  }
  return {
    module: path.slice(path.lastIndexOf('/') + 1),
    functions: j.text.functions.map((f, i) => ({ name: f.name, paramTypes: f.paramTypes, offsets: steps[i] ? blocksOf(steps[i]!) : [] })),
  };
}

/** The blocks (`case N:` at the start of a line) of a compiled step function's source. */
function blocksOf(step: StepFn): number[] {
  return [...step.toString().matchAll(/^case (\d+):$/gm)].map((m) => Number(m[1]));
}

interface PidIds {
  entry: number;
  ret: number;
  /** Offset probe ids by block. */
  offsets: Map<number, number>;
}

type TargetTask = NonNullable<ReturnType<Kernel['tasks']['get']>>;

export class PidProvider {
  private pid: number | undefined;
  private ids = new Map<string, PidIds>();
  private session: DtraceSession | undefined;
  private on: (id: number) => boolean = () => false;
  private anyOn = false;
  private execs = 0;
  /** Set by grab(): the target runs already, its image is patched at bind. */
  private running = false;
  private restore: (() => void)[] = [];

  constructor(private readonly kernel: Kernel) {}

  /**
   * The probes of the target's functions, numbered from firstId: an entry and a return per name,
   * then the offset probes of each function (so entry/return ids do not depend on the blocks).
   */
  probesFor(pid: number, image: PidTargetImage, firstId: number): ProbeInfo[] {
    this.pid = pid;
    this.running = false;
    this.ids.clear();
    const out: ProbeInfo[] = [];
    let id = firstId;
    const provider = `pid${pid}`;
    const firsts: PidTargetImage['functions'] = [];
    for (const f of image.functions) {
      if (this.ids.has(f.name)) continue;
      firsts.push(f);
      this.ids.set(f.name, { entry: id, ret: id + 1, offsets: new Map() });
      out.push({ id: id++, provider, module: image.module, func: f.name, name: 'entry', ...(f.paramTypes ? { argTypes: f.paramTypes } : {}) });
      out.push({ id: id++, provider, module: image.module, func: f.name, name: 'return' });
    }
    for (const f of firsts) {
      const offsets = this.ids.get(f.name)!.offsets;
      for (const b of [...new Set(f.offsets ?? [])].sort((x, y) => x - y)) {
        offsets.set(b, id);
        out.push({ id: id++, provider, module: image.module, func: f.name, name: b.toString(16) });
      }
    }
    return out;
  }

  /** The target (pid of probesFor) is a running process: bind patches its image at once (-p). */
  grab(): void {
    this.running = true;
  }

  /** Starts a session: nothing is patched until the target execs its command (or now, when grabbed). */
  bind(session: DtraceSession, on: (id: number) => boolean): void {
    this.release();
    this.session = session;
    this.on = on;
    this.execs = 0;
    this.anyOn = [...this.ids.values()].some((x) => on(x.entry) || on(x.ret) || [...x.offsets.values()].some(on));
    if (this.running && this.pid !== undefined) {
      this.execs = 1;
      this.patch(this.pid, true);
    }
  }

  /** Undoes the patching (the next session starts clean). */
  release(): void {
    for (const r of this.restore.splice(0).reverse()) r();
  }

  /** A successful exec by pid: the target's first one gets its enabled functions patched; a later one ends tracing. */
  exec(pid: number): void {
    if (!this.anyOn || pid !== this.pid) return;
    this.release();
    if (this.execs++ > 0) return;
    this.patch(pid, false);
  }

  private patch(pid: number, running: boolean): void {
    if (!this.anyOn) return;
    const task = this.kernel.tasks.get(pid);
    const image = task?.image as { functions?: CFunction[]; json?: ImageJson } | null;
    const functions = image?.functions;
    const cpu = task?.cpu as Cpu | null;
    if (!task || !functions || !cpu) return;
    // Traced or not, the image's functions run as step functions while probes are on: their
    // direct forms call each other without going through a step function the probes could wrap.
    const direct = functions.map((f) => f.direct);
    for (const f of functions) f.direct = undefined;
    this.restore.push(() => functions.forEach((f, i) => { f.direct = direct[i]; }));
    for (const f of functions) {
      const ids = this.ids.get(f.name);
      if (!ids) continue;
      const blocks = new Map([...ids.offsets].filter(([, id]) => this.on(id)));
      if (blocks.size > 0 && image.json) this.instrument(f, blocks, cpu, task, functions, image.json);
      if (this.on(ids.entry) || this.on(ids.ret)) this.wrap(f, ids, cpu, task, running);
    }
  }

  /** Replaces f's step by one built from its source with a hook at each enabled block's start. */
  private instrument(f: CFunction, blocks: Map<number, number>, cpu: Cpu, task: TargetTask, functions: CFunction[], json: ImageJson): void {
    const orig: StepFn = f.step;
    const source = orig.toString();
    // The names step functions use (FN, the $helpers) are the factory's first statement, one line
    // (src/cc/link.ts); what follows it (the direct forms) a step function does not use.
    const prelude = json.code.slice(0, json.code.indexOf('\n'));
    if (!source.startsWith('function') || !prelude.startsWith('const FN = I.fn')) return;
    const hooked = source.replace(/^case (\d+):\n(  if \(--P\.budget < 0\) \{[^\n]*\n)?/gm, (m: string, n: string) =>
      (blocks.has(Number(n)) ? `${m}  __pidOffset(P, ${n});\n` : m));
    const self = this;
    const hook = (P: Cpu, block: number): void => {
      // Only the target's own CPU: a fork child runs the same functions untraced.
      if (P !== cpu) return;
      const id = blocks.get(block)!;
      if (self.on(id)) self.fire(id, task, []);
    };
    const factory = new Function('I', 'H', '__pidOffset', `${prelude}\nreturn ${hooked};`) as (I: unknown, H: unknown, hook: unknown) => StepFn;
    f.step = factory({ ...imageHelpers(), fn: functions }, userIntrinsics, hook);
    this.restore.push(() => { f.step = orig; });
  }

  private wrap(f: CFunction, ids: PidIds, cpu: Cpu, task: TargetTask, running: boolean): void {
    const orig: StepFn = f.step;
    const entered = new WeakSet<Frame>();
    // A grabbed process's frames already running were entered before the probes existed.
    if (running) for (const F of cpu.frames) if (F.fn === f) entered.add(F);
    const self = this;
    const retOffset = f.blockLines?.length ?? 0;
    f.step = (P: Cpu, F: Frame): number => {
      // Only the target's own CPU: a fork child runs the same functions untraced.
      if (P !== cpu) return orig(P, F);
      if (!entered.has(F)) {
        entered.add(F);
        if (self.on(ids.entry)) self.fire(ids.entry, task, F.l.slice(0, f.nparams).map(int64));
      }
      const r = orig(P, F);
      if (r === STEP_RETURN && self.on(ids.ret)) self.fire(ids.ret, task, [retOffset, int64(P.rv)]);
      return r;
    };
    this.restore.push(() => { f.step = orig; });
  }

  private fire(id: number, task: TargetTask, args: Int64[]): void {
    const s = this.session;
    if (!s) return;
    const view = this.kernel.traceView(task);
    if (!s.mayFire(id, view)) return;
    const arch = this.kernel.identity.arch;
    const cpu = task.cpu as Cpu | null;
    const ctx: ProbeContext = { task: view, args, timeNs: this.kernel.clock.uptimeNs(), regs: (i) => userRegisters(arch, cpu, undefined)(i) };
    s.fire(id, ctx);
  }
}

function int64(v: unknown): Int64 {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
  return 0;
}

/** What targetImageOn needs of a machine: its file system and the cwd its commands start in. */
export interface PidMachine {
  vfs: { loadExecutable(task: undefined, path: string): { data: Uint8Array } };
  cwd: string;
}

/** The executable a -c command runs (argv0, relative to the machine's cwd), or undefined if it cannot be read. */
export function targetImageOn(m: PidMachine, argv0: string): PidTargetImage | undefined {
  const path = argv0.startsWith('/') ? argv0 : `${m.cwd.replace(/\/$/, '')}/${argv0}`;
  try {
    return pidTargetImage(m.vfs.loadExecutable(undefined, path).data, argv0);
  } catch {
    return undefined;
  }
}
