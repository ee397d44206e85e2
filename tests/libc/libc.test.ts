// libc.test.ts: ksim's libc (libc/, include/) proven against glibc. Each program in
// tests/libc/programs is built with the host gcc against ksim's libc and against glibc; both runs
// must print the same bytes, exit the same way, and show the behaviour each test names.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, hostGccAvailable, runOnTerminal, runProgram, scriptAvailable, type Builds, type RunOptions, type RunResult } from './host-build.js';

const programs = ['headers', 'printf', 'strings', 'malloc', 'sort', 'strtol', 'buffering', 'process', 'exec', 'files', 'misc', 'assert', 'scanf', 'strtod', 'math', 'dirent', 'getopt'];
const haveGcc = hostGccAvailable();
const describeWithGcc = haveGcc ? describe : describe.skip;
if (!haveGcc) {
  describe('ksim libc against glibc', () => {
    it.skip('needs the host gcc on Linux x86_64 to build the test programs natively', () => {});
  });
}

describeWithGcc('ksim libc against glibc', () => {
  let builds: Builds;

  beforeAll(async () => {
    builds = await buildAll(programs);
  }, 120_000);

  afterAll(() => builds?.dispose());

  /** Runs a program built both ways and checks the two runs are identical; returns ksim's run. */
  async function same(name: string, options: RunOptions = {}): Promise<RunResult> {
    const [ksim, glibc] = await Promise.all([runProgram(builds.ksim(name), options), runProgram(builds.glibc(name), options)]);
    expect(ksim.stdout).toBe(glibc.stdout);
    expect(ksim.stderr).toBe(glibc.stderr);
    expect({ status: ksim.status, signal: ksim.signal }).toEqual({ status: glibc.status, signal: glibc.signal });
    return ksim;
  }

  it('headers: errno, O_*, signal, wait, mmap and syscall numbers and struct layouts equal glibc\'s', async () => {
    const r = await same('headers');
    expect(r.stdout).toContain('O_CREAT = 64\n');
    expect(r.stdout).toContain('O_CLOEXEC = 524288\n');
    expect(r.stdout).toContain('EFAULT = 14\n');
    expect(r.stdout).toContain('SIGSEGV = 11\n');
    expect(r.stdout).toContain('sizeof(struct stat) = 144\n');
  });

  it('printf: every conversion, flag and length, and exactly rounded %f %e %g %a', async () => {
    const r = await same('printf');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[00042] [+42] [ 42]');
    expect(r.stdout).toContain('snprintf 12 [abcdef-] x');
    expect(r.stdout.split('\n').length).toBeGreaterThan(600);
  });

  it('string.h, strings.h, ctype.h, strerror, strsignal and perror', async () => {
    const r = await same('strings');
    expect(r.stdout).toContain('strerror EFAULT: Bad address');
    expect(r.stderr).toBe('perror test: No such file or directory\nPermission denied\n');
  });

  it('malloc, calloc, realloc and free under stress, brk and mmap blocks alike', async () => {
    const r = await same('malloc');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/unaligned 0, errors 0/);
  });

  it('qsort is stable like glibc\'s, bsearch finds, rand follows glibc\'s sequence', async () => {
    const r = await same('sort');
    expect(r.stdout).toContain('rand 1804289383\nrand 846930886\n');
    expect(r.stdout).not.toContain('not sorted');
  });

  it('sscanf and scanf: conversions, widths, scan sets, %n, return values, reading stdin', async () => {
    const r = await same('scanf', { input: '1 2\n 3\nword' });
    expect(r.stdout).toContain('8: r=2 [key] [value] n=9\n');
    expect(r.stdout).toContain('stdin: 3\nscanf ended with 0\nthen 1 [word]\n');
  });

  it('strtol family and strtod: bases, prefixes, overflow, end pointers', async () => {
    const r = await same('strtol');
    expect(r.stdout).toContain('strtol("9223372036854775808", 10) = 9223372036854775807, end +19, errno 34');
  });

  it('strtod rounds exactly like glibc: ties, subnormals, overflow, long inputs, random round trips', async () => {
    const r = await same('strtod');
    expect(r.stdout).toContain('9007199254740993 -> 4340000000000000 ');
    expect(r.stdout).toContain('1.7976931348623159e308 -> 7ff0000000000000 inf end+22 errno 34\n');
    expect(r.stdout.split('\n').length).toBeGreaterThan(2000);
  });

  it('math.h: floor, ceil, trunc, round, fmod, modf, frexp, ldexp and a correctly rounded sqrt', async () => {
    const r = await same('math');
    expect(r.stdout).toContain('0x1p+1: floor 0x1p+1 ceil 0x1p+1 trunc 0x1p+1 round 0x1p+1 fabs 0x1p+1 sqrt 0x1.6a09e667f3bcdp+0');
  });

  it('stdio buffering to a pipe: fully buffered, setvbuf, flush at exit', async () => {
    const r = await same('buffering');
    expect(r.stdout.indexOf('[write 1]')).toBeLessThan(r.stdout.indexOf('first line'));
    expect(r.stdout.endsWith('left in the buffer at exit\n')).toBe(true);
  });

  it.skipIf(!scriptAvailable())('stdio buffering on a terminal: stdout is line-buffered (needs util-linux script)', async () => {
    const [ksim, glibc] = await Promise.all([runOnTerminal(builds.ksim('buffering')), runOnTerminal(builds.glibc('buffering'))]);
    expect(ksim).toBe(glibc);
    expect(ksim.startsWith('first line\r\n[write 1]\r\n')).toBe(true);
  });

  it('stdio buffering to a file shared with stderr: stderr is unbuffered', async () => {
    const r = await same('buffering', { output: 'file' });
    expect(r.stdout.indexOf('[stderr 1]')).toBeLessThan(r.stdout.indexOf('first line'));
  });

  it('fork, pipe, wait and waitpid, exit statuses, inherited stdio buffers', async () => {
    const r = await same('process');
    expect(r.status).toBe(3);
    expect(r.stdout.split('before fork, not flushed\n').length - 1).toBe(2);
    expect(r.stdout).toContain('signaled 1, signal 15 (Terminated)');
  });

  it('files: fopen modes, fseek/ftell, ungetc, getline, fdopen, stat, rename, remove', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'ksim-files-')), mkdtempSync(join(tmpdir(), 'ksim-files-'))];
    try {
      const [ksim, glibc] = await Promise.all([
        runProgram(builds.ksim('files'), { args: [dirs[0]!] }),
        runProgram(builds.glibc('files'), { args: [dirs[1]!] }),
      ]);
      expect(ksim).toEqual(glibc);
      expect(ksim.stdout).toContain('binary round trip 3000 ok 1');
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('dirent: opendir, readdir across buffer refills, rewinddir, closedir, errors', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'ksim-dirent-')), mkdtempSync(join(tmpdir(), 'ksim-dirent-'))];
    try {
      const [ksim, glibc] = await Promise.all([
        runProgram(builds.ksim('dirent'), { args: [dirs[0]!] }),
        runProgram(builds.glibc('dirent'), { args: [dirs[1]!] }),
      ]);
      expect(ksim).toEqual(glibc);
      expect(ksim.stdout).toContain('subdir type dir\nentries: 153\n');
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('execvp searches PATH; execv, execl, execle, execlp, execve; errors when nothing runs', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'ksim-exec-')), mkdtempSync(join(tmpdir(), 'ksim-exec-'))];
    try {
      const copies = dirs.map((d) => join(d, 'exec-test'));
      copyFileSync(builds.ksim('exec'), copies[0]!);
      copyFileSync(builds.glibc('exec'), copies[1]!);
      const [ksim, glibc] = await Promise.all(
        [0, 1].map((i) => runProgram(copies[i]!, { args: [dirs[i]!, copies[i]!] })),
      );
      expect(ksim).toEqual(glibc);
      expect(ksim.stdout).toContain('child via execvp: argv[0]=exec-child argc=3');
      expect(ksim.stdout).toContain('child via execle: argv[0]=exec-child argc=3 ONLY=this env entries one');
      expect(ksim.stdout).toContain('execvp missing: -1 No such file or directory');
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('getopt: clusters, arguments, permutation of operands, "--", +/-/: prefixes, glibc\'s messages', async () => {
    const r = await same('getopt');
    expect(r.stdout).toContain('optind 4, argv: prog -a -b -c x y z w\n');
    expect(r.stderr).toContain("prog: invalid option -- 'x'\n");
  });

  it('signals, atexit order, environment, calendar time, uname', async () => {
    const r = await same('misc');
    expect(r.stdout).toContain('SIGUSR2 handled: 12 signo 12 pid ok 1');
    expect(r.stdout).toContain('atexit: second registered, runs first\natexit: first registered, runs last\n');
    expect(r.stdout).toContain('strftime [2023-11-14 22:13:20 Tue Nov 318');
  });

  it('assert prints glibc\'s message and aborts with SIGABRT', async () => {
    const r = await same('assert', { argv0: './assert-test' });
    expect(r.signal).toBe('SIGABRT');
    expect(r.stderr).toMatch(/^assert-test: .*assert\.c:10: main: Assertion `x == 1' failed\.\n$/);
  });
});
