// `ksim env [--unset]`: prints shell functions naming ksim's tools as the real ones (strace,
// ktrace, kdump, dtrace, dmesg, kldload...), so that after `eval "$(ksim env)"` the tutorial's
// commands work as typed on the host, for that shell only. Each runs this same ksim.
import { Flags } from '@oclif/core';
import { KsimCommand } from '../cli/base.js';
import { envText } from '../cli/env.js';
import { packageRoot } from '../toolchain/node-sysroot.js';

export default class Env extends KsimCommand {
  static override description = 'Print shell functions that run ksim\'s tools under their own names (eval "$(ksim env)")';
  static override examples = ['eval "$(<%= config.bin %> env)"   # then: strace ./test hi, ktrace ./test && kdump, dmesg', 'eval "$(<%= config.bin %> env --unset)"'];
  static override flags = {
    unset: Flags.boolean({ char: 'u', description: 'print the commands that remove the functions again' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Env);
    this.out(envText([process.execPath, `${packageRoot()}/bin/run.js`], { unset: flags.unset }));
  }
}
