// dtrace -p PID on the machine's own /bin/dtrace (src/machine/tools.ts, ksim_tool's grab): it
// traces a process that runs already ($target its pid, pid$target probes from the image it runs)
// until that process exits, then prints `dtrace: pid N has exited` and its aggregations; a pid
// the machine does not have cannot be grabbed.
import { describe, expect, test } from 'vitest';
import { compileInto } from '../helpers/machine.js';
import { bootWithUserland, sh } from '../userland/helpers.js';
import { machineTools } from '../../src/machine/tools.js';

// Sleeps first (dtrace grabs it then), then works and exits.
const LOOP_C = `#include <unistd.h>
int work(int i) { return i * 2; }
int main(void) {
  int i, t = 0;
  sleep(1);
  for (i = 0; i < 3; i++) t += work(i) + getpid() * 0;
  return t == 6 ? 0 : 1;
}
`;

function machine() {
  const b = bootWithUserland(['sh', 'dtrace', 'echo'], { tools: machineTools() });
  compileInto(b, '/work/loop', LOOP_C);
  return b;
}

describe('dtrace -p PID inside the machine', () => {
  test('grabs the background process of the same shell: its syscalls from then on, until it exits', () => {
    const b = machine();
    const r = sh(b, `cd /work && ./loop & dtrace -p $! -n 'syscall:::entry /pid == $target/ { @[probefunc] = count(); }'`);
    expect(r.stderr).toMatch(/^dtrace: description 'syscall:::entry ' matched [0-9]+ probes\ndtrace: pid 101 has exited\n$/);
    expect(r.stdout).toBe(
      '\n' +
      '  exit_group                                                        1\n' +
      '  getpid                                                            3\n',
    );
  });

  test('pid$target probes of the image it runs: a function\'s entries, an offset, and the return of main, entered before the grab', () => {
    const b = machine();
    const r = sh(b, `cd /work && ./loop & dtrace -q -p $! -n 'pid$target::work:entry { printf("%s %d\\n", probefunc, arg0); } pid$target::work:0 { @[probemod, probefunc, probename] = count(); } pid$target::main:return { printf("main %d\\n", arg1); }'; wait $!; echo status $?`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'work 0\nwork 1\nwork 2\nmain 0\n' +
      '\n' +
      '  loop                                                work                                                0                                                                 3\n' +
      'status 0\n',
    );
  });

  test('exit() in the script ends dtrace at once; the process goes on untraced', () => {
    const b = machine();
    const r = sh(b, `cd /work && ./loop & dtrace -q -p $! -n 'syscall::getpid:entry /pid == $target/ { printf("first getpid of %d\\n", pid); exit(0); }'; echo dtrace $?; wait $!; echo loop $?`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('first getpid of 101\n\ndtrace 0\nloop 0\n');
  });

  test('exit() in a probe of a process that makes no syscalls ends dtrace at the end of the time slice', () => {
    const b = machine();
    // Sleeps first (dtrace grabs it then), then only computes.
    compileInto(b, '/work/spin', `#include <stdio.h>
#include <unistd.h>
int work(int i) { return i & 1; }
int main(void) { int i, t = 0; sleep(1); for (i = 0; i < 1000000; i++) t += work(i); printf("spun %d\\n", t); return 0; }
`);
    const r = sh(b, `cd /work && ./spin & dtrace -q -p $! -n 'pid$target::work:entry /arg0 == 5/ { printf("work 5\\n"); exit(0); }'; echo dtrace $?; wait $!; echo spin $?`);
    expect(r.stderr).toBe('');
    // dtrace returned while the loop still ran (its output comes after the shell's).
    expect(r.stdout).toBe('work 5\n\ndtrace 0\nspun 500000\nspin 0\n');
  });

  test('-l lists the probes of the grabbed process\'s function: entry, return and its blocks', () => {
    const b = machine();
    const r = sh(b, `cd /work && ./loop & dtrace -l -p $! -n 'pid$target::work:'`);
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(/^ +[0-9]+ /gm, 'ID ')).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      'ID     pid101              loop                              work entry\n' +
      'ID     pid101              loop                              work return\n' +
      'ID     pid101              loop                              work 0\n',
    );
  });

  test('a pid the machine does not have: "No such process", exit status 1', () => {
    const b = machine();
    const r = sh(b, `dtrace -p 4242 -n 'syscall:::entry'; echo $?`);
    expect(r.stderr).toBe('dtrace: failed to grab pid 4242: No such process\n');
    expect(r.stdout).toBe('1\n');
  });

  test('-p with something that is not a pid: "invalid pid", exit status 1, as dtrace.c says after strtol', async () => {
    const b = machine();
    const r = sh(b, `dtrace -p abc -n 'syscall:::entry'; echo $?; dtrace -p 0 -n 'syscall:::entry'; echo $?`);
    expect(r.stderr).toBe('dtrace: invalid pid: abc\ndtrace: invalid pid: 0\n');
    expect(r.stdout).toBe('1\n1\n');
    const { runD } = await import('./harness.js');
    expect(runD(['-p', '12x', '-n', 'BEGIN']).stderr).toBe('dtrace: invalid pid: 12x\n');
  });
});
