// `ksim kldunload NAME | -i ID`: unloads a FreeBSD kernel module: runs its MOD_UNLOAD (its console
// output shown) and forgets it, as kldunload(8) does.
import { Args, Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { openSession } from '../cli/session.js';
import { attachSystemwideConsumers } from '../cli/dtrace-registry.js';
import { forgetModule, kernelProcess, saveDanglingSlots, unloadModule } from '../kernel/freebsd/kld.js';
import { freebsdStrerror } from '../kernel/errno-freebsd.js';
import { panickedText } from '../machine/panic.js';

export default class Kldunload extends KsimCommand {
  static override description = 'Unload a FreeBSD kernel module';
  static override examples = ['<%= config.bin %> kldunload mysyscall', '<%= config.bin %> kldunload -i 2'];
  static override args = { name: Args.string({ description: 'module file name (mysyscall or mysyscall.ko)' }) };
  static override flags = {
    id: Flags.integer({ char: 'i', description: 'unload the file with this id (kldstat)' }),
    verbose: Flags.boolean({ char: 'v', description: 'say what is unloaded' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Kldunload);
    if (args.name === undefined && flags.id === undefined) {
      this.err('usage: kldunload [-fv] -i id ...\n       kldunload [-fv] [-n] name ...\n');
      process.exit(1);
    }
    const located = this.machine(flags.machine);
    if (located.config.os !== 'freebsd') throw new UserError(`kldunload unloads FreeBSD modules; ${located.dir} is a ${located.config.os} machine`, 1);
    const session = openSession(this.host, located, {});
    // The module's MOD_LOAD/MOD_UNLOAD code is traced by the machine's system-wide dtrace consumers.
    await attachSystemwideConsumers(this.host, located.dir, session);
    const fb = session.machine.freebsd!;
    let status = 0;
    try {
      const want = args.name?.replace(/\.ko$/, '');
      const m = flags.id !== undefined ? fb.modules.find((x) => x.fileId === flags.id) : fb.modules.find((x) => x.fileName.replace(/\.ko$/, '') === want || x.name === want);
      if (!m) {
        this.err(flags.id !== undefined ? `kldunload: can't find file id ${flags.id}: No such file or directory\n` : `kldunload: can't find file ${args.name}: No such file or directory\n`);
        status = 1;
      } else {
        if (flags.verbose) this.out(`Unloading ${m.fileName}, id=${m.fileId}\n`);
        fb.consoleEcho = true;
        const t = kernelProcess(fb, 'kldunload');
        const r = unloadModule(fb, m, t);
        fb.consoleEcho = false;
        if (t.state !== 'zombie') session.machine.kernel.exitTask(t, 0);
        if (fb.panicked !== null) {
          this.err(`ksim: ${panickedText({ message: fb.panicked })}\n`); // MOD_UNLOAD panicked the kernel
          status = 1;
        } else if (r) {
          this.err(`kldunload: can't unload file: ${freebsdStrerror(r)}\n`);
          status = 1;
        } else {
          forgetModule(this.host, located.dir, m);
          saveDanglingSlots(this.host, located.dir, fb);
        }
      }
    } finally {
      session.close();
    }
    process.exit(status);
  }
}
