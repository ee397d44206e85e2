// `ksim run PROG [ARGS...]`: runs a program (a ksim image, or a .c file compiled in memory) as a
// process on the machine's kernel, and exits with its status (128+N when killed by signal N).
import { Args } from '@oclif/core';
import { KsimCommand } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { prepareProgram, reportEnd, runFlags, sessionOptions, splitAtProgram } from '../cli/program.js';
import { UserError } from '../cli/base.js';
import { runProgram } from '../machine/boot.js';

export default class Run extends KsimCommand {
  static override description = 'Run a program on the machine (a ksim image, or a .c file compiled on the fly)';
  static override strict = false;
  static override examples = ["<%= config.bin %> run ./test 'Hello World!'", '<%= config.bin %> run hello.c', '<%= config.bin %> run --cpu-limit 10 ./spin'];
  static override args = { prog: Args.string({ description: 'program to run, then its arguments' }) };
  static override flags = { ...runFlags };

  async run(): Promise<void> {
    const split = splitAtProgram(this.argv, ['--machine', '--cpu-limit', '--mem-limit', '--max-procs', '--timeout', '--uid']);
    const { flags } = await this.parse(Run, split.ksim);
    if (split.program.length === 0) throw new UserError('missing program to run (usage: ksim run [FLAGS] PROG [ARGS...])', 2);
    const args = { prog: split.program[0]! };
    const argv = split.program;
    const located = this.machine(flags.machine);
    const session = await openMachineSession(this.host, located, sessionOptions(flags));
    if (session.warning) this.err(session.warning);
    let status: number;
    try {
      const path = await prepareProgram(this.host, located, session.machine, args.prog);
      const rest = (argv as string[]).slice(1);
      const r = runProgram(session.machine, [path === args.prog ? args.prog : path, ...rest], { uid: flags.uid, gid: flags.uid ? flags.uid : 0 });
      reportEnd(this.host, r);
      status = r.status;
    } finally {
      session.close();
    }
    process.exit(status);
  }
}
