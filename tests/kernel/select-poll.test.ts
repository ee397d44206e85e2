// poll, ppoll, select and pselect6 in C programs on the emulated Linux kernel: readiness of pipes,
// regular files and devices, timeouts on the kernel clock (select writes the time left back),
// wake-ups when a watched pipe gets data or loses its writer, EINTR from a signal, ppoll's mask,
// the error cases, and what strace shows.
import { describe, expect, it } from 'vitest';
import { runC } from '../helpers/machine.js';
import { bootArch, compileInto, run } from '../i386/harness.js';
import { pipeOf } from '../../src/kernel/pipe.js';
import { TestMachine } from './fs-syscalls-harness.js';

describe('poll and ppoll', () => {
  it('a parent polls a pipe its child writes to: timeouts, data, hang-up, and the error cases', () => {
    const r = runC(`
#include <stdio.h>
#include <poll.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/wait.h>
static long ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000 + t.tv_nsec / 1000000; }
int main(void) {
  int p[2], st, n;
  char buf[16];
  long t0;
  struct pollfd f[3];
  pipe(p);
  if (fork() == 0) {
    close(p[0]);
    usleep(300000);
    write(p[1], "hi", 2);
    usleep(300000);
    _exit(0);
  }
  close(p[1]);
  f[0].fd = p[0]; f[0].events = POLLIN;
  t0 = ms();
  n = poll(f, 1, 100);
  printf("timeout: %d revents=%#x after %ldms\\n", n, f[0].revents, ms() - t0);
  n = poll(f, 1, 5000);
  printf("data: %d revents=%#x after %ldms\\n", n, f[0].revents, ms() - t0);
  printf("read %d\\n", (int)read(p[0], buf, sizeof buf));
  n = poll(f, 1, -1);
  printf("hangup: %d revents=%#x after %ldms\\n", n, f[0].revents, ms() - t0);
  wait(&st);
  f[0].fd = 99; f[0].events = POLLIN;
  f[1].fd = -1; f[1].events = POLLIN;
  f[2].fd = open("/dev/null", O_RDWR); f[2].events = POLLIN | POLLOUT;
  n = poll(f, 3, 0);
  printf("nval: %d revents=%#x %#x %#x\\n", n, f[0].revents, f[1].revents, f[2].revents);
  errno = 0;
  printf("efault: %d errno=%d\\n", poll((struct pollfd *)8, 1, 0), errno);
  printf("einval: %d errno=%d\\n", poll(f, 100000, 0), errno);
  pipe(p);
  close(p[0]);
  f[0].fd = p[1]; f[0].events = POLLOUT;
  printf("no reader: %d revents=%#x\\n", poll(f, 1, 0), f[0].revents);
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe([
      'timeout: 0 revents=0 after 100ms',
      'data: 1 revents=0x1 after 300ms',
      'read 2',
      'hangup: 1 revents=0x10 after 600ms',
      'nval: 2 revents=0x20 0 0x5',
      'efault: -1 errno=14',
      'einval: -1 errno=22',
      'no reader: 1 revents=0xc',
      '',
    ].join('\n'));
  });

  it('ppoll: a signal its mask unblocks interrupts it (EINTR), the caller mask is back after the handler', () => {
    const r = runC(`
#include <stdio.h>
#include <poll.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
static volatile int got;
static void on_usr1(int s) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, 0, &cur);
  got = s;
  printf("handler: SIGUSR1 blocked=%d\\n", sigismember(&cur, SIGUSR1));
}
int main(void) {
  int p[2], n;
  sigset_t block, none, cur;
  struct pollfd f;
  struct timespec ts = { 5, 0 };
  pipe(p);
  signal(SIGUSR1, on_usr1);
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, 0);
  kill(getpid(), SIGUSR1);
  printf("pending, blocked: got=%d\\n", got);
  sigemptyset(&none);
  f.fd = p[0]; f.events = POLLIN;
  n = ppoll(&f, 1, &ts, &none);
  printf("ppoll: %d errno=%d got=%d\\n", n, errno, got);
  sigprocmask(SIG_BLOCK, 0, &cur);
  printf("after: SIGUSR1 blocked=%d\\n", sigismember(&cur, SIGUSR1));
  got = 0;
  kill(getpid(), SIGUSR1);
  ts.tv_sec = 0; ts.tv_nsec = 0;
  n = ppoll(&f, 1, &ts, &none);
  printf("zero timeout, pending: %d errno=%d got=%d\\n", n, errno, got);
  ts.tv_sec = 0; ts.tv_nsec = 200000000;
  n = ppoll(&f, 1, &ts, 0);
  printf("timeout: %d\\n", n);
  ts.tv_nsec = 1000000000;
  errno = 0;
  printf("bad timespec: %d errno=%d\\n", ppoll(&f, 1, &ts, 0), errno);
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe([
      'pending, blocked: got=0',
      'handler: SIGUSR1 blocked=1',
      'ppoll: -1 errno=4 got=10',
      'after: SIGUSR1 blocked=1',
      'handler: SIGUSR1 blocked=1',
      'zero timeout, pending: -1 errno=4 got=10',
      'timeout: 0',
      'bad timespec: -1 errno=22',
      '',
    ].join('\n'));
  });
});

describe('select', () => {
  it('select on two pipes: the ready one, the time left written back, EBADF, EINVAL, and EINTR', () => {
    const r = runC(`
#include <stdio.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
static void on_alrm(int s) { (void)s; }
static void show(const char *what, int n, fd_set *s, int a, int b, struct timeval *tv) {
  printf("%s: %d [%s%s] left %ldms\\n", what, n, FD_ISSET(a, s) ? "a" : "", FD_ISSET(b, s) ? "b" : "",
         (long)(tv->tv_sec * 1000 + (tv->tv_usec + 500) / 1000));
}
int main(void) {
  int a[2], b[2], n, st;
  fd_set rd, wr;
  struct timeval tv;
  pipe(a);
  pipe(b);
  if (fork() == 0) {
    usleep(250000);
    write(b[1], "x", 1);
    _exit(0);
  }
  FD_ZERO(&rd); FD_SET(a[0], &rd); FD_SET(b[0], &rd);
  tv.tv_sec = 2; tv.tv_usec = 0;
  n = select(b[0] + 1, &rd, 0, 0, &tv);
  show("child wrote b", n, &rd, a[0], b[0], &tv);
  wait(&st);
  FD_ZERO(&rd); FD_SET(a[0], &rd);
  tv.tv_sec = 0; tv.tv_usec = 1500000;
  n = select(a[0] + 1, &rd, 0, 0, &tv);
  show("timeout", n, &rd, a[0], b[0], &tv);
  FD_ZERO(&rd); FD_SET(a[0], &rd); FD_SET(b[0], &rd);
  FD_ZERO(&wr); FD_SET(a[1], &wr);
  n = select(FD_SETSIZE, &rd, &wr, 0, 0);
  printf("ready: %d rd=[%d%d] wr=[%d]\\n", n, FD_ISSET(a[0], &rd), FD_ISSET(b[0], &rd), FD_ISSET(a[1], &wr));
  FD_ZERO(&rd); FD_SET(40, &rd);
  printf("ebadf: %d errno=%d\\n", select(41, &rd, 0, 0, 0), errno);
  tv.tv_sec = -1;
  printf("einval: %d errno=%d\\n", select(1, 0, 0, 0, &tv), errno);
  signal(SIGALRM, on_alrm);
  alarm(1);
  FD_ZERO(&rd); FD_SET(a[0], &rd);
  tv.tv_sec = 3; tv.tv_usec = 0;
  n = select(a[0] + 1, &rd, 0, 0, &tv);
  printf("eintr: %d errno=%d left %ldms\\n", n, errno, (long)(tv.tv_sec * 1000 + (tv.tv_usec + 500) / 1000));
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe([
      'child wrote b: 1 [b] left 1750ms',
      'timeout: 0 [] left 0ms',
      'ready: 2 rd=[01] wr=[1]',
      'ebadf: -1 errno=9',
      'einval: -1 errno=22',
      'eintr: -1 errno=4 left 2000ms',
      '',
    ].join('\n'));
  });
});

describe('strace of poll, select, ppoll and pselect6', () => {
  it('prints the asked events and fd sets at entry, the answer after the result, as strace does', () => {
    const b = bootArch('x86_64');
    compileInto(b, '/bin/prog', `
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/select.h>
int main(void) {
  int p[2], q[2];
  struct pollfd f[2];
  fd_set rd;
  struct timeval tv = { 2, 0 };
  struct timespec ts = { 1, 0 };
  sigset_t none;
  pipe(p); pipe(q);
  write(q[1], "x", 1);
  f[0].fd = p[0]; f[0].events = POLLIN; f[1].fd = q[0]; f[1].events = POLLIN | POLLOUT;
  poll(f, 2, 1000);
  poll(f, 1, 100);
  FD_ZERO(&rd); FD_SET(p[0], &rd); FD_SET(q[0], &rd);
  select(q[0] + 1, &rd, 0, 0, &tv);
  FD_ZERO(&rd); FD_SET(p[0], &rd);
  tv.tv_sec = 0; tv.tv_usec = 1500;
  select(p[0] + 1, &rd, 0, 0, &tv);
  sigemptyset(&none);
  ppoll(f, 2, &ts, &none);
  ppoll(f, 1, &ts, 0);
  FD_ZERO(&rd); FD_SET(p[0], &rd);
  pselect(p[0] + 1, &rd, 0, 0, &ts, &none);
  poll((struct pollfd *)8, 1, 0);
  return 0;
}
`);
    const r = run(b, ['/bin/prog'], { trace: true, straceArgs: ['-e', 'trace=poll,ppoll,select,pselect6'] });
    expect(r.strace).toBe([
      'poll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN|POLLOUT}], 2, 1000) = 1 ([{fd=5, revents=POLLIN}])',
      'poll([{fd=3, events=POLLIN}], 1, 100)   = 0 (Timeout)',
      'select(6, [3 5], NULL, NULL, {tv_sec=2, tv_usec=0}) = 1 (in [5], left {tv_sec=2, tv_usec=0})',
      'select(4, [3], NULL, NULL, {tv_sec=0, tv_usec=1500}) = 0 (Timeout)',
      'ppoll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN|POLLOUT}], 2, {tv_sec=1, tv_nsec=0}, [], 8) = 1 ([{fd=5, revents=POLLIN}], left {tv_sec=1, tv_nsec=0})',
      'ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 0 (Timeout)',
      'pselect6(4, [3], NULL, NULL, {tv_sec=1, tv_nsec=0}, {sigmask=[], sigsetsize=8}) = 0 (Timeout)',
      'poll(0x8, 1, 0)                         = -1 EFAULT (Bad address)',
      '+++ exited with 0 +++',
      '',
    ].join('\n'));
  });
});

describe('on i386', () => {
  it('poll and select (_newselect, 32-bit longs and timevals) work and strace shows them', () => {
    const b = bootArch('i386');
    compileInto(b, '/bin/prog', `
#include <stdio.h>
#include <poll.h>
#include <unistd.h>
#include <sys/select.h>
int main(void) {
  int p[2], n;
  struct pollfd f;
  fd_set rd;
  struct timeval tv = { 0, 250000 };
  pipe(p);
  f.fd = p[0]; f.events = POLLIN;
  n = poll(&f, 1, 10);
  printf("poll %d\\n", n);
  FD_ZERO(&rd); FD_SET(p[0], &rd);
  n = select(p[0] + 1, &rd, 0, 0, &tv);
  printf("select %d left %ld.%06ld\\n", n, (long)tv.tv_sec, (long)tv.tv_usec);
  write(p[1], "x", 1);
  FD_ZERO(&rd); FD_SET(p[0], &rd);
  tv.tv_sec = 1; tv.tv_usec = 250000;
  n = select(p[0] + 1, &rd, 0, 0, &tv);
  printf("select %d isset=%d left %ld.%06ld\\n", n, FD_ISSET(p[0], &rd), (long)tv.tv_sec, (long)tv.tv_usec);
  return 0;
}
`);
    const r = run(b, ['/bin/prog'], { trace: true, straceArgs: ['-e', 'trace=poll,_newselect'] });
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe('poll 0\nselect 0 left 0.000000\nselect 1 isset=1 left 1.250000\n');
    expect(r.strace).toBe([
      'poll([{fd=3, events=POLLIN}], 1, 10)    = 0 (Timeout)',
      '_newselect(4, [3], NULL, NULL, {tv_sec=0, tv_usec=250000}) = 0 (Timeout)',
      '_newselect(4, [3], NULL, NULL, {tv_sec=1, tv_usec=250000}) = 1 (in [3], left {tv_sec=1, tv_usec=250000})',
      '+++ exited with 0 +++',
      '',
    ].join('\n'));
  });

  it('ppoll and pselect6 (the time32 calls) with a mask and a timeout', () => {
    const b = bootArch('i386');
    compileInto(b, '/bin/prog', `
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/select.h>
int main(void) {
  int p[2], n;
  struct pollfd f;
  fd_set rd;
  struct timespec ts = { 0, 250000000 };
  sigset_t none;
  sigemptyset(&none);
  pipe(p);
  f.fd = p[0]; f.events = POLLIN;
  n = ppoll(&f, 1, &ts, &none);
  printf("ppoll %d\\n", n);
  write(p[1], "x", 1);
  FD_ZERO(&rd); FD_SET(p[0], &rd);
  n = pselect(p[0] + 1, &rd, 0, 0, &ts, &none);
  printf("pselect %d isset=%d\\n", n, FD_ISSET(p[0], &rd));
  return 0;
}
`);
    const r = run(b, ['/bin/prog'], { trace: true, straceArgs: ['-e', 'trace=ppoll,pselect6'] });
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe('ppoll 0\npselect 1 isset=1\n');
    expect(r.strace).toBe([
      'ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=0, tv_nsec=250000000}, [], 8) = 0 (Timeout)',
      'pselect6(4, [3], NULL, NULL, {tv_sec=0, tv_nsec=250000000}, {sigmask=[], sigsetsize=8}) = 1 (in [3], left {tv_sec=0, tv_nsec=250000000})',
      '+++ exited with 0 +++',
      '',
    ].join('\n'));
  });
});

describe('the wait queues a poll sleeps on', () => {
  it('are left clean when the poll times out: nothing accumulates on an idle pipe', () => {
    const m = new TestMachine();
    const p = m.task(100, 0, '/tmp');
    const fds = p.alloc(8);
    p.call('pipe', fds);
    const pipe = pipeOf(p.t.fds.get(p.i32(fds))!)!;
    const pfd = p.bytes(Uint8Array.from([...new Uint8Array(new Int32Array([p.i32(fds)]).buffer), 1, 0, 0, 0]));
    expect(p.call('poll', pfd, 1, 50)).toBe('BLOCK');
    expect(pipe.readWait.size).toBe(1);
    m.nowNs = 50e6;
    expect(p.call('poll', pfd, 1, 50)).toBe(0);
    expect(pipe.readWait.size).toBe(0);
  });
});
