// The command line end to end, as a reader of the Linux tutorial types it, with the project's own
// syscall and test program: init, build, cc, run, dmesg, strace, ktrace+kdump, dtrace, syscalls,
// and the errors (a taken number on today's release, a missing program). Runs bin/run.js from
// dist/ (built by `npm install`'s prepare step).
import { beforeAll, describe, expect, it } from 'vitest';
import { ksimCli } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ksim = (args: string[], cwd = dir) => ksimCli(args, cwd);
let work = '';
let dir = '';


const SYSCALL = `SYSCALL_DEFINE1(shout, char __user *, msg)
{
  char buf[128];
  long n = strncpy_from_user(buf, msg, sizeof(buf));
  if (n < 0 || n == sizeof(buf))
    return -EFAULT;
  printk(KERN_INFO "shout: %s!\\n", buf);
  return n;
}
`;

const TEST = `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  if (argc < 2) { printf("usage: shout WORD\\n"); return -1; }
  long r = syscall(SYS_shout, argv[1]);
  printf("shout returned %ld\\n", r);
  return 0;
}
`;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-cli-'));
  expect(ksim(['init', 'm', '--release', '4.7.1', '--localversion', '-test'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.appendFileSync(path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl'), '329\tcommon\tshout\tsys_shout\n');
  fs.writeFileSync(path.join(dir, 'kernel/shout.c'), SYSCALL);
  fs.writeFileSync(path.join(dir, 'shout.c'), TEST);
  const b = ksim(['build']);
  expect(b.stderr).toBe('');
  expect(b.status).toBe(0);
  const c = ksim(['cc', '-o', 'shout', 'shout.c']);
  expect(c.stderr).toBe('');
  expect(c.status).toBe(0);
}, 120_000);

describe('ksim on the command line', () => {
  it('init writes the stock table of the release and an empty kernel/', () => {
    const tbl = fs.readFileSync(path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl'), 'utf8');
    expect(tbl).toContain('\n328\t64\tpwritev2\tsys_pwritev2\n');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'ksim.json'), 'utf8'))).toEqual({ ksim: 1, os: 'linux', arch: 'x86_64', release: '4.7.1', localversion: '-test', hostname: 'ksim' });
  });

  it('runs the program; the syscall logs with printk; dmesg shows it with a timestamp', () => {
    const r = ksim(['run', './shout', 'hey']);
    expect(r.stdout).toBe('shout returned 3\n');
    expect(r.status).toBe(0);
    const d = ksim(['dmesg']);
    expect(d.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\[ *\d+\.\d{6}\] shout: hey!$/);
  });

  it('exits with the program status and reports how it ended', () => {
    expect(ksim(['run', './shout']).status).toBe(255);
    const missing = ksim(['run', './nope']);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toBe('ksim: ./nope: No such file or directory\n');
  });

  it('strace decodes the custom syscall from its signature', () => {
    const r = ksim(['strace', '-e', 'trace=shout,write', './shout', 'hi']);
    expect(r.stderr).toBe('shout("hi")                             = 2\nwrite(1, "shout returned 2\\n", 17)      = 17\n+++ exited with 0 +++\n');
  });

  it('ktrace records to ktrace.out and kdump prints CALL and RET with the custom name', () => {
    expect(ksim(['ktrace', '-t', 'c', './shout', 'hi']).status).toBe(0);
    const k = ksim(['kdump']);
    expect(k.stdout).toMatch(/^ +\d+ shout +CALL  shout\(0x7fff[0-9a-f]+\)$/m);
    expect(k.stdout).toMatch(/^ +\d+ shout +RET   shout 2$/m);
  });

  it('ktrace records STRU for stat calls and USER for utrace (ksim_utrace on Linux)', () => {
    fs.writeFileSync(
      path.join(dir, 'marks.c'),
      '#include <string.h>\n#include <sys/stat.h>\n#include <sys/ktrace.h>\nint main(void) { struct stat st; fstat(1, &st); const char *m = "checkpoint one"; return utrace(m, strlen(m)); }\n',
    );
    expect(ksim(['cc', '-o', 'marks', 'marks.c']).status).toBe(0);
    expect(ksim(['ktrace', '-t', 'tu', '-f', 'marks.out', './marks']).status).toBe(0);
    const k = ksim(['kdump', '-f', 'marks.out']).stdout.split('\n');
    expect(k[0]).toMatch(/^ +\d+ marks +STRU  struct stat \{dev=\d+, ino=\d+, mode=0\d+, nlink=1, uid=0, gid=0, rdev=\d+, atime=/);
    expect(k[1]).toMatch(/^ +\d+ marks +USER  14  63 68 65 63 6b 70 6f 69 6e 74 20 6f 6e 65$/);
  });

  it('dtrace runs a D clause on the syscall with copyinstr', () => {
    const r = ksim(['dtrace', '-q', '-n', 'syscall::shout:entry { printf("%s %d\\n", copyinstr(arg0), pid > 0); }', '-c', './shout hello']);
    expect(r.stdout.split('\n')).toContain('hello 1');
    expect(r.status).toBe(0);
  });

  it('syscalls lists the custom row with its signature', () => {
    const r = ksim(['syscalls']);
    expect(r.stdout).toMatch(/^ 329  common  shout \* +full     shout\(char \*arg0\)$/m);
  });

  it('build refuses a number that is taken on today\'s release, naming the owner and the next free number', () => {
    expect(ksim(['init', 'today'], work).status).toBe(0);
    const today = path.join(work, 'today');
    fs.appendFileSync(path.join(today, 'arch/x86/entry/syscalls/syscall_64.tbl'), '329\tcommon\tshout\tsys_shout\n');
    fs.writeFileSync(path.join(today, 'kernel/shout.c'), SYSCALL);
    const r = ksim(['build'], today);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/syscall_64\.tbl:\d+:1: error: syscall number 329 is already used by 'pkey_mprotect' .*; the next free number is 463/);
  });

  it('cc reports C errors like gcc', () => {
    fs.writeFileSync(path.join(dir, 'bad.c'), 'int main(void) {\n  return x;\n}\n');
    const r = ksim(['cc', '-o', 'bad', 'bad.c']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad.c:2:10: error: 'x' undeclared (first use in this function)\n    2 |   return x;\n      |          ^\n");
  });
});
