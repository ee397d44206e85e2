// C built for i386 (ILP32) by ksim's compiler and libc, run on an i386 machine through the
// kernel's i386 table: sizeof(long) is 4, printf goes out through write (4), the heap through brk
// (45) / mmap2 (192), stdio asks fstat64 (197), and the program ends with exit_group (252).
import { describe, expect, it } from 'vitest';
import { bootArch, compileInto, run } from './harness.js';

describe('C on an i386 machine', () => {
  it('has a 32-bit long and pointers and runs libc end to end', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/sizes', `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
int main(int argc, char **argv) {
  struct utsname u;
  char *big = malloc(200000);          /* a block of its own (mmap2) */
  char *small = malloc(32);            /* from the brk heap */
  if (!big || !small) return 2;
  memset(big, 'x', 200000);
  strcpy(small, argv[1]);
  if (uname(&u) != 0) return 3;
  printf("long=%d ptr=%d llong=%d\\n", (int)sizeof(long), (int)sizeof(void *), (int)sizeof(long long));
  printf("arg=%s pid>0=%d big[199999]=%c sys=%s rel=%s\\n", small, getpid() > 0, big[199999], u.sysname, u.release);
  printf("%ld %lu\\n", -2147483647L - 1, 4294967295UL);
  return 42;
}
`);
    const r = run(b, ['/work/sizes', 'hi'], { trace: true });
    expect(r.stdout).toBe('long=4 ptr=4 llong=8\narg=hi pid>0=1 big[199999]=x sys=Linux rel=2.6.32\n-2147483648 4294967295\n');
    expect(r.status).toBe(42);
    const names = r.strace.split('\n').map((l) => /^([a-z_0-9]+)\(/.exec(l)?.[1]).filter(Boolean);
    expect(names).toContain('mmap2');
    expect(names).toContain('fstat64');
    expect(names).toContain('write');
    expect(names[names.length - 1]).toBe('exit_group');
  });
});

describe('execve from an i386 program', () => {
  it('reads argv and envp as arrays of 4-byte pointers', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/echoargs', `
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  int i;
  for (i = 0; i < argc; i++) printf("argv[%d]=%s\\n", i, argv[i]);
  printf("GREETING=%s\\n", getenv("GREETING"));
  return argc;
}
`);
    compileInto(b, '/work/launch', `
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
  char *argv[] = { "echoargs", "one", "two words", 0 };
  char *envp[] = { "GREETING=hello", 0 };
  int status;
  pid_t pid = fork();
  if (pid == 0) { execve("/work/echoargs", argv, envp); perror("execve"); _exit(127); }
  waitpid(pid, &status, 0);
  printf("child exited %d\\n", WEXITSTATUS(status));
  return 0;
}
`);
    const r = run(b, ['/work/launch'], { trace: true, straceArgs: ['-f', '-e', 'trace=execve'] });
    expect(r.stdout).toBe('argv[0]=echoargs\nargv[1]=one\nargv[2]=two words\nGREETING=hello\nchild exited 3\n');
    expect(r.status).toBe(0);
    expect(r.strace).toMatch(/^\[pid   101\] execve\("\/work\/echoargs", \["echoargs", "one", "two words"\], 0x[0-9a-f]+ \/\* 1 var \*\/\) = 0$/m);
  });
});

describe('signals on i386', () => {
  it('runs a handler installed by the libc (rt_sigaction with the i386 struct sigaction) and decodes stat64', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/sig', `
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
static volatile int got;
static void h(int s) { got = s; }
int main(void) {
  struct stat st;
  signal(SIGUSR1, h);
  raise(SIGUSR1);
  if (stat("/work/sig", &st) != 0) return 1;
  printf("got=%d regular=%d\\n", got, S_ISREG(st.st_mode));
  return 0;
}
`);
    const r = run(b, ['/work/sig'], { trace: true, straceArgs: ['-e', 'trace=rt_sigaction,rt_sigreturn,stat64'] });
    expect(r.stdout).toBe('got=10 regular=1\n');
    expect(r.status).toBe(0);
    expect(r.strace.replace(/ +=/g, ' =').replace(/0x[0-9a-f]+/g, 'ADDR').replace(/st_size=\d+/, 'st_size=N')).toBe([
      'rt_sigaction(SIGUSR1, {sa_handler=ADDR, sa_mask=[USR1], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=ADDR}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0',
      '--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=100, si_uid=0} ---',
      'rt_sigreturn({mask=[]}) = 0',
      'stat64("/work/sig", {st_mode=S_IFREG|0755, st_size=N, ...}) = 0',
      '+++ exited with 0 +++',
      '',
    ].join('\n'));
  });

  it('has the old calls: signal(2) resets the handler on delivery, sigaction(2) and sigprocmask(2) use 32-bit masks', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/old', `
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
struct old_sigaction { void (*handler)(int); unsigned long mask; unsigned long flags; void (*restorer)(void); };
static volatile int hits;
static void h(int s) { hits += s; }
int main(void) {
  struct old_sigaction act = { h, 1UL << (SIGUSR1 - 1), 0, 0 }, old;
  unsigned long set = 1UL << (SIGUSR2 - 1), oset = 0;
  long prev = syscall(SYS_signal, SIGUSR2, h);
  syscall(SYS_kill, getpid(), SIGUSR2);          /* runs h, which resets SIGUSR2 to SIG_DFL */
  if (syscall(SYS_sigaction, SIGUSR2, 0, &old) != 0) return 1;
  printf("prev=%ld hits=%d after=%s\\n", prev, hits, old.handler == SIG_DFL ? "SIG_DFL" : "handler");
  if (syscall(SYS_sigaction, SIGUSR1, &act, 0) != 0) return 2;
  if (syscall(SYS_sigaction, SIGUSR1, 0, &old) != 0) return 3;
  printf("mask=%#lx same=%d\\n", old.mask, old.handler == h);
  syscall(SYS_sigprocmask, SIG_BLOCK, &set, 0);
  syscall(SYS_kill, getpid(), SIGUSR2);          /* blocked: stays pending */
  syscall(SYS_sigprocmask, SIG_BLOCK, 0, &oset);
  printf("blocked=%#lx\\n", oset);
  fflush(stdout);
  syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, 0); /* SIGUSR2 is delivered: default action */
  return 0;
}
`);
    const r = run(b, ['/work/old']);
    expect(r.stdout).toBe('prev=0 hits=12 after=SIG_DFL\nmask=0x200 same=1\nblocked=0x800\n');
    expect(r.status).toBe(128 + 12);
  });
});
