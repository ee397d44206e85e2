// `ksim shell -c` end to end, as the tutorial types it at the machine's prompt: a custom syscall
// that printks, its test program, then dmesg and uname from ksim's userland, in one command line.
// Runs bin/run.js from dist/ (built by `npm run build`, which also builds dist/userland/).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
let work = '';
let dir = '';

function ksim(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SYSCALL = `SYSCALL_DEFINE1(greet, char __user *, who)
{
  char name[64];
  long n = strncpy_from_user(name, who, sizeof(name));
  if (n < 0 || n == sizeof(name))
    return -EFAULT;
  printk(KERN_INFO "greet: welcome, %s\\n", name);
  return 0;
}
`;

const TEST = `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  printf("calling greet(\\"%s\\")\\n", argv[1]);
  long r = syscall(SYS_greet, argv[1]);
  printf("greet returned %ld\\n", r);
  return r == 0 ? 0 : 1;
}
`;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-shell-'));
  expect(ksim(['init', 'demo', '--release', '4.7.1', '--localversion', '-stephen'], work).status).toBe(0);
  dir = path.join(work, 'demo');
  fs.appendFileSync(path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl'), '329\tcommon\tgreet\tsys_greet\n');
  fs.writeFileSync(path.join(dir, 'kernel/greet.c'), SYSCALL);
  fs.writeFileSync(path.join(dir, 'test.c'), TEST);
  expect(ksim(['build']).status).toBe(0);
  const c = ksim(['cc', '-o', 'test', 'test.c']);
  expect(c.stderr).toBe('');
  expect(c.status).toBe(0);
}, 120_000);

describe('ksim shell', () => {
  it("runs the tutorial's command line: the test, the printk line through dmesg, the release", () => {
    const r = ksim(['shell', '-c', "./test 'Hello World!' && dmesg | tail -n 1 && uname -r"]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['calling greet("Hello World!")', 'greet returned 0']);
    expect(lines[2]).toMatch(/^\[ *\d+\.\d{6}\] greet: welcome, Hello World!$/);
    expect(lines.slice(3)).toEqual(['4.7.1-stephen', '']);
    expect(r.status).toBe(0);
  });

  it("leaves the log as ksim dmesg sees it, and dmesg in the machine reads what earlier runs logged", () => {
    expect(ksim(['run', './test', 'again']).status).toBe(0);
    const inside = ksim(['shell', '-c', 'dmesg']).stdout.trimEnd().split('\n');
    const outside = ksim(['dmesg']).stdout.trimEnd().split('\n');
    expect(inside.at(-1)).toMatch(/\] greet: welcome, again$/);
    expect(inside).toEqual(outside);
  });

  it('runs the tracers under their own names: strace, ktrace && kdump, dtrace -c', () => {
    const st = ksim(['shell', '-c', 'strace -e trace=greet ./test hi']);
    expect(st.stdout).toBe('calling greet("hi")\ngreet returned 0\n');
    expect(st.stderr).toBe('greet("hi")                             = 0\n+++ exited with 0 +++\n');
    expect(st.status).toBe(0);
    const kt = ksim(['shell', '-c', 'D=$(pwd) && cd /tmp && ktrace -t c $D/test hi >/dev/null; kdump -f /tmp/ktrace.out | grep greet']);
    expect(kt.stderr).toBe('');
    expect(kt.stdout.replace(/^ *\d+/gm, 'PID')).toMatch(/^PID test     CALL  greet\(0x[0-9a-f]+\)\nPID test     RET   greet 0\n$/);
    expect(fs.existsSync(path.join(dir, 'ktrace.out'))).toBe(false);
    const dt = ksim(['shell', '-c', `dtrace -q -n 'syscall::greet:entry { printf("%s\\n", copyinstr(arg0)); }' -c './test dtrace'`]);
    expect(dt.stderr).toBe('');
    expect(dt.stdout).toBe('dtrace\ncalling greet("dtrace")\ngreet returned 0\n\n');
  });

  it('exits with the status of the command line', () => {
    expect(ksim(['shell', '-c', 'false || exit 7']).status).toBe(7);
    const r = ksim(['shell', '-c', 'nosuchcmd']);
    expect(r.status).toBe(127);
    expect(r.stderr).toBe('sh: nosuchcmd: command not found\n');
  });

  // On a terminal (a pty made by util-linux's script), the shell prompts and the tty echoes.
  it.skipIf(!fs.existsSync('/usr/bin/script'))('prompts root@ksim:DIR# on a terminal', () => {
    const r = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${bin} shell`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      input: 'uname -r\ncd /tmp\nexit 3\n',
      env: { ...process.env, KSIM_MACHINE: '' },
    });
    // script(1) types the whole input at once, before ksim puts the terminal in raw mode: the host
    // terminal echoes it first, then the machine's line discipline echoes the lines it reads.
    const text = r.stdout.replace(/\r/g, '');
    expect(text).toContain(`root@ksim:${fs.realpathSync(dir)}# uname -r\ncd /tmp\nexit 3\n`);
    expect(text).toMatch(/\n(\^@)?4\.7\.1-stephen\nroot@ksim:/);
    expect(text).toMatch(/root@ksim:\/tmp# $/);
    expect(r.status).toBe(3);
  });

  it('reads commands from standard input when it is not a terminal', () => {
    const r = spawnSync(process.execPath, [bin, 'shell'], { cwd: dir, encoding: 'utf8', input: 'echo one\ncd /tmp\npwd\n', env: { ...process.env, KSIM_MACHINE: '' } });
    expect(r.stdout).toBe('one\n/tmp\n');
    expect(r.status).toBe(0);
  });
});
