// What `ksim run PROG [ARGS...]` does once its flags are known: boot the machine, run PROG (an image,
// or a .c file compiled in memory) as a process and return its exit status (128+N when killed by
// signal N). Shared by the oclif command (src/commands/run.ts) and the start-up fast path
// (src/cli/fast-run.ts); imports nothing from oclif.
import type { Host } from '../host/host.js';
import type { LocatedMachine } from '../machine/locate.js';
import { openMachineSession } from './session.js';
import { prepareProgram, reportEnd, sessionOptions } from './program.js';
import { runProgram } from '../machine/boot.js';

export interface RunCommandFlags {
  ro?: boolean;
  'no-mount'?: boolean;
  'cpu-limit'?: number;
  'mem-limit'?: number;
  'max-procs'?: number;
  timeout?: number;
  uid?: number;
}

/** Runs argv[0] with argv on the machine; returns the status ksim exits with. */
export async function runCommand(host: Host, located: LocatedMachine, flags: RunCommandFlags, argv: string[]): Promise<number> {
  const session = await openMachineSession(host, located, sessionOptions(flags));
  if (session.warning) host.stderr(session.warning);
  try {
    const prog = argv[0]!;
    const path = await prepareProgram(host, located, session.machine, prog);
    const uid = flags.uid ?? 0;
    const r = runProgram(session.machine, [path === prog ? prog : path, ...argv.slice(1)], { uid, gid: uid ? uid : 0 });
    reportEnd(host, r);
    return r.status;
  } finally {
    session.close();
  }
}
