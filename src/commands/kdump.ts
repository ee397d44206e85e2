// `ksim kdump [options]`: prints a ktrace trace file (ktrace.out in the current directory by
// default) exactly as FreeBSD's kdump(1) does; `--json` prints one JSON object per record. The
// options are kdump's own, parsed by src/ktrace/cli.ts from the raw argv.
import { Command } from '@oclif/core';
import { createNodeHost } from '../host/node.js';
import { runKdump } from '../ktrace/cli.js';

export default class Kdump extends Command {
  static override summary = 'Print a ktrace trace file like FreeBSD kdump(1)';
  static override description =
    'Takes the options of kdump(1): [-dEnlHRrSsTA] [-f trfile] [-m maxdata] [-p pid] [-t trstr], and --json.';
  static override strict = false;

  async run(): Promise<void> {
    // Arguments are kdump's own (parsed by runKdump as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(Kdump, []);
    this.argv = rawArgv;
    const host = createNodeHost();
    let interrupted = false;
    process.once('SIGINT', () => {
      interrupted = true;
    });
    const status = runKdump(this.argv, {
      host,
      screenWidth: process.stderr.isTTY ? process.stderr.columns : undefined,
      stop: () => interrupted,
    });
    if (status !== 0) this.exit(status);
  }
}
