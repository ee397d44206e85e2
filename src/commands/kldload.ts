// `ksim kldload FILE`: loads a FreeBSD kernel module (.ko from `ksim make`) into the machine's
// kernel: runs its MOD_LOAD, shows its console output, and keeps it loaded for later commands until
// `ksim kldunload` or `ksim reboot` (see src/kernel/freebsd/kld.ts for how it persists).
import { Args } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { openSession } from '../cli/session.js';
import { attachSystemwideConsumers } from '../cli/dtrace-registry.js';
import { absolutePath } from '../machine/locate.js';
import { kernelProcess, loadModule, recordModule, saveDanglingSlots } from '../kernel/freebsd/kld.js';
import { freebsdStrerror } from '../kernel/errno-freebsd.js';
import { panickedText } from '../machine/panic.js';
import * as fs from 'node:fs';

export default class Kldload extends KsimCommand {
  static override description = 'Load a FreeBSD kernel module into the machine';
  static override examples = ['<%= config.bin %> kldload ./mysyscall.ko'];
  static override args = { file: Args.string({ description: 'the module file (.ko)', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Kldload);
    const located = this.machine(flags.machine);
    if (located.config.os !== 'freebsd') throw new UserError(`kldload loads FreeBSD modules; ${located.dir} is a ${located.config.os} machine`, 1);
    const path = absolutePath(this.host, args.file.endsWith('.ko') || fs.existsSync(absolutePath(this.host, args.file)) ? args.file : `${args.file}.ko`);
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch {
      this.err(`kldload: can't load ${args.file}: No such file or directory\n`);
      process.exit(1);
    }
    const session = openSession(this.host, located, {});
    // The module's MOD_LOAD/MOD_UNLOAD code is traced by the machine's system-wide dtrace consumers.
    await attachSystemwideConsumers(this.host, located.dir, session);
    const fb = session.machine.freebsd!;
    let status = 0;
    try {
      fb.consoleEcho = true;
      const t = kernelProcess(fb, 'kldload');
      const m = loadModule(fb, text, path.replace(/^.*\//, ''), path, t);
      fb.consoleEcho = false;
      if (fb.panicked !== null) {
        this.err(`ksim: ${panickedText({ message: fb.panicked })}\n`); // MOD_LOAD panicked the kernel
        status = 1;
      } else if ('error' in m) {
        // kldload(8)'s words for EEXIST.
        const why = typeof m.error === 'number' ? freebsdStrerror(m.error) : m.error;
        this.err(`kldload: can't load ${args.file}: ${why === 'File exists' ? 'module already loaded or in kernel' : why}\n`);
        status = 1;
      } else {
        recordModule(this.host, located.dir, m, text);
        saveDanglingSlots(this.host, located.dir, fb);
      }
      if (t.state !== 'zombie') session.machine.kernel.exitTask(t, 0);
    } finally {
      session.close();
    }
    process.exit(status);
  }
}
