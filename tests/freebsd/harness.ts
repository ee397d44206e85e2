// Test helpers for FreeBSD machines: an in-memory FreeBSD machine, built from its syscalls.master
// and sys/ sources, booted with a virtual clock; C programs compiled for it and run; modules
// compiled and loaded through the same code paths as `ksim make` and `ksim kldload`.
import { memoryHost } from '../helpers/machine.js';
import { bootMachine, runProgram, type Machine, type RunResult } from '../../src/machine/boot.js';
import { buildMachine, stockKernel, type BuiltKernel } from '../../src/machine/build.js';
import { initMachine } from '../../src/machine/init.js';
import type { MachineConfig } from '../../src/machine/config.js';
import { BufferConsole } from '../../src/kernel/console.js';
import { VirtualClock } from '../../src/kernel/clock.js';
import { compileKernel, compileProgram, loadExecutable, loadKernelImage } from '../../src/toolchain/cc.js';
import { nodeSysroot } from '../../src/toolchain/node-sysroot.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';
import { syscallHeaderText } from '../../src/machine/headers.js';
import type { Host } from '../../src/host/host.js';
import type { TaskLimits } from '../../src/kernel/task.js';
import { SYSCALLS_MASTER_PATH } from '../../src/kernel/freebsd/syscalls-master.js';
import { sysprotoText } from '../../src/kernel/freebsd/rows.js';
import { stockMaster } from '../../src/kernel/freebsd/machine.js';
import { moduleTextBase } from '../../src/kernel/freebsd/kmod-makefile.js';

const sys = nodeSysroot();

export interface FbMachine {
  host: Host;
  dir: string;
  config: MachineConfig;
}

export function makeFreebsd(): FbMachine {
  const host = memoryHost();
  host.fs.mkdir('/work', true);
  const dir = '/work/fb';
  const config = initMachine(host, dir, { os: 'freebsd' });
  return { host, dir, config };
}

export function addRow(m: FbMachine, text: string): void {
  m.host.fs.appendFile(`${m.dir}/${SYSCALLS_MASTER_PATH}`, text);
}

export function addSource(m: FbMachine, name: string, text: string): void {
  m.host.fs.writeFile(`${m.dir}/sys/kern/${name}`, text);
}

export function buildFb(m: FbMachine): { built?: BuiltKernel; text: string } {
  const r = buildMachine(m.host, m.dir, m.config, {
    compile: (files, config, opts) => {
      const k = compileKernel(files, { arch: config.arch, os: config.os }, sys, { headers: opts?.headers });
      return { image: k.image, functions: k.functions, diagnostics: k.diagnostics };
    },
  });
  return { built: r.built, text: formatDiagnostics(r.diagnostics, (f) => r.sources.get(f)) };
}

export interface FbBooted {
  machine: Machine;
  console: BufferConsole;
  built: BuiltKernel;
}

export function bootFb(m: FbMachine, built?: BuiltKernel, limits?: Partial<TaskLimits>): FbBooted {
  const console = new BufferConsole('');
  const b = built ?? stockKernel(m.config);
  const machine = bootMachine({
    host: m.host, config: m.config, built: b, console, clock: new VirtualClock(1_000_000_000),
    images: { loadExecutable, loadKernel: loadKernelImage, signature: linuxSignature },
    mount: { hostDir: '/work', at: '/work', readOnly: false }, firstPid: 100, randomSeed: 1, limits, machineDir: m.dir,
  });
  return { machine, console, built: b };
}

/** Compiles a user program for the machine into the machine's file system. */
export function compileFb(b: FbBooted, path: string, source: string): void {
  const files: Record<string, string> = { '/src/main.c': source, '/machine-include/ksim/syscall_numbers.h': syscallHeaderText(b.built) };
  const r = compileProgram(['/src/main.c'], (p) => files[p] ?? sys.readFile(p), sys, {
    target: { arch: 'x86_64', os: 'freebsd' },
    machineIncludeDirs: ['/machine-include'],
  });
  if (!r.image) throw new Error(formatDiagnostics(r.diagnostics, (f) => files[f] ?? r.sources.get(f)));
  b.machine.vfs.writeFile(path, r.image, 0o755);
}

/** Compiles module C as `ksim make` does; the .ko text. */
export function compileModule(name: string, source: string): string {
  const r = compileKernel([{ path: `${name}.c`, text: source }], { arch: 'x86_64', os: 'freebsd' }, sys, {
    headers: [{ path: 'sys/sysproto.h', text: sysprotoText(stockMaster()) }],
    textBase: moduleTextBase(name),
    module: `${name}.ko`,
  });
  if (!r.image) throw new Error(formatDiagnostics(r.diagnostics, (f) => r.sources.get(f)));
  return r.image;
}

export function runFb(b: FbBooted, argv: string[], uid = 0): RunResult & { stdout: string } {
  const before = b.console.stdoutText().length;
  const r = runProgram(b.machine, argv, { uid, gid: uid });
  return { ...r, stdout: b.console.stdoutText().slice(before) };
}

export function logText(b: FbBooted): string {
  return b.machine.log.records().map((r) => `${r.text}\n`).join('');
}
