// Test helpers for the userland: compiles userland/*.c with ksim's cc (once per test file) and boots
// in-memory machines with those programs in /bin, then runs command lines through /bin/sh.
import { compileProgram } from '../../src/toolchain/cc.js';
import { nodeSysroot } from '../../src/toolchain/node-sysroot.js';
import { formatDiagnostics } from '../../src/cc/diagnostics.js';
import { bootMachine, runProgram, type RunResult } from '../../src/machine/boot.js';
import { makeMachine, type Booted, type TestMachine } from '../helpers/machine.js';
import { stockKernel, type BuiltKernel } from '../../src/machine/build.js';
import { BufferConsole } from '../../src/kernel/console.js';
import { VirtualClock } from '../../src/kernel/clock.js';
import { loadExecutable, loadKernelImage } from '../../src/toolchain/cc.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import type { ToolRunner } from '../../src/kernel/syscalls/ksim-tool.js';
import * as fs from 'node:fs';
import * as path from 'node:path';

const sys = nodeSysroot();
const userlandDir = path.join(sys.root, 'userland');
const cache = new Map<string, Uint8Array>();

/** The image of userland/NAME.c, compiled by ksim's cc (throws with gcc-style diagnostics). */
export function userlandImage(name: string, os: 'linux' | 'freebsd' = 'linux', arch: 'x86_64' | 'i386' = 'x86_64'): Uint8Array {
  const key = `${arch}-${os}/${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = path.join(userlandDir, `${name}.c`);
  const r = compileProgram([file], (p) => sys.readFile(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined), sys, { target: { arch, os } });
  const text = formatDiagnostics(r.diagnostics, (f) => r.sources.get(f));
  if (!r.image) throw new Error(text);
  if (r.diagnostics.some((d) => d.severity === 'warning')) throw new Error(`warnings in ${name}.c:\n${text}`);
  cache.set(key, r.image);
  return r.image;
}

/** Programs one OS does not get: the same lists as scripts/build-userland.js. */
const NOT_FOR: Record<'linux' | 'freebsd', ReadonlySet<string>> = {
  linux: new Set(['kldload', 'kldunload', 'kldstat']),
  freebsd: new Set(),
};
/** i386 Linux machines get the Linux programs, the tracers included. */
const NOT_FOR_I386 = NOT_FOR.linux;

/** The userland programs a machine of os (and arch) gets, as the build installs them. */
export function userlandNames(os: 'linux' | 'freebsd' = 'linux', arch: 'x86_64' | 'i386' = 'x86_64'): string[] {
  const not = arch === 'i386' ? NOT_FOR_I386 : NOT_FOR[os];
  return fs.readdirSync(userlandDir).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).filter((n) => !not.has(n)).sort();
}

/** Boots a machine with the given userland programs in /bin, installed as a session does. */
export function bootWithUserland(names: string[], opts: { m?: TestMachine; built?: BuiltKernel; input?: string; tools?: Record<string, ToolRunner> } = {}): Booted {
  const m = opts.m ?? makeMachine();
  const console = new BufferConsole(opts.input ?? '');
  const clock = new VirtualClock(1_000_000_000);
  const machine = bootMachine({
    host: m.host,
    config: m.config,
    built: opts.built ?? stockKernel(m.config),
    console,
    clock,
    images: { loadExecutable, loadKernel: loadKernelImage, signature: linuxSignature },
    mount: { hostDir: '/work', at: '/work', readOnly: false },
    firstPid: 100,
    randomSeed: 1,
    programs: new Map(names.map((n) => [`/bin/${n}`, userlandImage(n)])),
    tools: opts.tools,
  });
  return { machine, console, clock, built: opts.built };
}

export interface ShellRun extends RunResult {
  stdout: string;
  stderr: string;
}

/** Runs `sh -c LINE` on a booted machine. */
export function sh(b: Booted, line: string): ShellRun {
  const before = { out: b.console.stdoutText().length, err: b.console.stderrText().length };
  const r = runProgram(b.machine, ['/bin/sh', '-c', line]);
  return { ...r, stdout: b.console.stdoutText().slice(before.out), stderr: b.console.stderrText().slice(before.err) };
}
