// `ksim dmesg [options]`: prints the machine's kernel log like util-linux dmesg (or FreeBSD's dmesg
// on a FreeBSD machine). The options are dmesg's own, parsed by src/dmesg/cli.ts from the raw argv;
// only `--machine DIR` is ksim's and is taken out first.
import { Command } from '@oclif/core';
import { createNodeHost } from '../host/node.js';
import { KmsgFollower, KmsgStore } from '../kernel/log-store.js';
import { locateMachine } from '../machine/locate.js';
import { runDmesg, type KernelLogSource } from '../dmesg/run.js';

/** Splits ksim's `--machine DIR` / `--machine=DIR` off dmesg's own arguments. */
export function splitMachineFlag(argv: readonly string[]): { machine?: string; rest: string[]; error?: string } {
  const rest: string[] = [];
  let machine: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--machine') {
      if (i + 1 >= argv.length) return { rest, error: "dmesg: option '--machine' requires an argument\n" };
      machine = argv[++i];
    } else if (a.startsWith('--machine=')) {
      machine = a.slice('--machine='.length);
    } else {
      rest.push(a);
    }
  }
  return machine === undefined ? { rest } : { machine, rest };
}

export default class Dmesg extends Command {
  static override summary = "Print or control the machine's kernel log (util-linux dmesg; FreeBSD dmesg on FreeBSD)";
  static override description = 'Takes the options of dmesg(1); see `ksim dmesg --help`. --machine DIR selects the machine.';
  static override strict = false;

  async run(): Promise<void> {
    // Arguments are the tool's own (parsed below as the real tool does); this tells oclif so.
    const rawArgv = [...this.argv];
    await this.parse(Dmesg, []);
    this.argv = rawArgv;
    const host = createNodeHost();
    const split = splitMachineFlag(this.argv);
    if (split.error) {
      host.stderr(split.error);
      this.exit(1);
    }
    let located;
    try {
      located = locateMachine(host, split.machine === undefined ? {} : { machine: split.machine });
    } catch (e) {
      host.stderr(`dmesg: ${(e as Error).message}\n`);
      this.exit(1);
    }
    const store = new KmsgStore(located.dir);
    const source: KernelLogSource = {
      read: () => store.read(),
      clear: () => store.clear(),
      follow: (sinceSeq) => {
        const follower = new KmsgFollower(store.file, sinceSeq);
        return () => follower.poll();
      },
    };
    const status = runDmesg(host, split.rest, source, { os: located.config.os });
    store.close();
    if (status !== 0) this.exit(status);
  }
}
