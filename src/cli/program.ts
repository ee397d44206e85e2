// Shared by `ksim run`, `ksim strace`, `ksim ktrace` and `ksim dtrace -c`: turning PROG into
// something execve can run (a .c file is compiled in memory first), the run flags (limits, mount),
// and reporting how a program ended the way a shell does ("Segmentation fault", exit 128+N).
import type { Host } from '../host/host.js';
import type { LocatedMachine } from '../machine/locate.js';
import type { Machine, RunResult } from '../machine/boot.js';
import { nodeSysroot } from '../toolchain/node-sysroot.js';
import { formatDiagnostics } from '../cc/diagnostics.js';
import { signalDescription } from '../kernel/signals.js';
import { absolutePath } from '../machine/locate.js';
import { UserError } from './errors.js';
import type { SessionOptions } from './session.js';
import * as fs from 'node:fs';

export function sessionOptions(flags: { ro?: boolean; 'no-mount'?: boolean; 'cpu-limit'?: number; 'mem-limit'?: number; 'max-procs'?: number; timeout?: number }): SessionOptions {
  const cpu = (flags['cpu-limit'] ?? 4000) * 1_000_000;
  return {
    readOnly: flags.ro,
    noMount: flags['no-mount'],
    limits: {
      cpuSoft: cpu,
      cpuHard: Math.floor(cpu * 1.25),
      memPages: Math.floor(((flags['mem-limit'] ?? 512) * 1024 * 1024) / 4096),
      nproc: flags['max-procs'] ?? 256,
    },
    wallLimitMs: flags.timeout ? flags.timeout * 1000 : undefined,
  };
}

const hostRead = (p: string) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** The machine's generated <ksim/syscall_numbers.h> directory, when it was built. */
export function machineIncludeDirs(m: LocatedMachine): string[] {
  const d = `${m.dir}/.ksim/include`;
  return fs.existsSync(`${d}/ksim/syscall_numbers.h`) ? [d] : [];
}

/**
 * Resolves PROG for a run: an image path stays as it is; a .c file is compiled now and placed in
 * the machine's /tmp, so execve runs it. Returns argv[0] as the process will see it.
 */
export async function prepareProgram(host: Host, located: LocatedMachine, machine: Machine, prog: string): Promise<string> {
  if (!prog.endsWith('.c')) return prog;
  // The compiler is loaded only when a .c file is run.
  const { compileProgram } = await import('../toolchain/cc.js');
  const file = absolutePath(host, prog);
  if (!fs.existsSync(file)) throw new UserError(`${prog}: No such file or directory`, 127);
  const r = compileProgram([file], hostRead, nodeSysroot(), {
    target: { arch: located.config.arch, os: located.config.os },
    machineIncludeDirs: machineIncludeDirs(located),
  });
  const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f) ?? hostRead(f));
  if (text) host.stderr(text);
  if (!r.image) throw new UserError(`${prog}: compilation failed`, 1);
  const name = prog.replace(/^.*\//, '').replace(/\.c$/, '');
  const path = `/tmp/${name}`;
  machine.vfs.writeFile(path, r.image, 0o755);
  return path;
}

/** Prints what a shell prints for a program that died of a signal, and ksim's own notices. */
export function reportEnd(host: Host, r: RunResult): void {
  for (const n of r.notices) host.stderr(`${n}\n`);
  if (r.signo !== undefined && r.signo !== 13 /* SIGPIPE is silent in shells */) {
    host.stderr(`${signalDescription(r.signo)}${r.coreDumped ? ' (core dumped)' : ''}\n`);
  }
}

/**
 * Splits a command line at the program: ksim's flags come before PROG, and everything from PROG on
 * belongs to the program (so `ksim run ./prog -x` passes -x to prog, as a shell would).
 */
export function splitAtProgram(argv: string[], flagsWithValues: string[]): { ksim: string[]; program: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return { ksim: argv.slice(0, i), program: argv.slice(i + 1) };
    if (!a.startsWith('-') || a === '-') return { ksim: argv.slice(0, i), program: argv.slice(i) };
    const name = a.replace(/=.*$/, '');
    if (flagsWithValues.includes(name) && !a.includes('=')) i++;
  }
  return { ksim: argv, program: [] };
}
