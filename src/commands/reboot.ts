// `ksim reboot`: a fresh boot: uptime starts again from zero, the kernel log is cleared, loaded
// modules are gone and a machine that panicked runs again.
import { KsimCommand } from '../cli/base.js';
import { resetBoot, readBoot } from '../machine/state.js';
import { KmsgStore } from '../kernel/log-store.js';
import { clearModules } from '../kernel/freebsd/kld.js';
import { clearPanic } from '../machine/panic.js';

export default class Reboot extends KsimCommand {
  static override description = 'Reboot the machine: reset uptime and the kernel log';
  static override examples = ['<%= config.bin %> reboot'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Reboot);
    const located = this.machine(flags.machine);
    const store = new KmsgStore(located.dir);
    store.clear();
    store.close();
    resetBoot(this.host, located.dir);
    if (located.config.os === 'freebsd') clearModules(this.host, located.dir); // kldloaded modules are gone
    clearPanic(this.host, located.dir); // a panicked machine comes back up
    readBoot(this.host, located.dir);
    this.out(`${located.config.hostname} rebooted (${located.config.os === 'linux' ? 'Linux' : 'FreeBSD'} ${located.config.release}${located.config.localversion})\n`);
  }
}
