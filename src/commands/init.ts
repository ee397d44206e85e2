// `ksim init [DIR]`: create a machine (ksim.json and a kernel source tree with its syscall table).
import { Args, Flags } from '@oclif/core';
import { KsimCommand } from '../cli/base.js';
import { initMachine } from '../machine/init.js';
import { absolutePath } from '../machine/locate.js';
import { tblPath } from '../machine/tbl.js';

export default class Init extends KsimCommand {
  static override description = 'Create a machine: ksim.json plus a kernel source tree holding the stock syscall table of the release';
  static override examples = [
    '<%= config.bin %> init demo --release 4.7.1',
    '<%= config.bin %> init today',
    '<%= config.bin %> init old --arch i386 --release 2.6.32',
  ];
  static override args = {
    dir: Args.string({ description: 'directory to create the machine in', default: '.' }),
  };
  static override flags = {
    os: Flags.string({ description: 'operating system', options: ['linux', 'freebsd'], default: 'linux' }),
    arch: Flags.string({ description: 'architecture', options: ['x86_64', 'i386'], default: 'x86_64' }),
    release: Flags.string({ description: 'kernel release (Linux: 2.6.32 or later; default 6.12)' }),
    localversion: Flags.string({ description: 'appended to the release by uname -r (e.g. -stephen)', default: '' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const dir = absolutePath(this.host, args.dir);
    const config = initMachine(this.host, dir, {
      os: flags.os as 'linux' | 'freebsd',
      arch: flags.arch as 'x86_64' | 'i386',
      release: flags.release,
      localversion: flags.localversion,
    });
    const shown = args.dir === '.' ? '.' : args.dir;
    this.out(
      `Created a ${config.os === 'linux' ? 'Linux' : 'FreeBSD'} ${config.release}${config.localversion} ${config.os === 'freebsd' && config.arch === 'x86_64' ? 'amd64' : config.arch} machine in ${shown}\n` +
        `  syscall table: ${config.os === 'freebsd' ? 'sys/kern/syscalls.master' : tblPath(config.arch)}\n` +
        `  your kernel sources go in: ${config.os === 'freebsd' ? 'sys/' : 'kernel/'}\n` +
        `Next: cd ${shown} && ksim build\n`,
    );
  }
}
