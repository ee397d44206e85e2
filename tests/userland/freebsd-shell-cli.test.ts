// `ksim shell -c` on a FreeBSD machine, end to end: the freebsd-static tutorial's syscall and test,
// then ktrace + kdump, dtrace, strace and dmesg typed at the machine's prompt print what `ksim ktrace`,
// `ksim kdump`, `ksim dtrace`, `ksim strace` and `ksim dmesg` print for the same program (the pids
// differ, and the first ktrace record names the process that called execve: ktrace inside, ksim outside).
// Runs bin/run.js from dist/ (built by `npm run build`, which also builds dist/userland/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ksimCli } from '../helpers/cli.js';
import { STATIC_ROW, STATIC_SOURCE } from '../freebsd/fixtures.js';

let work = '';
let dir = '';
const ksim = (args: string[]) => ksimCli(args, dir);


const TEST = `#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
\tint result = syscall(600, 10, "Hello from userspace!");
\tprintf("Result: %d\\n", result);
\treturn 0;
}
`;

/** kdump's lines without the pid column. */
const noPids = (s: string) => s.replace(/^ +\d+ /gm, '');

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fbshell-'));
  expect(ksimCli(['init', 'fb', '--os', 'freebsd'], work).status).toBe(0);
  dir = path.join(work, 'fb');
  fs.appendFileSync(path.join(dir, 'sys/kern/syscalls.master'), STATIC_ROW);
  fs.writeFileSync(path.join(dir, 'sys/kern/sys_mycustom.c'), STATIC_SOURCE);
  fs.writeFileSync(path.join(dir, 'test.c'), TEST);
  expect(ksim(['build']).status).toBe(0);
  const c = ksim(['cc', '-o', 'test', 'test.c']);
  expect(c.stderr).toBe('');
}, 180_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('ksim shell on a FreeBSD machine', () => {
  it('ktrace ./test && kdump inside prints what ksim ktrace and ksim kdump print', () => {
    expect(ksim(['ktrace', '-t', 'c', './test']).stdout).toBe('Result: 30\n');
    const outside = ksim(['kdump']);
    const inside = ksim(['shell', '-c', 'ktrace -t c ./test && kdump']);
    expect(inside.stderr).toBe('');
    expect(inside.status).toBe(0);
    const lines = outside.stdout.split('\n');
    expect(lines[0]).toMatch(/^ +\d+ ksim     CALL  execve\(/);
    expect(noPids(inside.stdout)).toBe('Result: 30\n' + noPids(outside.stdout).replace(/^ksim {5}/, 'ktrace   '));
    expect(outside.stdout).toContain('CALL  my_custom_syscall(0xa,');
    expect(outside.stdout).toContain('RET   my_custom_syscall 30/0x1e\n');
  });

  it('dtrace, strace and dmesg inside print what ksim dtrace, ksim strace and ksim dmesg print', () => {
    const d = `syscall::my_custom_syscall:entry { printf("value=%d", arg0); }`;
    const dOut = ksim(['dtrace', '-n', d, '-c', './test']);
    const dIn = ksim(['shell', '-c', `dtrace -n '${d}' -c ./test`]);
    expect(dIn.stdout).toBe(dOut.stdout);
    expect(dIn.stdout).toBe('CPU     ID                    FUNCTION:NAME\n  0   1162          my_custom_syscall:entry value=10\nResult: 30\n\n');
    expect(dIn.stderr.replace(/pid \d+/, 'pid N')).toBe(dOut.stderr.replace(/pid \d+/, 'pid N'));
    const sOut = ksim(['strace', '-e', 'trace=my_custom_syscall', './test']);
    const sIn = ksim(['shell', '-c', 'strace -e trace=my_custom_syscall ./test']);
    expect(sIn.stderr).toBe(sOut.stderr);
    expect(sIn.stderr).toBe('my_custom_syscall(10, "Hello from userspace!") = 30\n+++ exited with 0 +++\n');
    const mIn = ksim(['shell', '-c', 'dmesg']);
    expect(mIn.stdout).toBe(ksim(['dmesg']).stdout);
    expect(mIn.stdout.split('\n').slice(-2)).toEqual(["my_custom_syscall: value=10, message='Hello from userspace!'", '']);
  });
});
