// Pipes through the syscall handlers: blocking reads and writes with wakeups, EOF when the writers
// are gone, EPIPE with SIGPIPE when the readers are, O_NONBLOCK, partial and atomic writes.
import { describe, expect, it } from 'vitest';
import { E } from '../../src/kernel/errno.js';
import { O_CLOEXEC, O_NONBLOCK } from '../../src/kernel/vfs/constants.js';
import { PIPE_CAPACITY } from '../../src/kernel/pipe.js';
import { TestMachine, type TestTask } from './fs-syscalls-harness.js';

const F_GETFD = 1;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETPIPE_SZ = 1032;

function pipePair(p: TestTask, flags = 0): [number, number] {
  const fds = p.alloc(8);
  expect(p.call('pipe2', fds, flags)).toBe(0);
  return [p.i32(fds), p.i32(fds + 4)];
}

/** A second process sharing the first one's descriptors (as after fork). */
function forked(m: TestMachine, parent: TestTask, pid: number): TestTask {
  const c = m.task(pid, 0, '/');
  c.t.fds = parent.t.fds.clone();
  return c;
}

describe('pipes', () => {
  it('carries bytes in order and reports pipe:[ino] paths', () => {
    const m = new TestMachine();
    const p = m.task();
    const [r, w] = pipePair(p);
    expect([r, w]).toEqual([0, 1]);
    expect(p.writeStr(w, 'abc')).toBe(3);
    expect(p.writeStr(w, 'def')).toBe(3);
    expect(p.readStr(r, 4)).toBe('abcd');
    expect(p.readStr(r, 10)).toBe('ef');
    expect(p.t.fds.get(r)!.path).toMatch(/^pipe:\[\d+\]$/);
    expect(p.call('fcntl', w, F_GETPIPE_SZ, 0)).toBe(PIPE_CAPACITY);
    expect(p.writeStr(r, 'x')).toBe(-E.BADF);
    expect(p.readStr(w, 1)).toBe(-E.BADF);
  });

  it('a read of an empty pipe sleeps and is woken by a write; the rerun gets the data', () => {
    const m = new TestMachine();
    const reader = m.task(10);
    const [r, w] = pipePair(reader);
    const writer = forked(m, reader, 11);
    expect(reader.readStr(r, 100)).toBe('BLOCK');
    expect(reader.t.state).toBe('sleeping');
    expect(reader.t.wmesg).toBe('pipe_read');
    expect(writer.writeStr(w, 'wake up')).toBe(7);
    expect(reader.t.state).toBe('runnable');
    expect(reader.readStr(r, 100)).toBe('wake up');
  });

  it('returns EOF once every write end is closed, and wakes a sleeping reader for it', () => {
    const m = new TestMachine();
    const reader = m.task(10);
    const [r, w] = pipePair(reader);
    const writer = forked(m, reader, 11);
    expect(reader.call('close', w)).toBe(0); // the writer's copy still holds the write end
    expect(reader.readStr(r, 10)).toBe('BLOCK');
    writer.writeStr(w, 'last');
    expect(reader.readStr(r, 10)).toBe('last');
    expect(reader.readStr(r, 10)).toBe('BLOCK');
    expect(writer.call('close', w)).toBe(0);
    expect(reader.t.state).toBe('runnable');
    expect(reader.readStr(r, 10)).toBe('');
  });

  it('writing with no reader fails with EPIPE and raises SIGPIPE', () => {
    const m = new TestMachine();
    const p = m.task(20);
    const [r, w] = pipePair(p);
    p.call('close', r);
    expect(p.writeStr(w, 'nobody')).toBe(-E.PIPE);
    expect(m.signals).toEqual([{ pid: 20, signo: 13 }]);
  });

  it('O_NONBLOCK turns sleeps into EAGAIN, and F_SETFL can set it later', () => {
    const m = new TestMachine();
    const p = m.task();
    const [r, w] = pipePair(p, O_NONBLOCK);
    expect(p.call('fcntl', r, F_GETFL, 0)).toBe(0o100000 | O_NONBLOCK);
    expect(p.readStr(r, 10)).toBe(-E.AGAIN);
    const big = new Uint8Array(PIPE_CAPACITY);
    expect(p.call('write', w, p.bytes(big), big.length)).toBe(PIPE_CAPACITY);
    expect(p.writeStr(w, 'x')).toBe(-E.AGAIN);
    const [r2] = pipePair(p);
    p.call('fcntl', r2, F_SETFL, O_NONBLOCK);
    expect(p.readStr(r2, 1)).toBe(-E.AGAIN);
  });

  it('a write to a full pipe sleeps; a large write completes partly; small writes are atomic', () => {
    const m = new TestMachine();
    const p = m.task(30);
    const [r, w] = pipePair(p);
    const q = forked(m, p, 31);
    const chunk = p.bytes(new Uint8Array(PIPE_CAPACITY - 100).fill(65));
    expect(p.call('write', w, chunk, PIPE_CAPACITY - 100)).toBe(PIPE_CAPACITY - 100);
    // 200 bytes <= PIPE_BUF do not fit in the 100 left: the writer sleeps rather than split them.
    const small = p.bytes(new Uint8Array(200).fill(66));
    expect(p.call('write', w, small, 200)).toBe('BLOCK');
    expect(p.t.wmesg).toBe('pipe_write');
    // A reader draining some wakes the writer.
    expect((q.readStr(r, 300) as string).length).toBe(300);
    expect(p.t.state).toBe('runnable');
    expect(p.call('write', w, small, 200)).toBe(200);
    // A write larger than PIPE_BUF takes what fits and returns the count.
    const large = p.bytes(new Uint8Array(5000).fill(67));
    expect(p.call('write', w, large, 5000)).toBe(200); // 65436 - 300 + 200 buffered: 200 free
    expect(p.call('write', w, large, 5000)).toBe('BLOCK');
  });

  it('pipe2 with O_CLOEXEC marks both descriptors; bad flags and pointers fail', () => {
    const m = new TestMachine();
    const p = m.task();
    const [r, w] = pipePair(p, O_CLOEXEC);
    expect(p.call('fcntl', r, F_GETFD, 0)).toBe(1);
    expect(p.call('fcntl', w, F_GETFD, 0)).toBe(1);
    expect(p.call('pipe2', p.alloc(8), 0x1)).toBe(-E.INVAL);
    expect(p.call('pipe', 0)).toBe(-E.FAULT);
    // The failed pipe left no descriptors behind.
    expect([...p.t.fds.slots.keys()]).toEqual([r, w]);
  });

  it('fstat shows a FIFO; FIONREAD counts buffered bytes', () => {
    const m = new TestMachine();
    const p = m.task();
    const [r, w] = pipePair(p);
    p.writeStr(w, '12345');
    const st = p.alloc(144);
    expect(p.call('fstat', r, st)).toBe(0);
    expect(p.t.mm.u32(st + 24) & 0o170000).toBe(0o010000);
    const n = p.alloc(4);
    expect(p.call('ioctl', r, 0x541b, n)).toBe(0);
    expect(p.i32(n)).toBe(5);
    expect(p.call('ioctl', r, 0x5401, n)).toBe(-E.NOTTY);
  });
});
