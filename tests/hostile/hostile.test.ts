// Hostile programs (tests/hostile/programs/*.c): each ends the way Linux would end it, with the
// limit or error named. The infinite loop, fork bomb and NULL dereference are in
// tests/kernel/programs.test.ts; mount escapes in tests/kernel/vfs*.test.ts.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { boot, compileInto, makeMachine, runC } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const program = (name: string) => readFileSync(new URL(`./programs/${name}.c`, import.meta.url), 'utf8');

describe('hostile programs', () => {
  test('huge ranges with bad pointers fail at once (munmap EINVAL, mprotect ENOMEM, getrandom EFAULT)', () => {
    const start = performance.now();
    const r = runC(program('huge-ranges'));
    expect(r.stdout).toBe(
      'munmap huge: -1 Invalid argument\nmprotect huge: -1 Cannot allocate memory\n' +
        'getrandom kernel address: -1 Bad address\ngetrandom unmapped: -1 Bad address\n',
    );
    expect(r.status).toBe(0);
    // Before the fix, munmap and mprotect walked 2^53 bytes page by page and never returned.
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  test('a malloc bomb gets NULL at the memory limit and carries on', () => {
    const b = boot(makeMachine(), undefined, '', { memPages: (32 * 1024 * 1024) / 4096 });
    compileInto(b, '/bin/prog', program('memory-bomb'));
    const r = runProgram(b.machine, ['/bin/prog']);
    expect(b.console.stdoutText()).toMatch(/^malloc failed after (2\d|3[01]) MiB\n$/);
    expect(r.status).toBe(0);
  });

  test('mmap and sbrk of a terabyte fail with ENOMEM and leave the break alone', () => {
    const r = runC(program('mmap-bomb'));
    expect(r.stdout).toBe('mmap 1 TiB: Cannot allocate memory\nsbrk 1 TiB: Cannot allocate memory\nbreak unchanged: 1\n');
    expect(r.status).toBe(0);
  });

  test('unbounded recursion dies of SIGSEGV on the stack guard', () => {
    const r = runC(program('stack-overflow'));
    expect(r.stdout).toBe('recursing\n');
    expect(r.signo).toBe(11);
    expect(r.status).toBe(139);
    expect(r.coreDumped).toBe(true);
  });

  test('writing to a string literal dies of SIGSEGV', () => {
    const r = runC(program('write-rodata'));
    expect(r.signo).toBe(11);
    expect(r.status).toBe(139);
  });

  test('kernel addresses: EFAULT from syscalls, SIGSEGV from a load', () => {
    const r = runC(program('kernel-address'));
    expect(r.stdout).toBe('write from kernel address: -1 Bad address\nread into kernel address: -1 Bad address\n');
    expect(r.signo).toBe(11);
    const direct = runC(program('kernel-address'), ['direct']);
    expect(direct.signo).toBe(11);
  });

  test('huge write sizes: EFAULT, no crash, nothing written', () => {
    const r = runC(program('huge-write'));
    expect(r.stdout).toBe('write 1 TiB: -1 Bad address\nwrite NULL: -1 Bad address\nwrite SIZE_MAX: -1 Bad address\n');
    expect(r.status).toBe(0);
    expect(r.booted.machine.vfs.lookup(undefined, '/tmp/out', true)).toBeDefined();
  });

  test("descriptors it doesn't own, pids that don't exist, paths above /", () => {
    const r = runC(program('fd-abuse'));
    expect(r.stdout).toBe(
      [
        'close(77): -1 Bad file descriptor',
        'close(-1): -1 Bad file descriptor',
        'dup2(77, 5): -1 Bad file descriptor',
        'dup2(1, -1): -1 Bad file descriptor',
        'dup2(1, 100000): -1 Bad file descriptor',
        'write(1023): -1 Bad file descriptor',
        'kill(99999, SIGKILL): -1 No such process',
        'kill(-99999, SIGTERM): -1 No such process',
        'kill(getpid(), 65): -1 Invalid argument',
        // /../../.. is / inside the machine, which has no /etc/passwd: the host's is out of reach.
        '../../../../etc/passwd: fd -1, unreadable',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
  });

  test('no network: socket and connect are ENOSYS', () => {
    const r = runC(program('network'));
    expect(r.stdout).toBe('socket: -1 Function not implemented\nconnect: -1 Function not implemented\n');
  });

  test('SIGKILL ends a stopped process, and its parent reaps it', () => {
    const r = runC(program('kill-stopped'));
    expect(r.notices).toEqual([]);
    expect(r.stdout).toBe('reaped 1: signaled 1, signal 9\n');
    expect(r.status).toBe(0);
  });

  test('huge files and file mappings: ENOSPC and ENOMEM at once (found by the fuzzer)', () => {
    const start = performance.now();
    const r = runC(program('big-files'));
    expect(r.stdout).toBe('pwrite at 128 TiB into an unlinked file: -1 No space left on device\nmmap 128 TiB of /dev/zero: Cannot allocate memory\n');
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});
