// `ksim kldstat [-v] [-i ID | -n NAME]`: the files loaded in the machine's kernel, in kldstat(8)'s format.
import { Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { openSession } from '../cli/session.js';
import { kldstatText } from '../kernel/freebsd/kld.js';

export default class Kldstat extends KsimCommand {
  static override description = 'List the kernel modules loaded in the machine (FreeBSD)';
  static override examples = ['<%= config.bin %> kldstat', '<%= config.bin %> kldstat -v'];
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'also the modules each file contains and its path' }),
    id: Flags.integer({ char: 'i', description: 'only the file with this id' }),
    name: Flags.string({ char: 'n', description: 'only the file with this name' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Kldstat);
    const located = this.machine(flags.machine);
    if (located.config.os !== 'freebsd') throw new UserError(`kldstat lists FreeBSD modules; ${located.dir} is a ${located.config.os} machine`, 1);
    const session = openSession(this.host, located, {});
    try {
      const fb = session.machine.freebsd!;
      let only;
      if (flags.id !== undefined || flags.name !== undefined) {
        only = fb.modules.find((m) => m.fileId === flags.id || m.fileName === flags.name || m.fileName === `${flags.name}.ko` || m.name === flags.name);
        if (!only) {
          this.err(`kldstat: can't find file ${flags.name ?? flags.id}: No such file or directory\n`);
          process.exit(1);
        }
      }
      this.out(kldstatText(fb, !!flags.verbose, only));
    } finally {
      session.close();
    }
  }
}
