// `ksim shell [-c COMMAND]`: logs into the machine: runs its /bin/sh (ksim's userland, built by
// `npm run build`) on the terminal, or runs one command line with `sh -c`, on the machine's kernel
// with the current directory mounted, so `./test 'Hello World!' && dmesg | tail` works as typed.
// The kernel log and the machine's state are the same every other ksim command sees.
import { Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { reportEnd, sessionOptions } from '../cli/program.js';
import { runFlags } from '../cli/run-flags.js';
import { runProgram, type Machine } from '../machine/boot.js';
import { machineTools } from '../machine/tools.js';

export default class Shell extends KsimCommand {
  static override description = "Open the machine's shell (/bin/sh) on the terminal, or run one command line with -c";
  static override examples = [
    '<%= config.bin %> shell',
    `<%= config.bin %> shell -c "./test 'Hello World!' && dmesg | tail -n 1 && uname -r"`,
  ];
  static override flags = {
    ...runFlags,
    command: Flags.string({ char: 'c', description: 'run this command line and exit with its status' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const located = this.machine(flags.machine);
    // The machine's /bin/strace, ktrace, kdump and dtrace run ksim's tracers through ksim_tool.
    const session = await openMachineSession(this.host, located, { ...sessionOptions(flags), tools: machineTools() });
    if (session.warning) this.err(session.warning);
    let status: number;
    try {
      if (!hasSh(session.machine)) {
        const { arch, os } = located.config;
        throw new UserError(`/bin/sh is missing: ksim's userland is built for x86_64 Linux machines (this one is ${arch} ${os}), by 'npm run build'`, 127);
      }
      const argv = flags.command !== undefined ? ['/bin/sh', '-c', flags.command] : ['/bin/sh'];
      const r = runProgram(session.machine, argv, { uid: flags.uid, gid: flags.uid ? flags.uid : 0 });
      reportEnd(this.host, r);
      status = r.status;
    } finally {
      session.close();
    }
    process.exit(status);
  }
}

function hasSh(m: Machine): boolean {
  try {
    m.vfs.lookup(undefined, '/bin/sh', true);
    return true;
  } catch {
    return false;
  }
}
