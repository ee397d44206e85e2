// ksim/vitest's matchers and serializers on hand-made run results: what passes, what fails, and
// that failure messages quote the relevant calls or log lines rather than dumping the run.
import { describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/api/index.js';
import { dmesg, formatCall, formatRunForSnapshot } from '../../src/api/vitest.js';

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    status: 0, code: 0, coreDumped: false, pid: 1000, stdout: 'out\n', stderr: '', notices: [], warnings: [],
    log: [
      { seq: 0, tsUsec: 1_000_100, level: 6, facility: 0, flags: 2, text: 'stephen syscall called with "hi"', pid: 1000 },
      { seq: 1, tsUsec: 1_000_200, level: 3, facility: 0, flags: 2, text: 'something failed', pid: 1000 },
    ],
    dmesg: '[    1.000100] stephen syscall called with "hi"\n[    1.000200] something failed\n',
    calls: [
      { pid: 1000, name: 'execve', nr: 59, args: ['/tmp/test', 0x7ffc00000090, 0x7ffc000000a8], ret: 0, errno: 0 },
      { pid: 1000, name: 'stephen', nr: 329, args: ['hi'], ret: 0, errno: 0 },
      { pid: 1000, name: 'stephen', nr: 329, args: [0x7fffdead], ret: -14, errno: 14, errnoName: 'EFAULT' },
      { pid: 1000, name: 'exit_group', nr: 231, args: [0], errno: 0 },
    ],
    ...over,
  };
}

function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('toHaveExited / toHaveBeenKilledBy', () => {
  test('pass and fail with how the program ended', () => {
    expect(run()).toHaveExited();
    expect(run()).toHaveExited(0);
    const killed = run({ status: 139, code: undefined, signo: 11, signal: 'SIGSEGV', coreDumped: true, stderr: 'partial\n' });
    expect(killed).toHaveBeenKilledBy('SIGSEGV');
    expect(killed).toHaveBeenKilledBy('SEGV');
    expect(killed).toHaveBeenKilledBy(11);
    expect(failure(() => expect(killed).toHaveExited(0))).toBe('expected the program to exit with 0, but it was killed by SIGSEGV (core dumped) (status 139)\nstderr:\n  partial');
    expect(failure(() => expect(run()).toHaveBeenKilledBy('SIGKILL'))).toBe('expected the program to be killed by SIGKILL, but it exited with 0');
    expect(failure(() => expect(run()).not.toHaveExited())).toBe('expected the program not to exit, but it did');
  });
  test('a failed build shows its errors', () => {
    const r = run({ status: 1, code: undefined, error: { stage: 'build', diagnostics: [], text: 'kernel/x.c:3:10: error: boom\n' } });
    expect(failure(() => expect(r).toHaveExited(0))).toBe('expected the program to exit with 0, but it did not run: the build failed\nbuild errors:\n  kernel/x.c:3:10: error: boom');
  });
});

describe('toHaveLogged', () => {
  test('text, RegExp and level', () => {
    expect(run()).toHaveLogged('called with "hi"');
    expect(run()).toHaveLogged(/called with "h.*"/, { level: 'info' });
    expect(run()).toHaveLogged('failed', { level: 'KERN_ERR' });
    expect(run().log).toHaveLogged('failed', { level: 3 });
  });
  test('the message shows the text at other levels, or the log lines at that level', () => {
    expect(failure(() => expect(run()).toHaveLogged('called with', { level: 'err' }))).toBe(
      'expected the kernel log to have "called with" at level 3 (err); it has the text at other levels:\n  <6:info> stephen syscall called with "hi"',
    );
    expect(failure(() => expect(run()).toHaveLogged('nothing like this', { level: 'info' }))).toBe(
      'expected the kernel log to have "nothing like this" at level 6 (info); the log has 1 record at that level:\n  <6:info> stephen syscall called with "hi"',
    );
    expect(failure(() => expect(run({ log: [] })).toHaveLogged('x'))).toBe('expected the kernel log to have "x", but the log is empty; it exited with 0');
    expect(() => expect(run()).toHaveLogged('x', { level: 'loud' as never })).toThrow("unknown level 'loud'");
  });
});

describe('toHaveCalled', () => {
  test('by name, args, ret, errno and times', () => {
    expect(run()).toHaveCalled('stephen');
    expect(run()).toHaveCalled('stephen', { args: ['hi'], ret: 0 });
    expect(run()).toHaveCalled('stephen', { args: [/^h/] });
    expect(run()).toHaveCalled('stephen', { errno: 'EFAULT', ret: -14 });
    expect(run()).toHaveCalled('stephen', { errno: 14 });
    expect(run()).toHaveCalled('stephen', { args: [expect.any(Number)], errno: 'EFAULT' });
    expect(run()).toHaveCalled('stephen', { times: 2 });
    expect(run()).not.toHaveCalled('stephen', { args: ['bye'] });
  });
  test('the message lists the calls to that syscall only', () => {
    expect(failure(() => expect(run()).toHaveCalled('stephen', { args: ['bye'], ret: 0 }))).toBe(
      'expected a call to stephen with args ("bye"), ret 0; the calls to stephen were:\n  [pid 1000] stephen("hi") = 0\n  [pid 1000] stephen(0x7fffdead) = -1 EFAULT (14)',
    );
    expect(failure(() => expect(run()).toHaveCalled('open'))).toBe('expected a call to open, but the run never called open; it called: execve, stephen, exit_group (it exited with 0)');
    expect(failure(() => expect(run()).not.toHaveCalled('stephen', { errno: 'EFAULT' }))).toBe(
      'expected no call to stephen with errno EFAULT, but the run made 1:\n  [pid 1000] stephen(0x7fffdead) = -1 EFAULT (14)',
    );
    expect(failure(() => expect(run()).toHaveCalled('stephen', { times: 1 }))).toContain('expected a call to stephen exactly 1 time, but 2 matched');
  });
  test('formatCall', () => {
    expect(formatCall(run().calls[3]!)).toBe('[pid 1000] exit_group(0) = ?');
  });
});

describe('snapshot serializers', () => {
  test('dmesg text and log arrays print as dmesg does', () => {
    expect(dmesg(run())).toMatchInlineSnapshot(`
      [    1.000100] stephen syscall called with "hi"
      [    1.000200] something failed
    `);
    expect(run().log).toMatchInlineSnapshot(`
      [    1.000100] stephen syscall called with "hi"
      [    1.000200] something failed
    `);
  });
  test('a whole run prints as sections', () => {
    expect(formatRunForSnapshot(run({ strace: ['stephen("hi") = 0'] }))).toBe(
      'exited with 0\n--- stdout ---\nout\n--- dmesg ---\n[    1.000100] stephen syscall called with "hi"\n[    1.000200] something failed\n--- strace ---\nstephen("hi") = 0',
    );
  });
  test('matchers reject anything that is not a run', () => {
    expect(failure(() => expect(42).toHaveExited())).toBe('toHaveExited: expected the result of machine.run(...), got 42');
  });
});
