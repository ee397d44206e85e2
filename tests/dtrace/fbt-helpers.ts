// Test helpers for the fbt provider, stack() and uregs[]: runs dtrace(1) (runDtrace) with the
// kernel's probes on a booted in-memory machine, the traced program started by the run hook as
// `ksim dtrace -c` does.
import { runDtrace } from '../../src/dtrace/cli.js';
import { KernelProbes } from '../../src/dtrace/kernel-provider.js';
import { targetImageOn } from '../../src/dtrace/pid-provider.js';
import { runProgram, type Machine } from '../../src/machine/boot.js';

export interface DtraceRun {
  status: number;
  out: string;
  err: string;
}

/** dtrace argv on machine, with argv0 (and args) as the -c command when given. */
export function dtraceOn(machine: Machine, argv: string[], command?: string[]): DtraceRun {
  const k = machine.kernel;
  const probes = new KernelProbes(machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: machine.kc });
  const image = command ? targetImageOn(machine, command[0]!) : undefined;
  if (image) probes.addTarget(k.peekNextPid(), image);
  let out = '';
  let err = '';
  const status = runDtrace(argv, {
    catalog: probes.catalog,
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    readFile: (p) => { throw new Error(`${p}: not found`); },
    now: () => k.clock.uptimeNs(),
    targetPid: command ? k.peekNextPid() : undefined,
    run: (dt) => {
      probes.bind(dt);
      k.attach(probes);
      if (command) runProgram(machine, command);
      probes.tick();
      k.detach(probes);
      probes.release();
    },
  });
  return { status, out, err };
}
