// `ksim dtrace [options]`: compiles D scripts and runs them in probe context inside the machine's
// kernel. With -c CMD the command runs on the machine and dtrace exits when it ends. Without it,
// dtrace traces system-wide: it registers in the machine's .ksim/dtrace/, every ksim command that
// boots the machine meanwhile fires its clauses and appends records, and dtrace prints them until
// ^C or exit() (src/cli/dtrace-registry.ts, src/dtrace/remote.ts). With -p PID (no -c) it grabs a
// process of another running ksim command on the machine through the same registry: the run that
// has the pid answers with its image (pid$target probes), enables the script on it, and says when
// it exits; dtrace then prints `dtrace: pid N has exited` and its aggregations.
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram } from '../cli/program.js';
import { runProgram } from '../machine/boot.js';
import { startDtrace, parseDtraceArgs, type StartedDtrace } from '../dtrace/cli.js';
import { applyRemoteRecord } from '../dtrace/remote.js';
import { registerConsumer, tailRecords, GRAB_WAIT_MS, type ConsumerRegistration } from '../cli/dtrace-registry.js';
import { KernelProbes } from '../dtrace/kernel-provider.js';
import { targetImageOn, type PidTargetImage } from '../dtrace/pid-provider.js';
import { preprocess } from '../cc/preprocess.js';
import { splitMachineFlag } from './dmesg.js';
import { absolutePath } from '../machine/locate.js';
import * as fs from 'node:fs';

/** Splits a -c command string into words, honouring simple quotes as a shell would. */
export function splitCommand(cmd: string): string[] {
  const words: string[] = [];
  const re = /"((?:\\.|[^"])*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!));
  return words;
}

export default class DtraceCommand extends KsimCommand {
  static override description = 'Trace the machine with D scripts (syscall, proc, profile, fbt, sched, pid probes), as dtrace does: the -c command, -p a process of another running ksim command, or without them every ksim command on the machine until ^C';
  static override strict = false;
  static override examples = [
    `<%= config.bin %> dtrace -q -n 'syscall::stephen:entry { printf("%s\\n", copyinstr(arg0)); }' -c './test hi'`,
    `<%= config.bin %> dtrace -n 'syscall:::entry { @[probefunc] = count(); }' -c ./test`,
    `<%= config.bin %> dtrace -n 'syscall:::entry { @[execname] = count(); }'    # then ksim run ... in another terminal, ^C`,
    '<%= config.bin %> dtrace -l -P syscall',
    '<%= config.bin %> dtrace -s probes/syscount.d -c ./test',
    `<%= config.bin %> dtrace -n 'pid$target::main:3 { @ = count(); }' -p 1000   # block 3 of main in the process 1000 of a ksim run`,
  ];

  async run(): Promise<void> {
    // Arguments are the tool's own (parsed below as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(DtraceCommand, []);
    this.argv = rawArgv;
    const split = splitMachineFlag(this.argv);
    if (split.error) throw new UserError(split.error.trim(), 1);
    const located = this.machine(split.machine);
    const readFile = (p: string) => fs.readFileSync(absolutePath(this.host, p), 'utf8');
    let parsedCommand: string | undefined;
    let parsedPid: number | undefined;
    try {
      ({ command: parsedCommand, pid: parsedPid } = parseDtraceArgs(split.rest, readFile));
    } catch {
      parsedCommand = undefined; // startDtrace reports usage errors itself
    }
    const session = await openMachineSession(this.host, located, { noSystemwideDtrace: parsedCommand === undefined });
    const k = session.machine.kernel;
    const probes = new KernelProbes(session.machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: session.machine.kc });
    let registration: ConsumerRegistration | undefined;
    // -p PID: a process of another ksim command, found through the registry.
    // (an invalid -p is startDtrace's error)
    const grab = parsedCommand === undefined && parsedPid !== undefined && !Number.isNaN(parsedPid) ? await grabProcess(located.dir, parsedPid) : undefined;
    if (grab === null) {
      this.err(`dtrace: failed to grab pid ${parsedPid}: No such process\n`);
      session.close();
      process.exit(1);
    }
    if (grab?.image) probes.addTarget(grab.pid, grab.image);
    const targetPid = parsedCommand ? k.peekNextPid() : grab?.pid;
    const firstWord = parsedCommand ? splitCommand(parsedCommand)[0] : undefined;
    const precompiled = firstWord?.endsWith('.c') ? await prepareProgram(this.host, located, session.machine, firstWord) : undefined;
    // pid$target probes: the functions of the command's executable.
    const targetImage = firstWord ? targetImageOn(session.machine, precompiled ?? firstWord) : undefined;
    if (targetImage && targetPid !== undefined) probes.addTarget(targetPid, targetImage);
    let status: number;
    try {
      const started = startDtrace(split.rest, {
        catalog: probes.catalog,
        stdout: (t) => this.out(t),
        stderr: (t) => this.err(t),
        readFile,
        appendFile: (p, t) => fs.appendFileSync(absolutePath(this.host, p), t),
        preprocess: (text, file, o) => {
          const r = preprocess(file, {
            readFile: (p) => (p === file ? text : (() => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } })()),
            defines: o.defines,
            undefines: o.undefs,
            includeDirs: o.includeDirs,
          });
          return r.text;
        },
        now: () => k.clock.uptimeNs(),
        targetPid,
        // Without -c: registered before the notice, so a run started after it is traced (with
        // -p: the grabbing run has enabled the script before the notice).
        enabled: grab ? (_dt, _args, spec) => { registration = grab.enable(spec); }
          : parsedCommand === undefined ? (_dt, _args, spec) => { registration = registerConsumer(located.dir, spec); } : undefined,
      });
      if (typeof started === 'number') status = started;
      else if (registration) status = await this.followSystemwide(started, registration, () => k.clock.uptimeNs(), grab);
      else {
        const { session: dt, args } = started;
        probes.bind(dt);
        k.attach(probes);
        if (args.command) {
          const words = splitCommand(args.command);
          const path = words[0]!.endsWith('.c') ? precompiled! : words[0]!;
          const r = runProgram(session.machine, [path, ...words.slice(1)]);
          for (const n of r.notices) this.err(`${n}\n`);
          if (!dt.suppressNotices) this.err(`dtrace: pid ${r.pid} has ${r.signo !== undefined ? 'terminated' : 'exited'}\n`);
        }
        probes.tick();
        status = started.finish();
      }
    } finally {
      registration?.unregister();
      registration?.removeRecords();
      grab?.registration.unregister();
      grab?.registration.removeRecords();
      session.close();
    }
    process.exit(status);
  }

  /**
   * System-wide: prints what the machine's runs record, fires tick/profile probes on the clock,
   * until exit() or ^C (SIGINT, or SIGTERM); then END and the aggregations, as with -c.
   */
  private async followSystemwide(started: StartedDtrace, reg: ConsumerRegistration, now: () => number, grab?: Grab): Promise<number> {
    const dt = started.session;
    const read = grab ? grab.read : tailRecords(reg.recordsPath);
    let exited = false;
    const drain = () => {
      for (const line of read()) {
        if (exited) break;
        if (grab && line.startsWith('{"g')) {
          // The grabbed process exited (or its run ended).
          if ((JSON.parse(line) as { gx?: number }).gx === grab.pid) exited = true;
          continue;
        }
        applyRemoteRecord(dt, line);
      }
      if (grab && !exited && !alive(grab.hostPid)) exited = true;
    };
    let interrupted = false;
    let wake: () => void = () => {};
    const onSignal = () => {
      interrupted = true;
      wake();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      while (!dt.exitRequested && !interrupted) {
        drain();
        if (dt.exitRequested) break;
        if (exited) {
          if (!dt.suppressNotices) this.err(`dtrace: pid ${grab!.pid} has exited\n`);
          break;
        }
        dt.tick(now());
        if (dt.exitRequested) break;
        const next = dt.nextTickNs();
        const waitMs = Math.max(1, Math.min(POLL_MS, next === undefined ? POLL_MS : Math.ceil((next - now()) / 1e6)));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          wake = () => { clearTimeout(timer); resolve(); };
        });
      }
      reg.unregister();
      // What runs wrote before the end (after exit(), dtrace drops the rest, as the real one does).
      if (!dt.exitRequested) drain();
      return started.finish();
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** How often a system-wide consumer looks for new records (ms). */
const POLL_MS = 25;

/** A grabbed process: its pid, the run that has it, its image, the records so far. */
interface Grab {
  pid: number;
  hostPid: number;
  image: PidTargetImage | null;
  registration: ConsumerRegistration;
  /** The records after the grab's answers (what read() returned while waiting is kept for it). */
  read(): string[];
  /** Registers the compiled script and waits (a while) until the run has enabled it. */
  enable(spec: Parameters<ConsumerRegistration['setSpec']>[0]): ConsumerRegistration;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Asks the machine's running ksim commands for pid (a grab request in the registry); null when
 * none answers within GRAB_WAIT_MS (no such process on the machine).
 */
async function grabProcess(machineDir: string, pid: number): Promise<Grab | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const registration = registerConsumer(machineDir, null, pid);
  const tail = tailRecords(registration.recordsPath);
  const kept: string[] = [];
  let host: number | undefined;
  let image: PidTargetImage | null | undefined;
  // The run that has the pid says so within GRAB_WAIT_MS; its image follows once it loaded the
  // pid provider (a while on a busy machine, unless that run ends meanwhile).
  const deadline = Date.now() + GRAB_WAIT_MS;
  while (image === undefined && (host === undefined ? Date.now() < deadline : alive(host))) {
    for (const line of tail()) {
      try {
        const r = JSON.parse(line) as { g?: number; host?: number; gi?: number; image?: PidTargetImage | null };
        if (r.g === pid && typeof r.host === 'number') host = r.host;
        if (r.gi === pid) image = r.image ?? null;
      } catch {
        // a partial line
      }
    }
    if (image === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (host === undefined || image === undefined) {
    registration.unregister();
    registration.removeRecords();
    return null;
  }
  const read = () => {
    const out = kept.splice(0);
    out.push(...tail());
    return out;
  };
  return {
    pid,
    hostPid: host,
    image,
    registration,
    read,
    enable: (spec) => {
      registration.setSpec(spec);
      // The notice comes once the run enabled the script ({"ga"}), or the process is gone ({"gx"}),
      // or the run ended.
      while (alive(host)) {
        const lines = tail();
        kept.push(...lines);
        if (lines.some((l) => l.startsWith(`{"ga":${pid}}`) || l.startsWith(`{"gx":${pid}}`))) break;
        sleepSync(10);
      }
      return registration;
    },
  };
}
