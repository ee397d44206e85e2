// `ksim run PROG [ARGS...]`: runs a program (a ksim image, or a .c file compiled in memory) as a
// process on the machine's kernel, and exits with its status (128+N when killed by signal N).
// `ksim run PROG ...` without ksim flags skips oclif altogether (bin/run.js, src/cli/fast-run.ts).
import { Args } from '@oclif/core';
import { KsimCommand } from '../cli/base.js';
import { splitAtProgram } from '../cli/program.js';
import { runFlags } from '../cli/run-flags.js';
import { UserError } from '../cli/base.js';
import { runCommand } from '../cli/run-command.js';

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
    const status = await runCommand(this.host, this.machine(flags.machine), flags, split.program);
    process.exit(status);
  }
}
