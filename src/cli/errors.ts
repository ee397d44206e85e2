// Errors meant for the user, shared by the oclif commands (src/cli/base.ts) and the start-up fast
// path of `ksim run` (src/cli/fast-run.ts), which does not load oclif: both print them the same way.

/** An error meant for the user: printed as is, exit status attached. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The line and exit status for an error the user caused (bad machine, missing file), else undefined. */
export function userErrorReport(command: string, err: Error & { exitCode?: number }): { text: string; status: number } | undefined {
  if (err.name === 'UserError' || err.name === 'MachineError' || err.name === 'HostFsError') {
    return { text: `ksim ${command}: ${err.message}\n`, status: err.exitCode ?? 1 };
  }
  return undefined;
}

/** What ksim prints for an error that is a bug in ksim: one line, never a stack trace. */
export function internalErrorText(command: string, err: Error): string {
  return `ksim ${command}: internal error: ${err.message}\n(this is a bug in ksim; please report it with the command you ran)\n`;
}
