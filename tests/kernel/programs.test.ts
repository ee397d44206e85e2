// User programs of the project's own (tests/programs/*.c) run as processes on the kernel, each
// checked for its exact output and exit status: files, pipes, fork/exec/wait, a shell, signals,
// faults, and the limits that stop runaway programs.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { boot, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const program = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../programs', `${name}.c`), 'utf8');

function run(name: string, args: string[] = [], opts: { input?: string; setup?: (b: ReturnType<typeof boot>) => void; limits?: Parameters<typeof boot>[3] } = {}) {
  const m = makeMachine();
  const b = boot(m, undefined, opts.input ?? '', opts.limits);
  compileInto(b, `/bin/${name}`, program(name));
  opts.setup?.(b);
  const r = runProgram(b.machine, [`/bin/${name}`, ...args]);
  return { ...r, stdout: b.console.stdoutText(), stderr: b.console.stderrText(), b, m };
}

describe('user programs', () => {
  it('cat | wc over a file in the mounted directory', () => {
    const m = makeMachine();
    m.host.fs.writeFile('/work/poem.txt', 'one two\nthree  four five\n\nsix\n');
    const b = boot(m);
    compileInto(b, '/bin/cat_wc', program('cat_wc'));
    const r = runProgram(b.machine, ['/bin/cat_wc', 'poem.txt']);
    expect(b.console.stdoutText()).toBe('      4       6      30 poem.txt\n');
    expect(r.status).toBe(0);
    const missing = runProgram(b.machine, ['/bin/cat_wc', 'nope.txt']);
    expect(b.console.stderrText()).toBe('nope.txt: No such file or directory\n');
    expect(missing.status).toBe(1);
  });

  it('a parent and a child talk through a pipe, and wait4 returns the child\'s status', () => {
    const r = run('pipe_fork');
    expect(r.stdout).toBe('hello from the child\nchild exited: 1, status 7\n');
    expect(r.status).toBe(0);
  });

  it('a program execs another with new arguments', () => {
    const r = run('exec_other', ['/bin/echo_args'], { setup: (b) => compileInto(b, '/bin/echo_args', program('echo_args')) });
    expect(r.stdout).toBe('argv[0]=/bin/echo_args\nargv[1]=from\nargv[2]=exec\n');
    expect(r.status).toBe(3);
  });

  it('a small shell reads lines, runs commands with fork/execvp/waitpid, has cd and exit', () => {
    const r = run('mini_shell', [], {
      input: 'echo_args a b\ncd /tmp\nnosuchcmd\nexit 3\n',
      setup: (b) => compileInto(b, '/bin/echo_args', program('echo_args')),
    });
    expect(r.stdout).toBe('argv[0]=echo_args\nargv[1]=a\nargv[2]=b\n[echo_args exited 3]\ncwd: /tmp\n[nosuchcmd exited 127]\n');
    expect(r.stderr).toBe('nosuchcmd: No such file or directory\n');
    expect(r.status).toBe(3);
  });

  it('malloc, realloc and qsort-heavy code', () => {
    const r = run('sort_malloc');
    expect(r.stdout).toMatch(/^n=5000 min=\d+ max=\d+ median=\d+ apple\n$/);
    expect(r.status).toBe(0);
  });

  it('signal handlers, SIG_IGN, and a child killed by SIGTERM', () => {
    const r = run('signal_handler');
    expect(r.stdout).toBe('handler ran: got=20\nignored: got=20\nchild killed by signal 15\n');
    expect(r.status).toBe(0);
  });

  it('a NULL dereference kills the process with SIGSEGV (139)', () => {
    const r = run('null_deref');
    expect(r.stdout).toBe('before\n');
    expect(r.signo).toBe(11);
    expect(r.status).toBe(139);
  });

  it('an infinite loop is stopped by the CPU limit', () => {
    const r = run('spin', [], { limits: { cpuSoft: 2_000_000, cpuHard: 3_000_000 } });
    expect(r.signo).toBe(24); // SIGXCPU's default action ends it first
    expect(r.status).toBe(128 + 24);
  });

  it('a fork bomb gets EAGAIN at the process limit and the run ends', () => {
    const r = run('fork_bomb', [], { limits: { nproc: 20, cpuSoft: 50_000_000, cpuHard: 60_000_000 } });
    expect(r.stdout).toBe('fork refused with EAGAIN: 1\n');
    expect(r.notices.some((n) => n.includes('process limit of 20 reached'))).toBe(true);
  });
});
