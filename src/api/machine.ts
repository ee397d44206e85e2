// The library's machine: `createMachine()` (in memory, no files) or `openMachine(dir)` (a machine
// directory made by `ksim init`). It holds the kernel sources (syscall table, kernel C), custom
// syscalls in TypeScript, builds the kernel, compiles programs from C strings, and runs them on a
// freshly booted kernel per run, with strace, ktrace and D scripts attached on request. Every run
// returns a value: status, signal, stdout, stderr, kernel log, traces. Build and compile errors are
// values too (diagnostics with file, line and column). In deterministic mode (the default) the
// clock is virtual and pids, seeds and addresses fixed, so a run gives the same bytes every time.
import type { Host } from '../host/host.js';
import { memoryHost } from '../host/memory-fs.js';
import { createNodeHost } from '../host/node.js';
import { bootMachine, runProgram, type Machine as BootedMachine } from '../machine/boot.js';
import { buildMachine, changedSources, readBuiltKernel, stampSources, stockKernel, type BuiltKernel } from '../machine/build.js';
import { initMachine, type InitOptions } from '../machine/init.js';
import { readConfig, CONFIG_FILE, MachineError, type MachineConfig } from '../machine/config.js';
import { nextFreeNumber, tblPath, type TblRow } from '../machine/tbl.js';
import { syscallHeaderText } from '../machine/headers.js';
import { absolutePath } from '../machine/locate.js';
import { readBoot, reservePids } from '../machine/state.js';
import { VirtualClock, RealClock, type KernelClock } from '../kernel/clock.js';
import { BufferConsole } from '../kernel/console.js';
import type { LogRecord } from '../kernel/log.js';
import type { KernelObserver, SyscallEnterEvent, SyscallExitEvent } from '../kernel/events.js';
import { linuxErrnoName } from '../kernel/errno-linux.js';
import { freebsdErrnoName } from '../kernel/errno-freebsd.js';
import { LOG_LEVEL_NAMES } from '../kernel/log.js';
import { signalName } from '../kernel/signals.js';
import { linuxSignature } from '../kernel/linux/signatures.js';
import { argFromC, type SignatureInfo } from '../kernel/linux/rows.js';
import type { SyscallHandler } from '../kernel/handler.js';
import type { TaskLimits } from '../kernel/task.js';
import { compileKernel, compileProgram, loadExecutable, loadKernelImage } from '../toolchain/cc.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { formatDiagnostics, type Diagnostic } from '../cc/diagnostics.js';
import { formatDmesg, formatFreebsdDmesg, DEFAULT_FORMAT_OPTIONS, type DmesgFormatOptions } from '../dmesg/format.js';
import { parseStraceArgs, Strace } from '../strace/index.js';
import { startKtrace } from '../ktrace/recorder.js';
import { KtraceReader, KdumpFormatter, defaultKdumpOptions } from '../ktrace/kdump.js';
import { DEF_POINTS, parseTracePoints, type KtrRecord } from '../ktrace/format.js';
import { runDtrace } from '../dtrace/cli.js';
import { KernelProbes } from '../dtrace/kernel-provider.js';
import { targetImageOn } from '../dtrace/pid-provider.js';
import { preprocess } from '../cc/preprocess.js';
import type { TsSyscall } from './syscall.js';

// ---------------------------------------------------------------------------------------------
// Public types.

/** A located compiler or build message, as gcc prints it: file, line, column, severity, message. */
export interface KsimDiagnostic {
  severity: 'error' | 'warning' | 'note' | 'fatal error';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface MachineOptions {
  os?: 'linux' | 'freebsd';
  arch?: 'x86_64' | 'i386';
  /** Kernel release, e.g. '4.7.1' (default: today's, 6.12). */
  release?: string;
  /** Appended to the release by uname -r, e.g. '-stephen'. */
  localversion?: string;
  hostname?: string;
  /** Virtual clock, fixed pids and seeds (default true): the same run gives the same bytes. */
  deterministic?: boolean;
  /** The first pid a run hands out in deterministic mode (default 1000). */
  firstPid?: number;
  /** Per-process limits (CPU units, memory pages, processes). */
  limits?: Partial<TaskLimits>;
}

export interface OpenMachineOptions {
  deterministic?: boolean;
  firstPid?: number;
  limits?: Partial<TaskLimits>;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: KsimDiagnostic[];
  /** The diagnostics as gcc prints them (with the source line and caret); '' when clean. */
  text: string;
  /** The custom syscalls of the built kernel (kernel C and TypeScript). */
  syscalls: { nr: number; name: string; entry: string; kind: 'c' | 'typescript' }[];
}

/** A compiled program: a ksim executable image. */
export interface Program {
  readonly kind: 'program';
  name: string;
  /** The image text (what `ksim cc -o` writes). */
  image: string;
}

export type CompileResult =
  | { ok: true; program: Program; diagnostics: KsimDiagnostic[]; text: string }
  | { ok: false; program?: undefined; diagnostics: KsimDiagnostic[]; text: string };

/** What to run: a path inside the machine, C source, an image, or a compiled Program. */
export type ProgramInput =
  | string
  | Program
  | { path: string }
  | { source: string; name?: string; defines?: Record<string, string> }
  | { files: Record<string, string>; name?: string; defines?: Record<string, string> }
  | { image: string; name?: string };

export interface StraceRequest {
  /** strace's own options, as on its command line: ['-f', '-e', 'trace=stephen']. */
  args?: string[];
}

export interface KtraceRequest {
  /** ktrace -t points ('cnsiu...'; default: kdump's default set). */
  points?: string;
  /** ktrace -i: trace children too (default true). */
  inherit?: boolean;
}

export interface DtraceRequest {
  /** A D script (what `-s file.d` reads). */
  script?: string;
  /** A shipped probe script by name: 'syscount', 'opensnoop'... (see `probeScript`). */
  probe?: string;
  /** dtrace options before the script: ['-q'], ['-x', 'quiet']... */
  args?: string[];
  /** $1, $2... */
  macroArgs?: string[];
}

export interface RunOptions {
  /** argv[1..]. */
  args?: string[];
  /** The environment (default: a login shell's HOME, PATH, LANG, USER...). */
  env?: Record<string, string> | string[];
  /** Standard input. */
  stdin?: string | Uint8Array;
  uid?: number;
  /** Trace the run with strace (true: default options). */
  strace?: boolean | StraceRequest;
  /** Record the run with ktrace and decode it as kdump does. */
  ktrace?: boolean | KtraceRequest;
  /** Run a D script during the run (a string is the script text). */
  dtrace?: string | DtraceRequest;
  /** argv[0] (default: the program's path). */
  argv0?: string;
}

/** A ktrace record decoded, with the line kdump prints for it. */
export interface KtraceEntry {
  pid: number;
  comm: string;
  /** CALL, RET, NAMI, GIO, PSIG, CSW, USER, STRU, SCTL, CAP, PFLT, PRET, or the numeric type. */
  type: string;
  /** For CALL/RET: the syscall's name. */
  syscall?: string;
  /** For CALL: the argument registers. */
  args?: (number | bigint)[];
  /** For RET: the return value and errno (0 when it succeeded). */
  retval?: number | bigint;
  errno?: number;
  /** What kdump prints for this record (one or more lines, no final newline). */
  text: string;
  /** The decoded record as read from the file. */
  record: KtrRecord;
}

export interface DtraceOutput {
  /** dtrace's exit status (0, 1 for errors, or exit(n)'s value). */
  status: number;
  /** What dtrace printed on standard output. */
  output: string;
  /** What it printed on standard error (matched N probes, errors). */
  stderr: string;
}

/** One system call the run made, decoded from its row (strings read at entry). */
export interface SyscallCall {
  pid: number;
  name: string;
  nr: number;
  /** The arguments: strings for string and path parameters, numbers (or bigints) otherwise. */
  args: (string | number | bigint)[];
  /** The value the caller saw: >= 0, or -errno. Undefined when the call did not return (exit). */
  ret?: number | bigint;
  /** The error number when it failed (positive), else 0. */
  errno: number;
  /** The error's name (EFAULT) when it failed. */
  errnoName?: string;
}

/** Why a run could not start: the build or the compilation failed. */
export interface RunError {
  stage: 'build' | 'compile' | 'exec';
  diagnostics: KsimDiagnostic[];
  text: string;
}

export interface RunResult {
  /** The status a shell sees: the exit code, or 128 + N when killed by signal N. */
  status: number;
  /** The exit code when the process exited (undefined when killed). */
  code?: number;
  /** The killing signal's name ('SIGSEGV'), when it was killed. */
  signal?: string;
  signo?: number;
  coreDumped: boolean;
  pid: number;
  stdout: string;
  stderr: string;
  /** The kernel log records of this run, oldest first. */
  log: LogRecord[];
  /** The kernel log as `dmesg` prints it. */
  dmesg: string;
  /** Every system call of the run, in the order they were made (for toHaveCalled). */
  calls: SyscallCall[];
  /** strace's lines (when strace was requested). */
  strace?: string[];
  /** ktrace records (when ktrace was requested). */
  ktrace?: KtraceEntry[];
  /** kdump's output for the ktrace records. */
  kdump?: string;
  /** The D script's output (when dtrace was requested). */
  dtrace?: DtraceOutput;
  /** Why ksim stopped the program, if it did (CPU limit, deadlock), and exec failures. */
  notices: string[];
  /** Set when nothing ran: the kernel build or the program's compilation failed. */
  error?: RunError;
  /** The program's own compiler warnings, if any. */
  warnings: KsimDiagnostic[];
}

// ---------------------------------------------------------------------------------------------

const dec = new TextDecoder();
const DETERMINISTIC_BOOT_WALL_NS = 1_700_000_000_000_000_000;
const DETERMINISTIC_START_UPTIME_NS = 1_000_000_000;
const DETERMINISTIC_SEED = 0x5eed;
/** Where string sources and the machine's generated header live for the compiler (never on disk). */
const VIRTUAL_ROOT = '/.ksim-api';

export function toKsimDiagnostic(d: Diagnostic): KsimDiagnostic {
  const out: KsimDiagnostic = { severity: d.severity, message: d.message };
  if (d.loc) {
    out.file = d.loc.file;
    out.line = d.loc.line;
    out.column = d.loc.col;
  }
  return out;
}

function isError(d: { severity: string }): boolean {
  return d.severity === 'error' || d.severity === 'fatal error';
}

/** A Host for machines that live in memory: a MemoryFileSystem, a still clock, no terminal. */
export function createMemoryHost(): Host {
  const ms = DETERMINISTIC_BOOT_WALL_NS / 1e6;
  return memoryHost({ wallMs: ms, fileTimesMs: ms });
}

/** A machine: kernel sources, custom syscalls, the built kernel, and runs. */
export class KsimMachine {
  private built: BuiltKernel | undefined;
  private builtTs: TblRow[] = [];
  private dirty = true;
  private readonly tsSyscalls = new Map<string, TsSyscall>();
  private readonly deterministic: boolean;
  private readonly firstPid: number;
  private readonly limits?: Partial<TaskLimits>;
  /** Sources given as strings to compile (virtual paths), plus the generated header. */
  private readonly virtualFiles = new Map<string, string>();

  /** @internal use createMachine / openMachine. */
  constructor(
    readonly host: Host,
    /** The machine's directory (in the memory file system for in-memory machines). */
    readonly dir: string,
    readonly config: MachineConfig,
    readonly inMemory: boolean,
    opts: OpenMachineOptions,
  ) {
    this.deterministic = opts.deterministic ?? true;
    this.firstPid = opts.firstPid ?? 1000;
    this.limits = opts.limits;
    if (!inMemory) {
      // A directory machine starts from its last `ksim build`, unless its sources changed since.
      this.built = readBuiltKernel(host, dir);
      if (this.built) this.dirty = changedSources(stampSources(host, dir, config), this.built.sources).length > 0;
    }
  }

  /** The syscall table file's path inside the machine directory. */
  get tblFile(): string {
    return tblPath(this.config.arch);
  }

  // --- sources -----------------------------------------------------------------------------

  /** Reads a file of the machine directory (relative paths are relative to it). */
  readFile(path: string): string {
    return dec.decode(this.host.fs.readFile(this.abs(path)));
  }

  /** Writes a file in the machine directory (creating directories), e.g. 'kernel/stephen.c'. */
  writeFile(path: string, text: string | Uint8Array): void {
    const p = this.abs(path);
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!this.host.fs.exists(parent)) this.host.fs.mkdir(parent, true);
    this.host.fs.writeFile(p, text);
    this.dirty = true;
  }

  private abs(path: string): string {
    return path.startsWith('/') ? path : `${this.dir}/${path}`;
  }

  /** Appends a row to the syscall table: `nr common name entry` (x86_64) or `nr i386 name entry`. */
  addTableRow(row: { nr: number; name: string; entry?: string; abi?: string }): void {
    const abi = row.abi ?? (this.config.arch === 'x86_64' ? 'common' : 'i386');
    const text = this.readFile(this.tblFile);
    this.writeFile(this.tblFile, `${text.endsWith('\n') || text === '' ? text : text + '\n'}${row.nr}\t${abi}\t${row.name}\t${row.entry ?? `sys_${row.name}`}\n`);
  }

  /** The number the next new syscall gets: one past the highest native number in the table. */
  nextSyscallNumber(): number {
    const rows = this.readFile(this.tblFile)
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim().split(/\s+/))
      .filter((c) => c.length >= 3 && /^\d+$/.test(c[0]!))
      .map((c) => ({ nr: Number(c[0]), abi: c[1]! }));
    for (const s of this.tsSyscalls.values()) if (s.nr !== undefined) rows.push({ nr: s.nr, abi: 'common' });
    return nextFreeNumber(rows, 0);
  }

  /**
   * Adds a custom syscall. Kernel C: `{ name, source, nr? }` writes kernel/<name>.c and appends the
   * table row (the source holds the SYSCALL_DEFINE). TypeScript: a `defineSyscall(...)` value.
   * Returns the syscall's number. Build (or run) afterwards.
   */
  addSyscall(sc: TsSyscall | { name: string; source: string; nr?: number; file?: string }): number {
    if ('kind' in sc && sc.kind === 'typescript') {
      this.tsSyscalls.set(sc.name, sc);
      this.dirty = true;
      return sc.nr ?? -1; // numbered at build time when not fixed
    }
    const c = sc as { name: string; source: string; nr?: number; file?: string };
    const nr = c.nr ?? this.nextSyscallNumber();
    this.writeFile(c.file ?? `${this.config.os === 'linux' ? 'kernel' : 'sys/kern'}/${c.name}.c`, c.source);
    this.addTableRow({ nr, name: c.name });
    return nr;
  }

  // --- build -------------------------------------------------------------------------------

  /** Builds the kernel from the table and kernel C (like `ksim build`); errors are values. */
  build(): BuildResult {
    const sys = nodeSysroot();
    const r = buildMachine(this.host, this.dir, this.config, {
      compile: (files, config) => {
        const k = compileKernel(files, { arch: config.arch, os: config.os }, sys);
        return { image: k.image, functions: k.functions, diagnostics: k.diagnostics };
      },
    });
    const diagnostics = r.diagnostics.map(toKsimDiagnostic);
    const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f));
    if (!r.built) return { ok: false, diagnostics, text, syscalls: [] };
    // TypeScript syscalls get rows after the table's: fixed numbers, or the next free ones.
    const ts: TblRow[] = [];
    const taken = new Map(r.built.tbl.filter((x) => x.abi !== 'x32').map((x) => [x.nr, x.name]));
    const errors: KsimDiagnostic[] = [];
    for (const s of this.tsSyscalls.values()) {
      if (r.built.tbl.some((x) => x.name === s.name)) {
        errors.push({ severity: 'error', message: `TypeScript syscall '${s.name}' has the name of a row of ${this.tblFile}` });
        continue;
      }
      const nr = s.nr ?? nextFreeNumber([...taken.keys()].map((n) => ({ nr: n, abi: 'common' })), 0);
      if (taken.has(nr)) {
        errors.push({ severity: 'error', message: `syscall number ${nr} of TypeScript syscall '${s.name}' is already used by '${taken.get(nr)}'; the next free number is ${nextFreeNumber([...taken.keys()].map((n) => ({ nr: n, abi: 'common' })), 0)}` });
        continue;
      }
      taken.set(nr, s.name);
      ts.push({ nr, abi: this.config.arch === 'x86_64' ? 'common' : 'i386', name: s.name, entry: s.entry, line: 0 });
    }
    if (errors.length) {
      return { ok: false, diagnostics: [...diagnostics, ...errors], text: text + errors.map((e) => `ksim: error: ${e.message}\n`).join(''), syscalls: [] };
    }
    this.built = r.built;
    this.builtTs = ts;
    this.dirty = false;
    this.virtualFiles.set(`${VIRTUAL_ROOT}/include/ksim/syscall_numbers.h`, syscallHeaderText(this.kernel()));
    const cEntries = new Set(Object.keys(r.built.cParams));
    const syscalls = [
      ...r.built.tbl.filter((x) => cEntries.has(x.entry)).map((x) => ({ nr: x.nr, name: x.name, entry: x.entry, kind: 'c' as const })),
      ...ts.map((x) => ({ nr: x.nr, name: x.name, entry: x.entry, kind: 'typescript' as const })),
    ];
    return { ok: true, diagnostics, text, syscalls };
  }

  /** The kernel runs use: the last build plus the TypeScript rows, or the stock kernel. */
  private kernel(): BuiltKernel {
    const base = this.built ?? stockKernel(this.config);
    return this.builtTs.length ? { ...base, tbl: [...base.tbl, ...this.builtTs] } : base;
  }

  /** Whether the sources or TypeScript syscalls changed since the last build. */
  get needsBuild(): boolean {
    return this.dirty;
  }

  // --- programs ----------------------------------------------------------------------------

  /** Compiles C (one source string, or several files by name) into a program; errors are values. */
  compile(input: string | { source: string; name?: string; defines?: Record<string, string> } | { files: Record<string, string>; name?: string; defines?: Record<string, string> }): CompileResult {
    const req = typeof input === 'string' ? { source: input } : input;
    const files: Record<string, string> = 'files' in req ? req.files : { [`${req.name ?? 'prog'}.c`]: req.source };
    const names = Object.keys(files);
    if (names.length === 0) return { ok: false, diagnostics: [{ severity: 'fatal error', message: 'no input files' }], text: 'ksim: fatal error: no input files\n' };
    const name = req.name ?? names[0]!.replace(/^.*\//, '').replace(/\.c$/, '');
    if (!this.virtualFiles.has(`${VIRTUAL_ROOT}/include/ksim/syscall_numbers.h`)) {
      this.virtualFiles.set(`${VIRTUAL_ROOT}/include/ksim/syscall_numbers.h`, syscallHeaderText(this.kernel()));
    }
    const sys = nodeSysroot();
    const local = new Map(Object.entries(files).map(([n, t]) => [n, t]));
    const read = (p: string): string | undefined => {
      const v = local.get(p) ?? this.virtualFiles.get(p);
      if (v !== undefined) return v;
      if (this.inMemory && p.startsWith(this.dir)) {
        try {
          return dec.decode(this.host.fs.readFile(p));
        } catch {
          return undefined;
        }
      }
      return sys.readFile(p);
    };
    const r = compileProgram(names, read, sys, {
      target: { arch: this.config.arch, os: this.config.os },
      defines: 'defines' in req ? req.defines : undefined,
      machineIncludeDirs: [`${VIRTUAL_ROOT}/include`],
    });
    const diagnostics = r.diagnostics.map(toKsimDiagnostic);
    const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f) ?? read(f));
    if (!r.image || r.diagnostics.some(isError)) return { ok: false, diagnostics, text };
    return { ok: true, program: { kind: 'program', name, image: r.image }, diagnostics, text };
  }

  /**
   * Runs a program on a freshly booted kernel (building first when the sources changed) and
   * returns everything it did. Never throws for a failing build, compilation or program.
   */
  run(program: ProgramInput, opts: RunOptions = {}): RunResult {
    if (this.dirty) {
      const b = this.build();
      if (!b.ok) return failedRun('build', b.diagnostics, b.text);
    }
    // Resolve the program into an image (or a path inside the machine).
    let image: string | undefined;
    let path: string;
    let warnings: KsimDiagnostic[] = [];
    if (typeof program === 'string' || 'path' in program) {
      path = typeof program === 'string' ? program : program.path;
    } else if ('image' in program) {
      image = program.image;
      path = `/tmp/${program.name ?? 'a.out'}`;
    } else {
      const c = this.compile(program);
      if (!c.ok) return failedRun('compile', c.diagnostics, c.text);
      warnings = c.diagnostics;
      image = c.program.image;
      path = `/tmp/${c.program.name}`;
    }
    return this.runBooted(path, image, opts, warnings);
  }

  private runBooted(path: string, image: string | undefined, opts: RunOptions, warnings: KsimDiagnostic[]): RunResult {
    const console = new BufferConsole(opts.stdin ?? new Uint8Array(0));
    const clock: KernelClock = this.deterministic
      ? new VirtualClock(DETERMINISTIC_START_UPTIME_NS, DETERMINISTIC_BOOT_WALL_NS)
      : new RealClock(this.host.clock, this.inMemory ? this.host.clock.wallMs() - 1000 : readBoot(this.host, this.dir).bootWallMs, (ms) => this.host.sleepMs(ms));
    const ts = this.tsSyscalls;
    const extraHandlers: Record<string, SyscallHandler> = {};
    for (const s of ts.values()) extraHandlers[s.entry] = s.handler as SyscallHandler;
    const tsSignature = (name: string): SignatureInfo | undefined => {
      const s = ts.get(name);
      if (s && this.builtTs.some((r) => r.name === name)) return { args: s.args.map(([t, n]) => argFromC(t, n)), ret: 'long', classes: [] };
      return linuxSignature(name) as SignatureInfo | undefined;
    };
    const mountDir = this.inMemory ? `${this.dir}` : this.dir;
    const m: BootedMachine = bootMachine({
      host: this.host,
      config: this.config,
      built: this.kernel(),
      console,
      clock,
      images: { loadExecutable, loadKernel: loadKernelImage, signature: tsSignature },
      mount: { hostDir: mountDir, at: mountDir, readOnly: false },
      limits: this.limits,
      firstPid: this.deterministic ? this.firstPid : this.inMemory ? this.firstPid : reservePids(this.host, this.dir, 32),
      randomSeed: this.deterministic ? DETERMINISTIC_SEED : Math.floor(Math.random() * 2 ** 31),
      extraHandlers,
    });
    if (image !== undefined) m.vfs.writeFile(path, image, 0o755);
    const k = m.kernel;

    // Tracers.
    let straceText = '';
    let strace: Strace | undefined;
    if (opts.strace) {
      const req = opts.strace === true ? {} : opts.strace;
      const parsed = parseStraceArgs([...(req.args ?? []), path], { syscallNames: m.rows.map((r) => r.name) });
      if (!('options' in parsed)) {
        const text = 'error' in parsed ? parsed.error : parsed.output;
        return failedRun('exec', [{ severity: 'error', message: text.trim() }], text);
      }
      strace = new Strace(parsed.options, m.rows, { stderr: (t) => (straceText += t), openFile: () => (t: string) => (straceText += t) }, { wallBaseNs: k.clock.wallNs() - k.clock.uptimeNs() });
      k.attach(strace);
    }
    const ktraceChunks: Uint8Array[] = [];
    let recorder: ReturnType<typeof startKtrace> | undefined;
    if (opts.ktrace) {
      const req = opts.ktrace === true ? {} : opts.ktrace;
      const wall = k.clock.wallNs() - k.clock.uptimeNs();
      recorder = startKtrace(
        {
          points: req.points ? parseTracePoints(req.points) : DEF_POINTS,
          inherit: req.inherit ?? true,
          pids: [],
          abi: this.config.os === 'freebsd' ? 'freebsd' : this.config.arch === 'i386' ? 'linux32' : 'linux',
          rows: m.rows,
          bootTime: { sec: Math.floor(wall / 1e9), nsec: Math.floor(wall % 1e9) },
        },
        (bytes) => void ktraceChunks.push(bytes.slice()),
      );
      k.attach(recorder);
    }
    const calls = new CallRecorder(this.config.os);
    k.attach(calls);
    const argv = [opts.argv0 ?? path, ...(opts.args ?? [])];
    const env = opts.env === undefined ? undefined : Array.isArray(opts.env) ? opts.env : Object.entries(opts.env).map(([a, b]) => `${a}=${b}`);
    const runIt = () =>
      runProgram(m, argv, {
        env,
        uid: opts.uid,
        gid: opts.uid,
        beforeExec: recorder ? (t) => recorder!.trace(t.pid) : undefined,
      });

    let r: ReturnType<typeof runProgram> | undefined;
    let dtrace: DtraceOutput | undefined;
    if (opts.dtrace !== undefined) {
      const req: DtraceRequest = typeof opts.dtrace === 'string' ? { script: opts.dtrace } : opts.dtrace;
      const script = req.script ?? (req.probe !== undefined ? probeScriptText(req.probe) : undefined);
      if (script === undefined) return failedRun('exec', [{ severity: 'error', message: 'dtrace: give a script or a probe name' }], 'dtrace: give a script or a probe name\n');
      const scriptName = req.probe ? `${req.probe.replace(/\.d$/, '')}.d` : 'script.d';
      let out = '';
      let err = '';
      const probes = new KernelProbes(m.rows, () => k.clock.uptimeNs(), { kernel: k, kc: m.kc });
      const targetImage = targetImageOn(m, argv[0]!);
      if (targetImage) probes.addTarget(k.peekNextPid(), targetImage);
      const status = runDtrace([...(req.args ?? []), '-s', scriptName, ...(req.macroArgs ?? [])], {
        catalog: probes.catalog,
        stdout: (t) => (out += t),
        stderr: (t) => (err += t),
        readFile: (p) => {
          if (p === scriptName) return script;
          throw new Error(`${p}: not found`);
        },
        preprocess: (text, file, o) =>
          preprocess(file, { readFile: (p) => (p === file ? text : nodeSysroot().readFile(p)), defines: o.defines, undefines: o.undefs, includeDirs: o.includeDirs }).text,
        now: () => k.clock.uptimeNs(),
        targetPid: k.peekNextPid(),
        run: (dt) => {
          probes.bind(dt);
          k.attach(probes);
          r = runIt();
          if (!dt.suppressNotices) err += `dtrace: pid ${r.pid} has ${r.signo !== undefined ? 'terminated' : 'exited'}\n`;
          probes.tick();
        },
      });
      dtrace = { status, output: out, stderr: err };
      if (!r) return { ...failedRun('compile', [{ severity: 'error', message: err.trim() }], err), dtrace };
    } else {
      r = runIt();
    }
    strace?.finish();
    recorder?.stop();
    m.log.flush();
    const log = m.log.records();
    const result: RunResult = {
      status: r.status,
      code: r.code,
      signo: r.signo,
      signal: r.signo !== undefined ? signalName(r.signo) : undefined,
      coreDumped: r.coreDumped,
      pid: r.pid,
      stdout: console.stdoutText(),
      stderr: console.stderrText(),
      log,
      dmesg: this.formatLog(log),
      calls: calls.calls,
      notices: r.notices,
      warnings,
    };
    if (r.signo === undefined) delete result.signal;
    if (strace) result.strace = straceText === '' ? [] : straceText.replace(/\n$/, '').split('\n');
    if (recorder) Object.assign(result, decodeKtrace(ktraceChunks));
    if (dtrace) result.dtrace = dtrace;
    return result;
  }

  /** Kernel log records as dmesg prints them (Linux: `[    1.000150] text`; FreeBSD: plain lines). */
  formatLog(records: readonly LogRecord[], options: Partial<DmesgFormatOptions> = {}): string {
    if (this.config.os === 'freebsd') return formatFreebsdDmesg(records, { all: false });
    return formatDmesg(records, { ...DEFAULT_FORMAT_OPTIONS, ...options }, { bootWallUsec: DETERMINISTIC_BOOT_WALL_NS / 1000, utcOffsetMinutes: () => 0 });
  }
}

function failedRun(stage: RunError['stage'], diagnostics: KsimDiagnostic[], text: string): RunResult {
  return {
    status: stage === 'exec' ? 126 : 1,
    coreDumped: false,
    pid: 0,
    stdout: '',
    stderr: text,
    log: [],
    dmesg: '',
    calls: [],
    notices: [],
    warnings: [],
    error: { stage, diagnostics, text },
  };
}

/** Records every syscall with its arguments decoded by the row's formats. */
class CallRecorder implements KernelObserver {
  readonly calls: SyscallCall[] = [];
  private readonly open = new Map<number, SyscallCall>();
  constructor(private readonly os: string) {}

  syscallEnter(e: SyscallEnterEvent): void {
    const row = e.row;
    const specs = row?.args ?? [];
    const args: (string | number | bigint)[] = specs.map((spec, i) => {
      const v = e.args[i] ?? 0;
      if ((spec.fmt === 'str' || spec.fmt === 'path') && v !== 0) {
        const s = e.task.readCString(v, 4096);
        if (s) return dec.decode(s.bytes);
      }
      if (typeof v === 'number' && /^(int|fd|dirfd|pid|signo)$/.test(spec.fmt)) return v | 0;
      return v;
    });
    const call: SyscallCall = { pid: e.task.pid, name: row?.name ?? `syscall_${e.nr}`, nr: e.nr, args, errno: 0 };
    this.calls.push(call);
    this.open.set(e.task.tid, call);
  }

  syscallExit(e: SyscallExitEvent): void {
    const call = this.open.get(e.task.tid);
    if (!call) return;
    this.open.delete(e.task.tid);
    call.ret = e.ret;
    call.errno = e.errno;
    if (e.errno) {
      const name = this.os === 'linux' ? linuxErrnoName(e.errno) : freebsdErrnoName(e.errno);
      if (name) call.errnoName = name;
    }
  }
}

const TYPE_NAMES: Record<number, string> = {
  1: 'CALL', 2: 'RET', 3: 'NAMI', 4: 'GIO', 5: 'PSIG', 6: 'CSW', 7: 'USER', 8: 'STRU', 9: 'SCTL', 10: 'PCTOR', 11: 'PDTOR', 12: 'CAP', 13: 'PFLT', 14: 'PRET', 15: 'STRU',
};

/** Decodes the recorded ktrace bytes into entries and kdump's text. */
export function decodeKtrace(chunks: Uint8Array[]): { ktrace: KtraceEntry[]; kdump: string } {
  let total = 0;
  for (const c of chunks) total += c.length;
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  const reader = new KtraceReader({
    read: (buf, pos) => {
      const n = Math.max(0, Math.min(buf.length, bytes.length - pos));
      buf.set(bytes.subarray(pos, pos + n));
      return n;
    },
  });
  const fmt = new KdumpFormatter(defaultKdumpOptions());
  const entries: KtraceEntry[] = [];
  let kdump = '';
  for (;;) {
    const offset = reader.offset;
    const rec = reader.next();
    if (!rec) break;
    // Copy the body: the reader reuses its buffer.
    const copy: KtrRecord = structuredClone(rec);
    const text = fmt.format(copy, offset);
    kdump += text;
    if (text === '') continue;
    const e: KtraceEntry = { pid: copy.header.pid, comm: copy.header.comm, type: TYPE_NAMES[copy.header.type] ?? String(copy.header.type), text: text.replace(/\n$/, ''), record: copy };
    const b = copy.body;
    if (b.kind === 'syscall') {
      e.syscall = fmt.fileNames.get(b.code) ?? syscallNameFromText(text);
      e.args = b.args;
    } else if (b.kind === 'sysret') {
      e.syscall = fmt.fileNames.get(b.code) ?? syscallNameFromText(text);
      e.retval = b.retval;
      e.errno = b.error;
    }
    entries.push(e);
  }
  return { ktrace: entries, kdump };
}

function syscallNameFromText(text: string): string | undefined {
  return /(?:CALL|RET)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(text)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Shipped D scripts.

/** The path of a D script shipped in ksim's probes/ directory ('syscount' or 'syscount.d'). */
export function probeScriptPath(name: string): string {
  return `${nodeSysroot().root}/probes/${name.replace(/\.d$/, '')}.d`;
}

/** The text of a shipped D script. */
export function probeScriptText(name: string): string {
  const text = nodeSysroot().readFile(probeScriptPath(name));
  if (text === undefined) throw new Error(`ksim: no probe script named '${name}' in ${nodeSysroot().root}/probes`);
  return text;
}

/** The names of the shipped D scripts. */
export function probeScripts(): string[] {
  return nodeSysroot()
    .listDir(`${nodeSysroot().root}/probes`)
    .filter((f) => f.endsWith('.d'))
    .map((f) => f.slice(0, -2))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Making machines.

/** A machine in memory (no files): a fresh kernel source tree of the release, built on demand. */
export function createMachine(opts: MachineOptions = {}): KsimMachine {
  const host = createMemoryHost();
  const dir = '/machine';
  const init: InitOptions = { os: opts.os, arch: opts.arch, release: opts.release, localversion: opts.localversion, hostname: opts.hostname };
  const config = initMachine(host, dir, init);
  return new KsimMachine(host, dir, config, true, opts);
}

/** Creates a machine directory on disk (like `ksim init DIR`) and opens it. */
export function initMachineDirectory(dir: string, opts: MachineOptions = {}): KsimMachine {
  const host = createNodeHost();
  const abs = absolutePath(host, dir);
  const config = initMachine(host, abs, { os: opts.os, arch: opts.arch, release: opts.release, localversion: opts.localversion, hostname: opts.hostname });
  return new KsimMachine(host, abs, config, false, opts);
}

/** Opens a machine directory made by `ksim init` (its sources, its last build). */
export function openMachine(dir: string, opts: OpenMachineOptions = {}): KsimMachine {
  const host = createNodeHost();
  const abs = absolutePath(host, dir);
  if (!host.fs.exists(`${abs}/${CONFIG_FILE}`)) throw new MachineError(`${abs}: not a ksim machine (no ${CONFIG_FILE}); create one with 'ksim init ${dir}'`);
  return new KsimMachine(host, abs, readConfig(host, abs), false, opts);
}

export { LOG_LEVEL_NAMES };
