// The tracers inside the machine: the runners behind ksim_tool (src/kernel/syscalls/ksim-tool.ts)
// that the machine's own /bin/strace, /bin/ktrace, /bin/kdump and /bin/dtrace call. Each parses its
// argv as the real tool does, attaches ksim's tracer to the command it runs (a child of the
// calling process), and writes where the real tool writes: strace and dtrace to the caller's
// stderr/stdout (or -o FILE in the machine), ktrace to ktrace.out in the caller's directory, which
// kdump reads from there. Core code: the machine's files are reached through the kernel's VFS.
import type { ToolRunner, ToolStart } from '../kernel/syscalls/ksim-tool.js';
import type { KernelObserver, TraceTask } from '../kernel/events.js';
import { Errno } from '../kernel/errno.js';
import { linuxStrerror } from '../kernel/errno-linux.js';
import { Strace, parseStraceArgs } from '../strace/index.js';
import { parseKdumpArgs, parseKtraceArgs } from '../ktrace/cli.js';
import { runKdumpStream } from '../ktrace/kdump.js';
import { startKtrace } from '../ktrace/recorder.js';
import { startDtrace, runDtrace, parseDtraceArgs, type DtraceRunHost } from '../dtrace/cli.js';
import { KernelProbes } from '../dtrace/kernel-provider.js';
import { pidImageOf, pidTargetImage } from '../dtrace/pid-provider.js';
import type { ImageJson } from '../cc/link.js';
import { preprocess } from '../cc/preprocess.js';

const decoder = new TextDecoder();

function errnoOf(e: unknown): number {
  if (e instanceof Errno) return e.errno;
  throw e;
}

/**
 * Forwards a tracer's events for one process tree only (the command and, when follow is set, the
 * processes it forks), so the shell and the rest of the machine stay out of its output.
 */
export function treeObserver(target: KernelObserver, rootPid: number, follow: boolean): KernelObserver {
  const pids = new Set([rootPid]);
  const o: KernelObserver = {};
  const methods = ['syscallEnter', 'syscallExit', 'signalDeliver', 'exec', 'exit', 'namei', 'io', 'contextSwitch', 'fault', 'userTrace'] as const;
  for (const m of methods) {
    const f = target[m] as ((e: { task: TraceTask }) => void) | undefined;
    if (f) (o as Record<string, unknown>)[m] = (e: { task: TraceTask }) => {
      if (pids.has(e.task.pid)) f.call(target, e);
    };
  }
  if (target.signalSend) o.signalSend = (e) => {
    if (pids.has(e.target.pid)) target.signalSend!(e);
  };
  o.fork = (e) => {
    if (!pids.has(e.task.pid)) return;
    if (follow) pids.add(e.child.pid);
    target.fork?.(e);
  };
  if (target.wantsSyscall) o.wantsSyscall = (nr) => target.wantsSyscall!(nr);
  return o;
}

const strace: ToolRunner = (argv, io) => {
  const names = io.rows.filter((r) => r.abi !== 'x32').map((r) => r.name);
  const parsed = parseStraceArgs(argv.slice(1), { syscallNames: names });
  if ('output' in parsed) {
    io.stdout(parsed.output);
    return { status: parsed.exitCode };
  }
  if ('error' in parsed) {
    io.stderr(parsed.error);
    return { status: parsed.exitCode };
  }
  const k = io.kernel;
  const attachTo = parsed.command.length === 0 ? parsed.options.pids : [];
  if (parsed.command.length === 0 && attachTo.length !== 1) {
    io.stderr(attachTo.length
      ? 'strace: ksim\'s strace attaches to one process: give -p once\n'
      : "strace: must have PROG [ARGS] or -p PID\nTry 'strace -h' for more information.\n");
    return { status: 1 };
  }
  const grabbed = attachTo.length ? k.tasks.get(attachTo[0]!) : undefined;
  if (attachTo.length && (!grabbed || grabbed.state === 'zombie')) {
    io.stderr(`strace: attach: ptrace(PTRACE_SEIZE, ${attachTo[0]}): No such process\n`);
    return { status: 1 };
  }
  let tracer: Strace;
  try {
    tracer = new Strace(parsed.options, io.rows, {
      stderr: (t) => io.stderr(t),
      openFile: (p) => io.openWrite(p, false),
    }, { wallBaseNs: k.clock.wallNs() - k.clock.uptimeNs() });
  } catch (e) {
    io.stderr(`strace: Can't fopen '${parsed.options.outputFile}': ${linuxStrerror(errnoOf(e))}\n`);
    return { status: 1 };
  }
  const observers: KernelObserver[] = [];
  if (grabbed) {
    // strace -p PID: a running process of this machine, traced from its next system call until
    // it exits, or until strace is interrupted (^C), which detaches it as strace does.
    const pid = grabbed.pid;
    io.stderr(`strace: Process ${pid} attached\n`);
    tracer.attach(k.traceView(grabbed));
    observers.push(treeObserver(tracer, pid, parsed.options.followForks));
    return {
      grab: pid,
      observers,
      ended: (end) => {
        if (!end) io.stderr(`strace: Process ${pid} detached\n`);
        tracer.finish();
        return 0;
      },
    };
  }
  return {
    command: parsed.command,
    observers,
    started: (child) => {
      tracer.attach(child);
      observers.push(treeObserver(tracer, child.pid, parsed.options.followForks));
    },
    ended: (end) => {
      tracer.finish();
      return end ? end.status : 1;
    },
    execFailed: (path, errno) => {
      io.stderr(`strace: Can't stat '${path}': ${linuxStrerror(errno)}\n`);
      return 1;
    },
  } satisfies ToolStart;
};

const ktrace: ToolRunner = (argv, io) => {
  const args = parseKtraceArgs(argv.slice(1));
  if (!args.ok) {
    io.stderr(args.stderr);
    return { status: args.status };
  }
  if (args.command.length === 0) {
    if (args.clear !== 'none') return { status: 0 };
    io.stderr('ktrace: -p and -g are not supported inside the machine: give PROG [ARGS]\n');
    return { status: 1 };
  }
  let write: (d: Uint8Array) => void;
  try {
    write = io.openWrite(args.file, args.append);
  } catch (e) {
    io.stderr(`ktrace: ${args.file}: ${linuxStrerror(errnoOf(e))}\n`);
    return { status: 1 };
  }
  const k = io.kernel;
  const wall = k.clock.wallNs() - k.clock.uptimeNs();
  const recorder = startKtrace(
    {
      points: args.points,
      inherit: args.inherit,
      pids: [],
      abi: k.identity.os === 'freebsd' ? 'freebsd' : 'linux',
      rows: io.rows,
      bootTime: { sec: Math.floor(wall / 1e9), nsec: Math.floor(wall % 1e9) },
    },
    (bytes) => write(bytes),
  );
  return {
    command: args.command,
    observers: [recorder],
    started: (child) => recorder.trace(child.pid),
    ended: (end) => {
      recorder.stop();
      return end ? end.status : 1;
    },
    execFailed: (path, errno) => {
      recorder.stop();
      io.stderr(`ktrace: exec of '${path}' failed: ${linuxStrerror(errno)}\n`);
      return 1;
    },
  };
};

const kdump: ToolRunner = (argv, io) => {
  const parsed = parseKdumpArgs(argv.slice(1));
  if (!parsed.ok) {
    io.stderr(parsed.stderr);
    return { status: parsed.status };
  }
  if (parsed.follow) {
    io.stderr('kdump: -l is not supported inside the machine\n');
    return { status: 1 };
  }
  if (parsed.file === '-') {
    io.stderr('kdump: reading the trace from standard input is not supported inside the machine\n');
    return { status: 1 };
  }
  let data: Uint8Array;
  try {
    data = io.readFile(parsed.file);
  } catch (e) {
    io.stderr(`kdump: ${parsed.file}: ${linuxStrerror(errnoOf(e))}\n`);
    return { status: 1 };
  }
  const names = new Map<number, string>();
  for (const r of io.rows) if (r.abi !== 'x32' && !names.has(r.nr)) names.set(r.nr, r.name);
  const source = {
    read(buf: Uint8Array, position: number): number {
      const part = data.subarray(position, position + buf.length);
      buf.set(part);
      return part.length;
    },
  };
  const r = runKdumpStream(source, { ...parsed.options, screenWidth: 80, syscallName: (_abi, nr) => names.get(nr) }, (s) => io.stdout(s), (s) => io.stderr(s));
  return { status: r.status };
};

/** Splits dtrace's -c string into words (quotes group words), as the command's argv. */
function splitWords(cmd: string): string[] {
  const words: string[] = [];
  const re = /"((?:\\.|[^"])*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}

const dtrace: ToolRunner = (argv, io) => {
  const k = io.kernel;
  const probes = new KernelProbes(io.rows, () => k.clock.uptimeNs());
  const readText = (p: string) => decoder.decode(io.readFile(p));
  const appenders = new Map<string, (d: string) => void>();
  const host: DtraceRunHost = {
    catalog: probes.catalog,
    stdout: (t) => io.stdout(t),
    stderr: (t) => io.stderr(t),
    readFile: readText,
    appendFile: (p, t) => {
      let w = appenders.get(p);
      if (!w) {
        w = io.openWrite(p, true);
        appenders.set(p, w);
      }
      w(t);
    },
    preprocess: (text, file, o) =>
      preprocess(file, {
        readFile: (p) => {
          if (p === file) return text;
          try {
            return readText(p);
          } catch {
            return undefined;
          }
        },
        defines: o.defines,
        undefines: o.undefs,
        includeDirs: o.includeDirs,
      }).text,
    now: () => k.clock.uptimeNs(),
  };
  let command: string | undefined;
  let grabPid: number | undefined;
  try {
    ({ command, pid: grabPid } = parseDtraceArgs(argv.slice(1), readText));
  } catch {
    command = undefined; // startDtrace reports usage errors itself
  }
  // (an invalid -p is startDtrace's error)
  if (command === undefined && grabPid !== undefined && !Number.isNaN(grabPid)) return grab(argv, io, probes, host, grabPid);
  if (command === undefined) {
    // No command: BEGIN, END and profile probes on the simulated clock, as `ksim dtrace` without -c.
    return { status: runDtrace(argv.slice(1), host) };
  }
  const words = splitWords(command);
  if (words.length === 0) {
    io.stderr('dtrace: failed to execute : No such file or directory\n');
    return { status: 1 };
  }
  // pid$target probes from the command's executable, read as the caller names it.
  const targetImage = (() => { try { return pidTargetImage(io.readFile(words[0]!), words[0]!); } catch { return undefined; } })();
  if (targetImage) probes.addTarget(k.peekNextPid(), targetImage, k);
  const started = startDtrace(argv.slice(1), { ...host, targetPid: k.peekNextPid() });
  if (typeof started === 'number') return { status: started };
  probes.bind(started.session);
  return {
    command: words,
    observers: [probes],
    ended: (end) => {
      if (end && !started.session.suppressNotices) io.stderr(`dtrace: pid ${end.pid} has ${end.signo !== undefined ? 'terminated' : 'exited'}\n`);
      probes.tick();
      return started.finish();
    },
    execFailed: (path, errno) => {
      io.stderr(`dtrace: failed to execute ${path}: ${linuxStrerror(errno)}\n`);
      return started.finish() || 1;
    },
  };
};

/**
 * dtrace -p PID: traces a running process of this machine ($target) until it ends, its pid$target
 * probes made from the image it runs; a pid the machine does not have cannot be grabbed.
 */
function grab(argv: string[], io: Parameters<ToolRunner>[1], probes: KernelProbes, host: DtraceRunHost, pid: number): ToolStart {
  const k = io.kernel;
  const task = Number.isInteger(pid) ? k.tasks.get(pid) : undefined;
  if (!task || task.state === 'zombie') {
    io.stderr(`dtrace: failed to grab pid ${pid}: No such process\n`);
    return { status: 1 };
  }
  const image = task.image as { json?: ImageJson; name?: string } | null;
  if (image?.json) probes.addTarget(pid, pidImageOf(image.json, image.name ?? ''), k, true);
  const started = startDtrace(argv.slice(1), { ...host, targetPid: pid });
  if (typeof started === 'number') return { status: started };
  probes.bind(started.session);
  return {
    grab: pid,
    observers: [probes],
    done: () => started.session.exitRequested,
    ended: (end) => {
      if (end && !started.session.suppressNotices) io.stderr(`dtrace: pid ${pid} has exited\n`);
      probes.tick();
      return started.finish();
    },
  };
}

/** The tools every machine's ksim_tool answers to, by name. */
export function machineTools(): Record<string, ToolRunner> {
  return { strace, ktrace, kdump, dtrace };
}
