// FIFOs (named pipes) on the emulated Linux kernel: mkfifo/mknod make a node stat shows as S_IFIFO
// in tmpfs, opening it waits for the other side (O_NONBLOCK: the reader gets in, a writer with no
// reader fails with ENXIO), then it carries data between two processes like a pipe; mknod's error
// cases, the host-mounted directory refusing FIFOs (EPERM), a signal interrupting a waiting open,
// what strace shows, and `ls -l` printing type p.
import { describe, expect, it } from 'vitest';
import { runC } from '../helpers/machine.js';
import { bootArch, compileInto, run } from '../i386/harness.js';
import { MemoryFileSystem } from '../../src/host/memory-fs.js';
import { E } from '../../src/kernel/errno.js';
import { TestMachine } from './fs-syscalls-harness.js';
import { bootWithUserland, sh } from '../userland/helpers.js';

describe('FIFOs', () => {
  it('a FIFO between two processes: open waits for the partner, data flows, EOF when the writer closes', () => {
    const r = runC(`
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
static long ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000 + t.tv_nsec / 1000000; }
int main(void) {
  struct stat st;
  int fd, wfd, n, status;
  char buf[64];
  long t0;
  struct pollfd pf;
  umask(022);
  printf("mkfifo: %d\\n", mkfifo("/tmp/f", 0666));
  stat("/tmp/f", &st);
  printf("fifo=%d mode=%o size=%ld\\n", S_ISFIFO(st.st_mode), st.st_mode & 07777, (long)st.st_size);
  printf("again: %d errno=%d\\n", mkfifo("/tmp/f", 0666), errno);
  errno = 0;
  printf("nonblock writer: %d errno=%d\\n", open("/tmp/f", O_WRONLY | O_NONBLOCK), errno);
  fd = open("/tmp/f", O_RDONLY | O_NONBLOCK);
  printf("nonblock reader: %d read=%d\\n", fd >= 0, (int)read(fd, buf, sizeof buf));
  pf.fd = fd; pf.events = POLLIN;
  printf("poll, no writer yet: %d revents=%#x\\n", poll(&pf, 1, 0), pf.revents);
  wfd = open("/tmp/f", O_WRONLY);
  close(wfd);
  printf("poll, writer gone: %d revents=%#x\\n", poll(&pf, 1, 0), pf.revents);
  close(fd);
  t0 = ms();
  if (fork() == 0) {
    usleep(200000);
    fd = open("/tmp/f", O_WRONLY);
    write(fd, "through the fifo\\n", 17);
    usleep(100000);
    write(fd, "second\\n", 7);
    close(fd);
    _exit(0);
  }
  fd = open("/tmp/f", O_RDONLY);
  printf("reader opened after %ldms\\n", ms() - t0);
  fstat(fd, &st);
  printf("fstat fifo=%d\\n", S_ISFIFO(st.st_mode));
  while ((n = read(fd, buf, sizeof buf)) > 0) printf("got %d: %.*s", n, n, buf);
  printf("eof %d after %ldms\\n", n, ms() - t0);
  close(fd);
  wait(&status);
  fflush(stdout);
  if (fork() == 0) {
    usleep(150000);
    fd = open("/tmp/f", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("child read %d: %.*s", n, n, buf);
    fflush(stdout);
    _exit(0);
  }
  t0 = ms();
  fd = open("/tmp/f", O_WRONLY);
  printf("writer opened after %ldms\\n", ms() - t0);
  write(fd, "back\\n", 5);
  close(fd);
  wait(&status);
  fd = open("/tmp/f", O_RDWR);
  write(fd, "rw", 2);
  printf("rdwr read %d\\n", (int)read(fd, buf, 2));
  close(fd);
  printf("unlink: %d\\n", unlink("/tmp/f"));
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe([
      'mkfifo: 0',
      'fifo=1 mode=644 size=0',
      'again: -1 errno=17',
      'nonblock writer: -1 errno=6',
      'nonblock reader: 1 read=0',
      'poll, no writer yet: 0 revents=0',
      'poll, writer gone: 1 revents=0x10',
      'reader opened after 200ms',
      'fstat fifo=1',
      'got 17: through the fifo',
      'got 7: second',
      'eof 0 after 300ms',
      'child read 5: back', // the parent's stdout is a buffer flushed at its exit
      'writer opened after 150ms',
      'rdwr read 2',
      'unlink: 0',
      '',
    ].join('\n'));
  });

  it('mknod: S_IFIFO and regular files; S_IFDIR is EPERM, an unknown type EINVAL, devices need root', () => {
    const r = runC(`
#include <stdio.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
static void t(const char *what, int rc) { printf("%s: %d errno=%d\\n", what, rc, rc < 0 ? errno : 0); }
int main(void) {
  struct stat st;
  t("fifo", mknod("/tmp/p", S_IFIFO | 0600, 0));
  stat("/tmp/p", &st);
  printf("p: fifo=%d mode=%o\\n", S_ISFIFO(st.st_mode), st.st_mode & 07777);
  t("regular", mknod("/tmp/r", 0644, 0));
  stat("/tmp/r", &st);
  printf("r: reg=%d\\n", S_ISREG(st.st_mode));
  t("dir", mknod("/tmp/d", S_IFDIR | 0755, 0));
  t("bad type", mknod("/tmp/x", 0170000 | 0644, 0));
  t("exists", mknod("/tmp/p", S_IFIFO | 0600, 0));
  t("no dir", mknod("/nonexistent/p", S_IFIFO | 0600, 0));
  setuid(1000);
  t("chr as user", mknod("/tmp/c", S_IFCHR | 0600, 0x103));
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe([
      'fifo: 0 errno=0',
      'p: fifo=1 mode=600',
      'regular: 0 errno=0',
      'r: reg=1',
      'dir: -1 errno=1',
      'bad type: -1 errno=22',
      'exists: -1 errno=17',
      'no dir: -1 errno=2',
      'chr as user: -1 errno=1',
      '',
    ].join('\n'));
  });

  it('the host-mounted directory has no FIFOs: mknod S_IFIFO there is EPERM, regular files work', () => {
    const host = new MemoryFileSystem();
    host.mkdir('/w', true);
    const m = new TestMachine({ hostFs: host, mounts: [{ at: '/w', hostDir: '/w', readOnly: false }] });
    const p = m.task(1, 0, '/w');
    expect(p.call('mknod', p.str('/w/fifo'), 0o010644, 0)).toBe(-E.PERM);
    expect(p.call('mknodat', -100, p.str('/w/plain'), 0o100644, 0)).toBe(0);
    expect(host.readFile('/w/plain').length).toBe(0);
    expect(p.call('mknod', p.str('/tmp/fifo'), 0o010644, 0)).toBe(0);
  });

  it('strace shows mknodat as strace does and a FIFO open that waited', () => {
    const b = bootArch('x86_64');
    compileInto(b, '/bin/prog', `
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
int main(void) {
  int fd, st;
  char c;
  mkfifo("/tmp/f", 0640);
  mknod("/tmp/null2", S_IFCHR | 0666, 0x103);
  if (fork() == 0) {
    usleep(1000);
    fd = open("/tmp/f", O_WRONLY);
    write(fd, "z", 1);
    _exit(0);
  }
  fd = open("/tmp/f", O_RDONLY);
  read(fd, &c, 1);
  wait(&st);
  return 0;
}
`);
    const r = run(b, ['/bin/prog'], { trace: true, straceArgs: ['-e', 'trace=mknodat,openat,read,write', '-e', 'signal=none'] });
    const lines = r.strace.split('\n').filter((l) => !/\.so|ld\.so|^\+\+\+/.test(l));
    expect(lines.filter((l) => /mknodat|\/tmp\/f|read\(3|write\(3/.test(l))).toEqual([
      'mknodat(AT_FDCWD, "/tmp/f", S_IFIFO|0640) = 0',
      'mknodat(AT_FDCWD, "/tmp/null2", S_IFCHR|0666, makedev(0x1, 0x3)) = 0',
      'openat(AT_FDCWD, "/tmp/f", O_RDONLY)    = 3',
      'read(3, "z", 1)                         = 1',
    ]);
  });

  it('a signal interrupts an open waiting for its partner: EINTR, and the opener no longer counts as a reader', () => {
    const r = runC(`
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
static void on_alrm(int s) { (void)s; }
int main(void) {
  struct sigaction sa;
  int fd;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alrm;
  sigaction(SIGALRM, &sa, 0);
  mkfifo("/tmp/f", 0600);
  alarm(1);
  fd = open("/tmp/f", O_RDONLY);
  printf("open: %d errno=%d\\n", fd, errno);
  errno = 0;
  fd = open("/tmp/f", O_WRONLY | O_NONBLOCK);
  printf("writer after: %d errno=%d\\n", fd, errno);
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe('open: -1 errno=4\nwriter after: -1 errno=6\n');
  });

  it('ls -l in the userland shows a FIFO with type p', () => {
    const b = bootWithUserland(['sh', 'ls']);
    b.machine.vfs.mknod(undefined, '/tmp/fifo', 0o010644, 0);
    const r = sh(b, 'ls -l /tmp/fifo');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^prw-r--r-- 1 0 0 +0 \w{3} [ \d]\d \d\d:\d\d \/tmp\/fifo\n$/);
  });

  it('a reader killed while its open waits for a writer no longer counts: a writer then gets ENXIO', () => {
    const r = runC(`
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
int main(void) {
  int pid, st, fd;
  mkfifo("/tmp/f", 0600);
  pid = fork();
  if (pid == 0) {
    open("/tmp/f", O_RDONLY);
    _exit(1);
  }
  usleep(100000);
  kill(pid, SIGKILL);
  waitpid(pid, &st, 0);
  printf("reader killed: %d\\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
  errno = 0;
  fd = open("/tmp/f", O_WRONLY | O_NONBLOCK);
  printf("writer after: %d errno=%d\\n", fd, errno);
  return 0;
}
`);
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(r.stdout).toBe('reader killed: 9\nwriter after: -1 errno=6\n');
  });
});
