// `ksim ktrace [-aCcdi] [-f trfile] [-t trstr] PROG [ARGS...]`: runs a program and records its
// kernel activity to a FreeBSD ktrace.out file (read it with `ksim kdump`).
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram, reportEnd } from '../cli/program.js';
import { runProgram } from '../machine/boot.js';
import { parseKtraceArgs } from '../ktrace/cli.js';
import { startKtrace } from '../ktrace/recorder.js';
import { splitMachineFlag } from './dmesg.js';
import { absolutePath } from '../machine/locate.js';
import * as fs from 'node:fs';

export default class KtraceCommand extends KsimCommand {
  static override description = "Record a program's kernel activity to a ktrace file (FreeBSD's format)";
  static override strict = false;
  static override examples = ['<%= config.bin %> ktrace ./test hi && <%= config.bin %> kdump', '<%= config.bin %> ktrace -i -t ci -f out.kt ./shell'];

  async run(): Promise<void> {
    // Arguments are the tool's own (parsed below as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(KtraceCommand, []);
    this.argv = rawArgv;
    const split = splitMachineFlag(this.argv);
    if (split.error) throw new UserError(split.error.trim(), 1);
    const args = parseKtraceArgs(split.rest);
    if (!args.ok) {
      this.err(args.stderr);
      process.exit(args.status);
    }
    if (args.command.length === 0) {
      // -C / -c / -p act on running processes; a ksim run ends with its command, so nothing is traced.
      if (args.clear !== 'none') return;
      throw new UserError('ksim runs a command per trace: give PROG [ARGS] (-p and -g need a running process)', 1);
    }
    const located = this.machine(split.machine);
    const session = await openMachineSession(this.host, located, {});
    if (session.warning) this.err(session.warning);
    const file = absolutePath(this.host, args.file);
    // Whole records, written in blocks of up to 64 KiB with O_APPEND (a write per record was most of
    // ktrace's cost per call) and at least every 100 ms: a killed ksim leaves whole records, all
    // but the last 100 ms of them.
    const fd = fs.openSync(file, args.append ? 'a' : 'w');
    const k = session.machine.kernel;
    const wall = k.clock.wallNs() - k.clock.uptimeNs();
    const recorder = startKtrace(
      {
        points: args.points,
        inherit: args.inherit,
        pids: [],
        abi: located.config.os === 'freebsd' ? 'freebsd' : 'linux',
        rows: session.machine.rows,
        bootTime: { sec: Math.floor(wall / 1e9), nsec: Math.floor(wall % 1e9) },
        block: { bytes: 65536, maxDelayMs: 100, nowMs: () => this.host.clock.monotonicNs() / 1e6 },
      },
      (bytes) => {
        fs.writeSync(fd, bytes);
      },
    );
    k.attach(recorder);
    let status = 0;
    try {
      const path = await prepareProgram(this.host, located, session.machine, args.command[0]!);
      const r = runProgram(session.machine, [path, ...args.command.slice(1)], { beforeExec: (t) => recorder.trace(t.pid) });
      reportEnd(this.host, r);
      status = r.status;
    } finally {
      recorder.stop();
      fs.closeSync(fd);
      session.close();
    }
    process.exit(status);
  }
}
