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
// Offset probes (`pid$target::main:4`) are not provided.
import type { Kernel } from '../kernel/kernel.js';
import type { Int64 } from '../kernel/events.js';
import { STEP_RETURN, type CFunction, type Cpu, type Frame, type StepFn } from '../runtime/cpu.js';
import { parseImage } from '../cc/image.js';
import type { ProbeInfo } from './catalog.js';
import type { DtraceSession, ProbeContext } from './consumer.js';

/** What the pid provider needs of the target's executable: its module name and functions. */
export interface PidTargetImage {
  module: string;
  functions: { name: string; paramTypes?: string[] }[];
}

/** The functions of a ksim executable's bytes (path: for the module name); undefined for anything else. */
export function pidTargetImage(bytes: Uint8Array, path: string): PidTargetImage | undefined {
  try {
    const j = parseImage(new TextDecoder().decode(bytes));
    return { module: path.slice(path.lastIndexOf('/') + 1), functions: j.text.functions.map((f) => ({ name: f.name, paramTypes: f.paramTypes })) };
  } catch {
    return undefined;
  }
}

interface PidIds {
  entry: number;
  ret: number;
}

export class PidProvider {
  private pid: number | undefined;
  private ids = new Map<string, PidIds>();
  private session: DtraceSession | undefined;
  private on: (id: number) => boolean = () => false;
  private anyOn = false;
  private execs = 0;
  private restore: (() => void)[] = [];

  constructor(private readonly kernel: Kernel) {}

  /** The probes of the target's functions, numbered from firstId (one entry and one return per name). */
  probesFor(pid: number, image: PidTargetImage, firstId: number): ProbeInfo[] {
    this.pid = pid;
    this.ids.clear();
    const out: ProbeInfo[] = [];
    let id = firstId;
    const provider = `pid${pid}`;
    for (const f of image.functions) {
      if (this.ids.has(f.name)) continue;
      this.ids.set(f.name, { entry: id, ret: id + 1 });
      out.push({ id: id++, provider, module: image.module, func: f.name, name: 'entry', ...(f.paramTypes ? { argTypes: f.paramTypes } : {}) });
      out.push({ id: id++, provider, module: image.module, func: f.name, name: 'return' });
    }
    return out;
  }

  /** Starts a session: nothing is wrapped until the target execs its command. */
  bind(session: DtraceSession, on: (id: number) => boolean): void {
    this.release();
    this.session = session;
    this.on = on;
    this.execs = 0;
    this.anyOn = [...this.ids.values()].some((x) => on(x.entry) || on(x.ret));
  }

  /** Undoes the wrapping (the next session starts clean). */
  release(): void {
    for (const r of this.restore.splice(0).reverse()) r();
  }

  /** A successful exec by pid: the target's first one gets its enabled functions wrapped; a later one ends tracing. */
  exec(pid: number): void {
    if (!this.anyOn || pid !== this.pid) return;
    this.release();
    if (this.execs++ > 0) return;
    const task = this.kernel.tasks.get(pid);
    const functions = (task?.image as { functions?: CFunction[] } | null)?.functions;
    const cpu = task?.cpu as Cpu | null;
    if (!task || !functions || !cpu) return;
    // Traced or not, the image's functions run as step functions while probes are on: their
    // direct forms call each other without going through a step function the probes could wrap.
    const direct = functions.map((f) => f.direct);
    for (const f of functions) f.direct = undefined;
    this.restore.push(() => functions.forEach((f, i) => { f.direct = direct[i]; }));
    for (const f of functions) {
      const ids = this.ids.get(f.name);
      if (ids && (this.on(ids.entry) || this.on(ids.ret))) this.wrap(f, ids, cpu, task);
    }
  }

  private wrap(f: CFunction, ids: PidIds, cpu: Cpu, task: NonNullable<ReturnType<Kernel['tasks']['get']>>): void {
    const orig: StepFn = f.step;
    const entered = new WeakSet<Frame>();
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

  private fire(id: number, task: NonNullable<ReturnType<Kernel['tasks']['get']>>, args: Int64[]): void {
    const s = this.session;
    if (!s) return;
    const view = this.kernel.traceView(task);
    if (!s.mayFire(id, view)) return;
    const ctx: ProbeContext = { task: view, args, timeNs: this.kernel.clock.uptimeNs() };
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
