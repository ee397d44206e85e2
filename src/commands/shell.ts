// `ksim shell [-c COMMAND]`: logs into the machine: runs its /bin/sh (ksim's userland, built by
// `npm run build`) on the terminal, or runs one command line with `sh -c`, on the machine's kernel
// with the current directory mounted, so `./test 'Hello World!' && dmesg | tail` works as typed.
// The kernel log and the machine's state are the same every other ksim command sees. On a terminal,
// the machine's line discipline takes the keyboard (src/cli/tty-console.ts): ^C interrupts the
// command in the foreground (SIGINT to the terminal's foreground process group), ^D ends input.
import { Flags } from '@oclif/core';
import { KsimCommand, UserError } from '../cli/base.js';
import { openMachineSession } from '../cli/session.js';
import { reportEnd, sessionOptions } from '../cli/program.js';
import { runFlags } from '../cli/run-flags.js';
import { runProgram, type Machine, type RunResult } from '../machine/boot.js';
import { machineTools } from '../machine/tools.js';
import { TtyConsole } from '../cli/tty-console.js';
import { SI } from '../kernel/signals.js';

export default class Shell extends KsimCommand {
  static override description = "Open the machine's shell (/bin/sh) on the terminal, or run one command line with -c";
  static override examples = [
    '<%= config.bin %> shell',
    `<%= config.bin %> shell -c "./test 'Hello World!' && dmesg | tail -n 1 && uname -r"`,
  ];
  static override flags = {
    ...runFlags,
    command: Flags.string({ char: 'c', description: 'run this command line and exit with its status' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const located = this.machine(flags.machine);
    const tty = TtyConsole.available() ? new TtyConsole() : undefined;
    let result: RunResult;
    try {
      // The machine's /bin/strace, ktrace, kdump and dtrace run ksim's tracers through ksim_tool.
      const session = await openMachineSession(this.host, located, {
        ...sessionOptions(flags),
        tools: machineTools(),
        // A ksim dtrace started while the shell is open sees the next command lines.
        watchSystemwideDtrace: true,
        ...(tty ? { console: tty, sleep: (ms: number) => tty.sleep(ms) } : {}),
      });
      if (session.warning) this.err(session.warning);
      try {
        result = runShell(session.machine, located.config, flags, tty);
      } finally {
        session.close();
      }
    } finally {
      tty?.close();
    }
    reportEnd(this.host, result);
    process.exit(result.status);
  }
}

/** Runs /bin/sh (or sh -c) as the session's first process; ^C on the terminal goes to its process group. */
function runShell(machine: Machine, config: { arch: string; os: string }, flags: { command?: string; uid: number }, tty: TtyConsole | undefined): RunResult {
  if (!hasSh(machine)) {
    const { arch, os } = config;
    throw new UserError(`/bin/sh is missing: ksim's userland is built for x86_64 Linux machines (this one is ${arch} ${os}), by 'npm run build'`, 127);
  }
  const argv = flags.command !== undefined ? ['/bin/sh', '-c', flags.command] : ['/bin/sh'];
  const k = machine.kernel;
  // Without job control every process of the session is in the shell's process group.
  const leader = k.peekNextPid();
  if (tty) {
    tty.signalTarget = (signo) => {
      const fg = machine.vfs.terminal.foreground ?? leader;
      for (const t of [...k.tasks.values()]) if (t.pgid === fg && t.state !== 'zombie') k.sendSignal(t, signo, { code: SI.KERNEL });
    };
    // Between time slices too (at most every 50 ms), so ^C stops a program that never sleeps.
    let lastPoll = 0;
    const after = k.afterSlice; // the session's own (dtrace -p requests)
    k.afterSlice = () => {
      after?.();
      const now = performance.now();
      if (now - lastPoll < 50) return;
      lastPoll = now;
      tty.discipline.poll();
    };
  }
  return runProgram(machine, argv, { uid: flags.uid, gid: flags.uid ? flags.uid : 0 });
}

function hasSh(m: Machine): boolean {
  try {
    m.vfs.lookup(undefined, '/bin/sh', true);
    return true;
  } catch {
    return false;
  }
}
