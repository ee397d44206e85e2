// Test harness for i386 and assembly programs: an in-memory machine of a given architecture booted
// with the stock kernel (virtual clock, fixed pids), programs assembled or compiled into it, and
// runs that return the exit status, the console output and, optionally, the strace text.
import { memoryHost } from '../helpers/machine.js';
import { bootMachine, runProgram, type Machine, type RunResult } from '../../src/machine/boot.js';
import { stockKernel } from '../../src/machine/build.js';
import { initMachine } from '../../src/machine/init.js';
import { BufferConsole } from '../../src/kernel/console.js';
import { VirtualClock } from '../../src/kernel/clock.js';
import { compileProgram, loadExecutable, loadKernelImage } from '../../src/toolchain/cc.js';
import { nodeSysroot } from '../../src/toolchain/node-sysroot.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import { linuxI386Signature } from '../../src/kernel/linux/signatures-i386.js';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';
import { syscallHeaderText } from '../../src/machine/headers.js';
import { assembleProgram } from '../../src/asm/index.js';
import { Strace } from '../../src/strace/index.js';
import { parseStraceArgs } from '../../src/strace/index.js';

export type Arch = 'i386' | 'x86_64';

export interface Booted {
  machine: Machine;
  console: BufferConsole;
  arch: Arch;
}

/** Boots a fresh in-memory Linux machine of arch (i386 defaults to release 2.6.32). */
export function bootArch(arch: Arch, release?: string): Booted {
  const host = memoryHost();
  host.fs.mkdir('/work', true);
  const config = initMachine(host, '/work/m', { arch, release });
  const console = new BufferConsole('');
  const machine = bootMachine({
    host,
    config,
    built: stockKernel(config),
    console,
    clock: new VirtualClock(1_000_000_000),
    images: { loadExecutable, loadKernel: loadKernelImage, signature: arch === 'i386' ? linuxI386Signature : linuxSignature },
    mount: { hostDir: '/work', at: '/work', readOnly: false },
    firstPid: 100,
    randomSeed: 1,
  });
  return { machine, console, arch };
}

/** Assembles source into an executable at path in the machine; throws with gas's messages on failure. */
export function assembleInto(b: Booted, path: string, source: string, file = 'prog.s'): void {
  const r = assembleProgram([{ path: file, text: source }], b.arch);
  if (!r.image) throw new Error(r.messages.join('\n'));
  b.machine.vfs.writeFile(path, r.image, 0o755);
}

const sys = nodeSysroot();

/** Compiles C source for the machine's architecture into path. */
export function compileInto(b: Booted, path: string, source: string): void {
  const files: Record<string, string> = { '/src/main.c': source };
  files['/machine-include/ksim/syscall_numbers.h'] = syscallHeaderText(stockKernel(b.machine.config));
  const r = compileProgram(['/src/main.c'], (p) => files[p] ?? sys.readFile(p), sys, {
    target: { arch: b.arch, os: 'linux' },
    machineIncludeDirs: ['/machine-include'],
  });
  if (!r.image) throw new Error(formatDiagnostics(r.diagnostics, (f) => files[f] ?? r.sources.get(f)));
  b.machine.vfs.writeFile(path, r.image, 0o755);
}

export interface Ran extends RunResult {
  stdout: string;
  stderr: string;
  strace: string;
}

/** Runs path with args; with `trace`, strace (default options, or straceArgs) records every call. */
export function run(b: Booted, argv: string[], opts: { trace?: boolean; straceArgs?: string[] } = {}): Ran {
  let trace = '';
  let strace: Strace | undefined;
  if (opts.trace) {
    const parsed = parseStraceArgs([...(opts.straceArgs ?? []), 'true'], { syscallNames: b.machine.rows.map((r) => r.name) });
    if (!('command' in parsed)) throw new Error('strace options');
    strace = new Strace(parsed.options, b.machine.rows, { stderr: (t: string) => { trace += t; }, openFile: () => () => {} }, { wallBaseNs: 0 });
    b.machine.kernel.attach(strace);
  }
  const r = runProgram(b.machine, argv);
  strace?.finish();
  if (strace) b.machine.kernel.detach(strace);
  return { ...r, stdout: b.console.stdoutText(), stderr: b.console.stderrText(), strace: trace };
}
