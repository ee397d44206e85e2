// The start-up fast path of `ksim run PROG [ARGS...]` with no ksim flags (bin/run.js takes it when
// the word after `run` does not start with '-'): the same run as src/commands/run.ts, with the
// flags' defaults, without loading oclif (its ~160 CommonJS modules and its manifest cost more than
// booting the machine). Everything else, `--help` included, goes through oclif.
import { createNodeHost } from '../host/node.js';
import { locateMachine } from '../machine/locate.js';
import { runCommand } from './run-command.js';
import { internalErrorText, userErrorReport } from './errors.js';

/** Runs `ksim run` with argv = PROG [ARGS...] and exits the process with its status. */
export async function fastRun(argv: string[]): Promise<never> {
  const host = createNodeHost();
  let status: number;
  try {
    status = await runCommand(host, locateMachine(host), {}, argv);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const user = userErrorReport('run', err);
    host.stderr(user ? user.text : internalErrorText('run', err));
    status = user ? user.status : 70;
  }
  process.exit(status);
}
