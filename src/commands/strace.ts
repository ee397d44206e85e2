// `ksim strace [OPTIONS] PROG [ARGS...]`: runs a program on the machine and prints what strace
// prints on Linux, decoded from the machine's syscall rows (custom syscalls included).
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram, reportEnd } from '../cli/program.js';
import { runProgram } from '../machine/boot.js';
import { parseStraceArgs, Strace } from '../strace/index.js';
import { splitMachineFlag } from './dmesg.js';
import { absolutePath } from '../machine/locate.js';
import * as fs from 'node:fs';

export default class StraceCommand extends KsimCommand {
  static override description = "Trace a program's system calls and signals, as strace does";
  static override strict = false;
  static override examples = ['<%= config.bin %> strace ./test hi', '<%= config.bin %> strace -f -e trace=%process ./shell', '<%= config.bin %> strace -c ./test hi', '<%= config.bin %> strace -o trace.txt -tt ./test hi'];

  async run(): Promise<void> {
    // Arguments are the tool's own (parsed below as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(StraceCommand, []);
    this.argv = rawArgv;
    const split = splitMachineFlag(this.argv);
    if (split.error) throw new UserError(split.error.trim(), 1);
    const located = this.machine(split.machine);
    const session = await openMachineSession(this.host, located, {});
    // Every name of the machine's table is a valid -e trace= name, custom rows included.
    const customNames = session.machine.rows.filter((r) => r.abi !== 'x32').map((r) => r.name);
    const parsed = parseStraceArgs(split.rest, { syscallNames: customNames });
    if ('output' in parsed) {
      this.out(parsed.output);
      session.close();
      process.exit(parsed.exitCode);
    }
    if ('error' in parsed) {
      this.err(parsed.error);
      session.close();
      process.exit(parsed.exitCode);
    }
    if (parsed.command.length === 0) {
      session.close();
      if (parsed.options.pids.length) {
        // A running process lives inside the ksim command that runs it; /bin/strace there can attach.
        throw new UserError(`attach: pid ${parsed.options.pids[0]} is not a process of this command: run strace -p inside the machine (ksim shell: ./prog & strace -p $!)`, 1);
      }
      throw new UserError('must have PROG [ARGS] or -p PID\nTry \'strace -h\' for more information.', 1);
    }
    if (session.warning) this.err(session.warning);
    const k = session.machine.kernel;
    // -o files are written in blocks (as strace's stdio buffers them): one write per 64 KiB instead
    // of two per traced call, which was most of strace's cost per call.
    const files: { fd: number; text: string }[] = [];
    const flushFile = (f: { fd: number; text: string }) => {
      if (f.text) fs.writeSync(f.fd, f.text);
      f.text = '';
    };
    // Like strace's stdio on a pipe or file, output is line-buffered when stderr is not a terminal:
    // the traced program's own output never lands in the middle of a line.
    const lineBuffered = !this.host.isatty(2);
    let pendingText = '';
    const flushPending = () => {
      if (pendingText) this.err(pendingText);
      pendingText = '';
    };
    const strace = new Strace(parsed.options, session.machine.rows, {
      stderr: (t) => {
        if (!lineBuffered) return this.err(t);
        pendingText += t;
        const nl = pendingText.lastIndexOf('\n');
        if (nl >= 0) {
          this.err(pendingText.slice(0, nl + 1));
          pendingText = pendingText.slice(nl + 1);
        }
      },
      openFile: (p) => {
        const f = { fd: fs.openSync(absolutePath(this.host, p), 'w'), text: '' };
        files.push(f);
        return (t: string) => {
          f.text += t;
          if (f.text.length >= 65536) flushFile(f);
        };
      },
    }, { wallBaseNs: k.clock.wallNs() - k.clock.uptimeNs() });
    if (located.config.os === 'freebsd') strace.abi = 'freebsd';
    k.attach(strace);
    let status = 0;
    try {
      const path = await prepareProgram(this.host, located, session.machine, parsed.command[0]!);
      const r = runProgram(session.machine, [path, ...parsed.command.slice(1)]);
      strace.finish();
      flushPending();
      for (const n of r.notices) this.err(`${n}\n`);
      status = r.status;
      if (r.signo !== undefined) reportEnd(this.host, { ...r, notices: [] });
    } finally {
      flushPending();
      for (const f of files) {
        flushFile(f);
        fs.closeSync(f.fd);
      }
      session.close();
    }
    process.exit(status);
  }
}
