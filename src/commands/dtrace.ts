// `ksim dtrace [options]`: compiles D scripts and runs them in probe context inside the machine's
// kernel. With -c CMD the command runs on the machine and dtrace exits when it ends. Without it,
// dtrace traces system-wide: it registers in the machine's .ksim/dtrace/, every ksim command that
// boots the machine meanwhile fires its clauses and appends records, and dtrace prints them until
// ^C or exit() (src/cli/dtrace-registry.ts, src/dtrace/remote.ts).
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram } from '../cli/program.js';
import { runProgram } from '../machine/boot.js';
import { startDtrace, parseDtraceArgs, type StartedDtrace } from '../dtrace/cli.js';
import { applyRemoteRecord } from '../dtrace/remote.js';
import { registerConsumer, tailRecords } from '../cli/dtrace-registry.js';
import { KernelProbes } from '../dtrace/kernel-provider.js';
import { targetImageOn } from '../dtrace/pid-provider.js';
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
  static override description = 'Trace the machine with D scripts (syscall, proc, profile, fbt probes), as dtrace does: the -c command, or without -c every ksim command on the machine until ^C';
  static override strict = false;
  static override examples = [
    `<%= config.bin %> dtrace -q -n 'syscall::stephen:entry { printf("%s\\n", copyinstr(arg0)); }' -c './test hi'`,
    `<%= config.bin %> dtrace -n 'syscall:::entry { @[probefunc] = count(); }' -c ./test`,
    `<%= config.bin %> dtrace -n 'syscall:::entry { @[execname] = count(); }'    # then ksim run ... in another terminal, ^C`,
    '<%= config.bin %> dtrace -l -P syscall',
    '<%= config.bin %> dtrace -s probes/syscount.d -c ./test',
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
    try {
      parsedCommand = parseDtraceArgs(split.rest, readFile).command;
    } catch {
      parsedCommand = undefined; // startDtrace reports usage errors itself
    }
    const session = await openMachineSession(this.host, located, { noSystemwideDtrace: parsedCommand === undefined });
    const k = session.machine.kernel;
    const probes = new KernelProbes(session.machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: session.machine.kc });
    let registration: ReturnType<typeof registerConsumer> | undefined;
    const targetPid = parsedCommand ? k.peekNextPid() : undefined;
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
        // Without -c: registered before the notice, so a run started after it is traced.
        enabled: parsedCommand === undefined ? (_dt, _args, spec) => { registration = registerConsumer(located.dir, spec); } : undefined,
      });
      if (typeof started === 'number') status = started;
      else if (registration) status = await this.followSystemwide(started, registration, () => k.clock.uptimeNs());
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
      session.close();
    }
    process.exit(status);
  }

  /**
   * System-wide: prints what the machine's runs record, fires tick/profile probes on the clock,
   * until exit() or ^C (SIGINT, or SIGTERM); then END and the aggregations, as with -c.
   */
  private async followSystemwide(started: StartedDtrace, reg: ReturnType<typeof registerConsumer>, now: () => number): Promise<number> {
    const dt = started.session;
    const read = tailRecords(reg.recordsPath);
    const drain = () => {
      for (const line of read()) applyRemoteRecord(dt, line);
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
