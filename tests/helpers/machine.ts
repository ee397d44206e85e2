// Test helpers: an in-memory machine (no files on disk, virtual clock, fixed pids) booted from a
// table and optional kernel C, and a way to compile and run a C program on it.
import { memoryHost as inMemoryHost } from '../../src/host/memory-fs.js';
import type { Host } from '../../src/host/host.js';
import { bootMachine, runProgram, type Machine, type RunResult } from '../../src/machine/boot.js';
import { buildMachine, stockKernel, type BuiltKernel } from '../../src/machine/build.js';
import { initMachine } from '../../src/machine/init.js';
import type { MachineConfig } from '../../src/machine/config.js';
import { BufferConsole } from '../../src/kernel/console.js';
import { VirtualClock } from '../../src/kernel/clock.js';
import { compileKernel, compileProgram, loadExecutable, loadKernelImage } from '../../src/toolchain/cc.js';
import { nodeSysroot } from '../../src/toolchain/node-sysroot.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import { formatDiagnostics, type Diagnostic } from '../../src/cc/diagnostics.js';
import { tblPath } from '../../src/machine/tbl.js';
import type { TaskLimits } from '../../src/kernel/task.js';
import { syscallHeaderText } from '../../src/machine/headers.js';

/** The in-memory host tests use: cwd /work. */
export function memoryHost(): Host {
  return inMemoryHost({ cwd: '/work' });
}

export interface TestMachine {
  host: Host;
  dir: string;
  config: MachineConfig;
}

/** Creates a machine directory in an in-memory host file system. */
export function makeMachine(opts: { release?: string; localversion?: string } = {}): TestMachine {
  const host = memoryHost();
  host.fs.mkdir('/work', true);
  const dir = '/work/m';
  const config = initMachine(host, dir, { release: opts.release, localversion: opts.localversion });
  return { host, dir, config };
}

export function appendRow(m: TestMachine, row: string): void {
  host(m).fs.appendFile(`${m.dir}/${tblPath('x86_64')}`, row + '\n');
}

function host(m: TestMachine): Host {
  return m.host;
}

export function addKernelSource(m: TestMachine, name: string, text: string): void {
  m.host.fs.writeFile(`${m.dir}/kernel/${name}`, text);
}

const sys = nodeSysroot();

export function build(m: TestMachine): { built?: BuiltKernel; diagnostics: Diagnostic[]; text: string } {
  const r = buildMachine(m.host, m.dir, m.config, {
    compile: (files, config) => {
      const k = compileKernel(files, { arch: config.arch, os: config.os }, sys);
      return { image: k.image, functions: k.functions, diagnostics: k.diagnostics };
    },
  });
  return { built: r.built, diagnostics: r.diagnostics, text: formatDiagnostics(r.diagnostics, (f) => r.sources.get(f)) };
}

export interface Booted {
  machine: Machine;
  console: BufferConsole;
  clock: VirtualClock;
  built?: BuiltKernel;
}

export function boot(m: TestMachine, built?: BuiltKernel, input = '', limits?: Partial<TaskLimits>): Booted {
  const console = new BufferConsole(input);
  const clock = new VirtualClock(1_000_000_000);
  const machine = bootMachine({
    host: m.host,
    config: m.config,
    built: built ?? stockKernel(m.config),
    console,
    clock,
    images: { loadExecutable, loadKernel: loadKernelImage, signature: linuxSignature },
    mount: { hostDir: '/work', at: '/work', readOnly: false },
    firstPid: 100,
    randomSeed: 1,
    limits,
  });
  return { machine, console, clock, built };
}

/** Compiles C source text into an image at path inside the booted machine. */
export function compileInto(b: Booted, path: string, source: string, extraFiles: Record<string, string> = {}): void {
  const files: Record<string, string> = { '/src/main.c': source, ...extraFiles };
  // The machine's own <ksim/syscall_numbers.h>, as `ksim build` generates it.
  if (b.built) files['/machine-include/ksim/syscall_numbers.h'] = syscallHeaderText(b.built);
  const r = compileProgram(['/src/main.c'], (p) => files[p] ?? sys.readFile(p), sys, {
    target: { arch: 'x86_64', os: 'linux' },
    machineIncludeDirs: b.built ? ['/machine-include'] : [],
  });
  if (!r.image) throw new Error(formatDiagnostics(r.diagnostics, (f) => files[f] ?? r.sources.get(f)));
  b.machine.vfs.writeFile(path, r.image, 0o755);
}

export interface Ran extends RunResult {
  stdout: string;
  stderr: string;
}

/** Compiles source and runs it with args on a fresh boot of the machine's stock (or given) kernel. */
export function runC(source: string, args: string[] = [], opts: { built?: BuiltKernel; m?: TestMachine; input?: string } = {}): Ran & { booted: Booted } {
  const m = opts.m ?? makeMachine();
  const b = boot(m, opts.built, opts.input);
  compileInto(b, '/bin/prog', source);
  const r = runProgram(b.machine, ['/bin/prog', ...args]);
  return { ...r, stdout: b.console.stdoutText(), stderr: b.console.stderrText(), booted: b };
}
