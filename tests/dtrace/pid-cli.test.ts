// `ksim dtrace -c` with pid$target probes, end to end through bin/run.js (dist/): the probes come
// from the command's executable, fire in the traced run, and $target is the run's pid; offset probes.
import { beforeAll, describe, expect, it } from 'vitest';
import { ksimCli } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir = '';
const ksim = (args: string[]) => ksimCli(args, dir);

const FIB_C = `#include <stdio.h>
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { printf("%d\\n", fib(5)); return 0; }
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-pid-'));
  expect(ksim(['init']).status).toBe(0);
  fs.writeFileSync(path.join(dir, 'fib.c'), FIB_C);
  expect(ksim(['cc', 'fib.c', '-o', 'fib']).status).toBe(0);
});

describe('ksim dtrace: pid$target', () => {
  it('counts fib entries by argument and prints the return value of the outermost call', () => {
    const r = ksim(['dtrace', '-n', 'pid$target::fib:entry { @[arg0] = count(); } pid$target::fib:return /arg1 == 5/ { printf("%s`%s %d", probemod, probefunc, pid == $target); }', '-c', './fib']);
    expect(r.stderr).toBe("dtrace: description 'pid$target::fib:entry ' matched 2 probes\ndtrace: pid 1000 has exited\n");
    expect(r.stdout).toBe(
      'CPU     ID                    FUNCTION:NAME\n' +
      '  0   1042                       fib:return fib`fib 1\n' +
      // The program prints fib(5) after the call returned.
      '5\n' +
      '\n' +
      '                4                1\n' +
      '                5                1\n' +
      '                3                2\n' +
      '                0                3\n' +
      '                2                3\n' +
      '                1                5\n',
    );
    expect(r.status).toBe(0);
  });

  it('-l lists the probes of a function of the command: entry, return, and its offsets (basic blocks)', () => {
    const r = ksim(['dtrace', '-l', '-n', 'pid$target::main:', '-c', './fib']);
    // The machine's pids go on across ksim commands: $target is the pid the command would get.
    const pid = Number(/pid([0-9]+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(1000);
    // Offset probes are numbered after every function's entry and return, fib's 5 offsets first.
    const entries = ksim(['dtrace', '-l', '-n', 'pid$target:::entry', '-c', './fib']).stdout.trimEnd().split('\n').length - 1;
    const prov = `pid${pid}`.padStart(10);
    const off = (b: number) => ` ${1041 + 2 * entries + 5 + b} ${prov}               fib                              main ${b}\n`;
    expect(r.stdout).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ` 1043 ${prov}               fib                              main entry\n` +
      ` 1044 ${prov}               fib                              main return\n` +
      off(0) + off(1) + off(2),
    );
    expect(r.status).toBe(0);
  });

  it('an offset probe fires when its block of the function starts: fib\'s block 3 (after the first call) once per n >= 2', () => {
    const r = ksim(['dtrace', '-q', '-n', 'pid$target::fib:3 { @[probefunc, probename] = count(); }', '-c', './fib']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5\n\n  fib                                                 3                                                                 7\n');
    expect(r.status).toBe(0);
  });
});
