// What every ksim command shares: the Node host, finding the machine, and errors printed as
// `ksim <command>: message` with an exit status, never a JavaScript stack trace.
import { Command, Flags } from '@oclif/core';
import { createNodeHost } from '../host/node.js';
import type { Host } from '../host/host.js';
import { locateMachine, type LocatedMachine } from '../machine/locate.js';
import { internalErrorText, userErrorReport } from './errors.js';

export { UserError } from './errors.js';

export abstract class KsimCommand extends Command {
  static override baseFlags = {
    machine: Flags.string({ description: 'machine directory (default: nearest ksim.json, $KSIM_MACHINE, or the default machine)', helpGroup: 'GLOBAL' }),
  };

  protected host: Host = createNodeHost();

  protected machine(flag?: string): LocatedMachine {
    return locateMachine(this.host, { machine: flag });
  }

  /** Writes to stdout/stderr synchronously (output must not be lost when we exit right after). */
  protected out(text: string): void {
    this.host.stdout(text);
  }

  protected err(text: string): void {
    this.host.stderr(text);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const name = this.id ?? 'ksim';
    const user = userErrorReport(name, err);
    if (user) {
      this.err(user.text);
      process.exit(user.status);
    }
    // oclif's own flag and argument errors: one line, usage hint, status 2.
    if (err.oclif?.exit !== undefined || /Unexpected argument|Nonexistent flag|Missing required|Expected .* to be/.test(err.message)) {
      if (err.oclif?.exit === 0) return;
      const message = err.message.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('See more help')).join(': ').replace(/ +:/g, ':');
      this.err(`ksim ${name}: ${message}\nTry 'ksim ${name} --help' for more information.\n`);
      process.exit(2);
    }
    this.err(internalErrorText(name, err));
    process.exit(70);
  }
}
