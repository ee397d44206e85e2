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
