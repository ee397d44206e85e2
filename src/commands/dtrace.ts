// `ksim dtrace [options]`: compiles D scripts and runs them in probe context inside the machine's
// kernel. With -c CMD the command runs on the machine and dtrace exits when it ends.
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram } from '../cli/program.js';
import { runProgram } from '../machine/boot.js';
import { runDtrace, parseDtraceArgs } from '../dtrace/cli.js';
import { KernelProbes } from '../dtrace/kernel-provider.js';
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
  static override description = 'Trace the machine with D scripts (syscall, proc, profile probes), as dtrace does';
  static override strict = false;
  static override examples = [
    `<%= config.bin %> dtrace -q -n 'syscall::stephen:entry { printf("%s\\n", copyinstr(arg0)); }' -c './test hi'`,
    `<%= config.bin %> dtrace -n 'syscall:::entry { @[probefunc] = count(); }' -c ./test`,
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
    const session = await openMachineSession(this.host, located, {});
    const k = session.machine.kernel;
    const probes = new KernelProbes(session.machine.rows, () => k.clock.uptimeNs());
    const readFile = (p: string) => fs.readFileSync(absolutePath(this.host, p), 'utf8');
    let parsedCommand: string | undefined;
    try {
      parsedCommand = parseDtraceArgs(split.rest, readFile).command;
    } catch {
      parsedCommand = undefined; // runDtrace reports usage errors itself
    }
    const targetPid = parsedCommand ? k.peekNextPid() : undefined;
    const firstWord = parsedCommand ? splitCommand(parsedCommand)[0] : undefined;
    const precompiled = firstWord?.endsWith('.c') ? await prepareProgram(this.host, located, session.machine, firstWord) : undefined;
    let status: number;
    try {
      status = runDtrace(split.rest, {
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
        run: (dt, args) => {
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
        },
      });
    } finally {
      session.close();
    }
    process.exit(status);
  }
}
