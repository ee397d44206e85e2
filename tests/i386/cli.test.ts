// The command line on an i386 machine, as a reader of an int $0x80 tutorial types it: init with
// --arch i386, the i386 table, ksim cc of an AT&T .s file (and a .S file through the preprocessor),
// run, strace, gas-style errors, and `ksim syscalls` listing the i386 table. Runs bin/run.js from dist/.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(import.meta.dirname, '../../bin/run.js');
let dir = '';

function ksim(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KSIM_MACHINE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GREET = `# greet.s: write(1, msg, len) and exit(0) by int $0x80
.data
msg:
    .ascii "Greetings from i386\\n"
len = . - msg

.text
.globl _start
_start:
    movl $4, %eax
    movl $1, %ebx
    movl $msg, %ecx
    movl $len, %edx
    int  $0x80

    movl $1, %eax
    xorl %ebx, %ebx
    int  $0x80
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-i386-'));
  const r = ksim(['init', 'old', '--arch', 'i386', '--release', '2.6.32'], work);
  expect(r.status).toBe(0);
  dir = path.join(work, 'old');
  fs.writeFileSync(path.join(dir, 'greet.s'), GREET);
}, 60_000);

describe('an i386 machine from the command line', () => {
  it('has the i386 table', () => {
    const tbl = fs.readFileSync(path.join(dir, 'arch/x86/entry/syscalls/syscall_32.tbl'), 'utf8');
    expect(tbl).toContain('\n4\ti386\twrite\tsys_write\n');
    expect(tbl).toContain('\n192\ti386\tmmap2\tsys_mmap_pgoff\n');
    const s = ksim(['syscalls']);
    const lines = s.stdout.split('\n');
    expect(lines).toContain('   4  i386    write                     full     write(unsigned int fd, const char __user *buf, size_t count)');
    expect(lines).toContain(' 192  i386    mmap2                     full     mmap2(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd, unsigned long pgoff)');
    expect(lines[lines.length - 2]).toMatch(/^333 rows; \d+ implemented; \* = custom$/);
  });

  it('assembles, runs and traces an int $0x80 program', () => {
    expect(ksim(['cc', '-o', 'greet', 'greet.s'])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'greet'), 'utf8').startsWith('#!/usr/bin/env -S ksim run\n')).toBe(true);
    expect(ksim(['run', './greet'])).toEqual({ status: 0, stdout: 'Greetings from i386\n', stderr: '' });
    const t = ksim(['strace', './greet']);
    expect(t.status).toBe(0);
    expect(t.stderr.split('\n').slice(1)).toEqual([
      'write(1, "Greetings from i386\\n", 20)   = 20',
      'exit(0)                                 = ?',
      '+++ exited with 0 +++',
      '',
    ]);
  }, 60_000);

  it('preprocesses .S files', () => {
    fs.writeFileSync(path.join(dir, 'code.S'), '#define NR_exit 1\n.globl _start\n_start:\n  movl $NR_exit, %eax\n  movl $(6 * 7), %ebx\n  int $0x80\n');
    expect(ksim(['cc', '-o', 'code', 'code.S']).status).toBe(0);
    expect(ksim(['run', './code']).status).toBe(42);
  }, 60_000);

  it('reports assembler errors as gas does', () => {
    fs.writeFileSync(path.join(dir, 'bad.s'), '.text\n_start:\n    movx $4, %eax\n    movl $1, %exx\n');
    const r = ksim(['cc', '-o', 'bad', 'bad.s']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("bad.s: Assembler messages:\nbad.s:3: Error: no such instruction: 'movx $4,%eax'\nbad.s:4: Error: bad register name '%exx'\n");
    expect(fs.existsSync(path.join(dir, 'bad'))).toBe(false);
  }, 60_000);
});
