// The pid provider (src/dtrace/pid-provider.ts): pid$target entry/return probes of the -c program's
// C functions: arguments at entry, return offset and value, -F flow indentation, ustack(),
// probeprov/probemod/probefunc, -l listings, a fork child not traced, and only the enabled
// functions of the target's image wrapped (restored after the session).
import { describe, expect, test } from 'vitest';
import { makeMachine, boot, compileInto } from '../helpers/machine.js';
import { dtraceOn } from './fbt-helpers.js';
import { runDtrace } from '../../src/dtrace/cli.js';
import { KernelProbes } from '../../src/dtrace/kernel-provider.js';
import { targetImageOn } from '../../src/dtrace/pid-provider.js';
import { runProgram } from '../../src/machine/boot.js';
import type { CFunction, StepFn } from '../../src/runtime/cpu.js';
import { bootWithUserland, sh } from '../userland/helpers.js';
import { machineTools } from '../../src/machine/tools.js';
import { createMachine } from '../../src/api/index.js';

const FIB_C = `#include <stdio.h>
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { printf("%d\\n", fib(5)); return 0; }
`;

const CHAIN_C = `int b(int x) { return x * 2; }
int a(int x) { return b(x + 1) + 1; }
int main(void) { return a(3) == 9 ? 0 : 1; }
`;

const FORK_C = `#include <unistd.h>
#include <sys/wait.h>
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { pid_t p = fork(); if (p == 0) { fib(3); _exit(0); } fib(2); waitpid(p, 0, 0); return 0; }
`;

function machineWith(path: string, source: string) {
  const b = boot(makeMachine({}));
  compileInto(b, path, source);
  return b.machine;
}

describe('pid$target entry and return', () => {
  test('fib(5): entries counted by arg0, return values (arg1) in order', () => {
    const m = machineWith('/bin/fib', FIB_C);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::fib:entry { @[arg0] = count(); } pid$target::fib:return { printf("%d\\n", arg1); }'], ['/bin/fib']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      '1\n0\n1\n1\n2\n1\n0\n1\n3\n1\n0\n1\n1\n2\n5\n' +
      '\n' +
      '                4                1\n' +
      '                5                1\n' +
      '                3                2\n' +
      '                0                3\n' +
      '                2                3\n' +
      '                1                5\n',
    );
  });

  test('return offset (the number of basic blocks), probeprov, probemod (the executable\'s name), probefunc, typed args[]', () => {
    const m = machineWith('/bin/chain', CHAIN_C);
    const r = dtraceOn(m, ['-q', '-n', [
      'pid$target::a:entry,pid$target::b:entry { printf("%s %s %s %d\\n", probeprov, probemod, probefunc, args[0]); }',
      'pid$target::b:return { printf("ret %d %d\\n", arg0 > 0, arg1); }',
    ].join(' ')], ['/bin/chain']);
    expect(r.err).toBe('');
    expect(r.out).toBe('pid100 chain a 3\npid100 chain b 4\nret 1 8\n\n');
  });

  test('-F indents the call chain main -> a -> b (and the libc around it)', () => {
    const m = machineWith('/bin/chain', CHAIN_C);
    const r = dtraceOn(m, ['-F', '-n', 'pid$target:::entry,pid$target:::return'], ['/bin/chain']);
    // An entry and a return per function name of the image.
    const probeCount = 2 * new Set(targetImageOn(m, '/bin/chain')!.functions.map((f) => f.name)).size;
    expect(r.err).toBe(`dtrace: description 'pid$target:::entry,pid$target:::return' matched ${probeCount} probes\n`);
    expect(r.out).toBe(
      'CPU FUNCTION                                 \n' +
      '  0  -> _start                                \n' +
      '  0    -> main                                \n' +
      '  0      -> a                                 \n' +
      '  0        -> b                               \n' +
      '  0        <- b                               \n' +
      '  0      <- a                                 \n' +
      '  0    <- main                                \n' +
      '  0    -> exit                                \n' +
      '  0      -> __run_atexit_handlers             \n' +
      '  0      <- __run_atexit_handlers             \n' +
      '  0      -> __stdio_flush_all                 \n' +
      '  0        -> fflush                          \n' +
      '  0        <- fflush                          \n' +
      '  0      <- __stdio_flush_all                 \n' +
      '  0      -> _exit                             \n' +
      '\n',
    );
  });

  test('ustack() at an entry shows the probed function on top', () => {
    const m = machineWith('/bin/chain', CHAIN_C);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::b:entry { ustack(); }'], ['/bin/chain']);
    expect(r.out).toBe('\n              main`b\n              main`a\n              main`main\n              main`_start\n\n');
  });

  test('a fork child of the target runs the same functions untraced; $target is the pid', () => {
    const m = machineWith('/bin/forker', FORK_C);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::fib:entry { @[pid == $target ? "target" : "other", arg0] = count(); }'], ['/bin/forker']);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      '\n' +
      '  target                                                            0                1\n' +
      '  target                                                            1                1\n' +
      '  target                                                            2                1\n',
    );
  });

  test('only the enabled functions of the target\'s image are wrapped, and only during the session', () => {
    const m = machineWith('/bin/chain', CHAIN_C);
    const k = m.kernel;
    const probes = new KernelProbes(m.rows, () => k.clock.uptimeNs(), { kernel: k, kc: m.kc });
    probes.addTarget(k.peekNextPid(), targetImageOn(m, '/bin/chain')!);
    let fns: CFunction[] = [];
    const before = new Map<string, StepFn>();
    const during = new Map<string, StepFn>();
    // Observers run in order: the first sees the image as exec made it, the last after the provider.
    const first = { exec: () => { fns = k.tasks.get(100)!.image.functions; for (const f of fns) before.set(f.name, f.step); } };
    const last = { exec: () => { for (const f of fns) during.set(f.name, f.step); } };
    let out = '';
    const status = runDtrace(['-q', '-n', 'pid$target::b:return { printf("%d\\n", arg1); }'], {
      catalog: probes.catalog, stdout: (t) => { out += t; }, stderr: () => {}, readFile: () => '', targetPid: k.peekNextPid(),
      run: (dt) => {
        probes.bind(dt);
        k.attach(first);
        k.attach(probes);
        k.attach(last);
        runProgram(m, ['/bin/chain']);
        k.detach(last);
        k.detach(probes);
        k.detach(first);
        probes.release();
      },
    });
    expect(status).toBe(0);
    expect(out).toBe('8\n\n');
    const changed = fns.filter((f) => during.get(f.name) !== before.get(f.name)).map((f) => f.name);
    expect(changed).toEqual(['b']);
    expect(fns.filter((f) => f.step !== before.get(f.name))).toEqual([]);
  });
});

describe('dtrace -l: pid$target probes', () => {
  const m = machineWith('/bin/fib', FIB_C);

  test('a function\'s entry, return and offsets, module the executable\'s name, provider pid<PID>', () => {
    const r = dtraceOn(m, ['-l', '-n', 'pid$target::fib:'], ['/bin/fib']);
    expect(r.err).toBe('');
    // fib's offset probes (its five blocks: the entry, the two arms of ?:, the code after each of
    // its two calls) come after every function's entry and return.
    const names = new Set(targetImageOn(m, '/bin/fib')!.functions.map((f) => f.name)).size;
    const off = (n: number, b: number) => `${String(1041 + 2 * names + n).padStart(5)}     pid100               fib                               fib ${b}\n`;
    expect(r.out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ' 1041     pid100               fib                               fib entry\n' +
      ' 1042     pid100               fib                               fib return\n' +
      [0, 1, 2, 3, 4].map((b) => off(b, b)).join(''),
    );
  });

  test('pid$target:::entry lists every function of the image (libc linked in)', () => {
    const lines = dtraceOn(m, ['-l', '-n', 'pid$target:::entry'], ['/bin/fib']).out.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '   ID   PROVIDER            MODULE                          FUNCTION NAME',
      ' 1041     pid100               fib                               fib entry',
      ' 1043     pid100               fib                              main entry',
      ' 1045     pid100               fib                     __assert_fail entry',
    ]);
    expect(lines.length - 1).toBe(new Set(targetImageOn(m, '/bin/fib')!.functions.map((f) => f.name)).size);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ +[0-9]+     pid100               fib +[A-Za-z_0-9]+ entry$/);
  });

  test('without -c, $target is not defined; a function the program lacks matches nothing', () => {
    expect(dtraceOn(m, ['-n', 'pid$target::fib:entry']).err).toBe(
      'dtrace: invalid probe specifier pid$target::fib:entry: macro variable $target is not defined\n',
    );
    expect(dtraceOn(m, ['-n', 'pid$target::nosuch:entry'], ['/bin/fib']).err).toBe(
      'dtrace: invalid probe specifier pid$target::nosuch:entry: probe description pid100::nosuch:entry does not match any probes\n',
    );
  });
});

describe('the machine\'s own /bin/dtrace', () => {
  test('pid$target probes of the -c command, named relative to the shell\'s directory', () => {
    const b = bootWithUserland(['sh', 'dtrace'], { tools: machineTools() });
    compileInto(b, '/work/chain', CHAIN_C);
    const r = sh(b, `cd /work && dtrace -q -n 'pid$target::b:entry { printf("%s %s %d %d\\n", probemod, probefunc, arg0, pid == $target); }' -c ./chain`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('chain b 4 1\n\n');
  });
});

describe('the library API', () => {
  test('run({ dtrace }) has pid$target probes of the program', () => {
    const m = createMachine();
    const r = m.run({ source: CHAIN_C, name: 'chain' }, { dtrace: 'pid$target::a:return { printf("%s %d\\n", probemod, arg1); }' });
    expect(r.dtrace!.stderr).toBe("dtrace: script 'script.d' matched 1 probe\ndtrace: pid 1000 has exited\n");
    expect(r.dtrace!.output).toBe('CPU     ID                    FUNCTION:NAME\n  0   1044                         a:return chain 9\n\n\n');
  });
});

describe('-p PID', () => {
  test('there is no running process to grab: dtrace says so and exits 1', async () => {
    const { runD } = await import('./harness.js');
    const r = runD(['-p', '4242', '-n', 'BEGIN { exit(0); }']);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: 'dtrace: failed to grab pid 4242: ksim cannot attach to a process that is already running (use -c CMD, or no -c to trace the machine\'s later runs)\n',
    });
  });
});
