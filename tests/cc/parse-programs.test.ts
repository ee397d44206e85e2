// Tests that the front end (preprocessor + parser) handles real-world C: the kind of code in a
// small shell, cat, wc and qsort, Linux kernel style (SYSCALL_DEFINE, container_of, list
// macros) and FreeBSD module code (sysent and moduledata initializers), with its headers
// supplied from an in-memory file map.
import { describe, expect, it } from 'vitest';
import type { ExternalDecl, FunctionDef } from '../../src/cc/ast.js';
import { parseC } from '../../src/cc/frontend.js';
import { externalDeclToString } from '../../src/cc/parse-print.js';

const LIBC_HEADERS: Record<string, string> = {
  'inc/stddef.h': '#ifndef _STDDEF_H\n#define _STDDEF_H\ntypedef unsigned long size_t;\ntypedef long ssize_t;\n#define NULL ((void *)0)\n#define offsetof(t, m) __builtin_offsetof(t, m)\n#endif\n',
  'inc/stdio.h': '#pragma once\n#include <stddef.h>\ntypedef struct _FILE FILE;\nextern FILE *stdin, *stdout, *stderr;\n#define EOF (-1)\nint printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));\nint fprintf(FILE *f, const char *fmt, ...);\nint getchar(void);\nint putchar(int c);\nchar *fgets(char *s, int n, FILE *f);\nFILE *fopen(const char *path, const char *mode);\nint fclose(FILE *f);\nint getc(FILE *f);\nvoid perror(const char *s);\n',
  'inc/stdlib.h': '#pragma once\n#include <stddef.h>\nvoid *malloc(size_t n);\nvoid free(void *p);\n_Noreturn void exit(int status);\nvoid qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));\n',
  'inc/string.h': '#pragma once\n#include <stddef.h>\nsize_t strlen(const char *s);\nint strcmp(const char *a, const char *b);\nchar *strtok(char *s, const char *delim);\nvoid *memcpy(void *restrict d, const void *restrict s, size_t n);\n',
  'inc/unistd.h': '#pragma once\n#include <stddef.h>\ntypedef int pid_t;\nssize_t read(int fd, void *buf, size_t n);\nssize_t write(int fd, const void *buf, size_t n);\npid_t fork(void);\nint execvp(const char *file, char *const argv[]);\nint chdir(const char *path);\n',
  'inc/sys/wait.h': '#pragma once\n#include <unistd.h>\npid_t waitpid(pid_t pid, int *status, int options);\n#define WIFEXITED(s) (((s) & 0x7f) == 0)\n#define WEXITSTATUS(s) (((s) >> 8) & 0xff)\n',
  'inc/ctype.h': '#pragma once\nint isspace(int c);\nint isdigit(int c);\n',
};

function parseProgram(main: string, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { ...LIBC_HEADERS, ...extra, 'prog.c': main };
  const r = parseC('prog.c', { readFile: (p) => files[p], includeDirs: ['inc'], predefined: { __x86_64__: '1', __linux__: '1' } });
  return r;
}

function functionNames(decls: ExternalDecl[]): string[] {
  return decls.filter((d): d is FunctionDef => d.kind === 'function').map((d) => d.declarator.name!);
}

describe('user programs', () => {
  it('cat', () => {
    const r = parseProgram(`#include <stdio.h>
#include <unistd.h>

static char buf[4096];

static int cat_fd(int fd) {
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    char *p = buf;
    while (n > 0) {
      ssize_t w = write(1, p, (size_t)n);
      if (w < 0) return -1;
      p += w;
      n -= w;
    }
  }
  return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[]) {
  if (argc < 2) return cat_fd(0) ? 1 : 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (f == NULL) { perror(argv[i]); return 1; }
    int c;
    while ((c = getc(f)) != EOF) putchar(c);
    fclose(f);
  }
  return 0;
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['cat_fd', 'main']);
    const main = r.unit!.decls.find((d) => d.kind === 'function' && d.declarator.name === 'main')!;
    expect(externalDeclToString(main)).toBe(
      'main: function(argc: int, argv: array[] of pointer to char) returning int { if ((argc < 2)) return (cat_fd(0) ? 1 : 0); for (i: int = 1; (i < argc); (i++)) { f: pointer to FILE = fopen(argv[i], "r"); if ((f == ((pointer to void) 0))) { perror(argv[i]); return 1; } c: int; while (((c = getc(f)) != (-1))) putchar(c); fclose(f); } return 0; }',
    );
  });

  it('wc', () => {
    const r = parseProgram(`#include <stdio.h>
#include <ctype.h>
int main(void) {
  long lines = 0, words = 0, chars = 0;
  int c, in_word = 0;
  while ((c = getchar()) != EOF) {
    ++chars;
    if (c == '\\n') ++lines;
    if (isspace(c)) in_word = 0;
    else if (!in_word) { in_word = 1; ++words; }
  }
  printf("%7ld %7ld %7ld\\n", lines, words, chars);
  return 0;
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['main']);
  });

  it('qsort with a comparison function and a hand-written quicksort', () => {
    const r = parseProgram(`#include <stdlib.h>
#include <string.h>
typedef int (*cmp_fn)(const void *, const void *);
static void swap(char *a, char *b, size_t size) {
  while (size--) { char t = *a; *a++ = *b; *b++ = t; }
}
void my_qsort(void *base, size_t n, size_t size, cmp_fn cmp) {
  char *b = base;
  if (n < 2) return;
  char *pivot = b + (n / 2) * size;
  swap(pivot, b + (n - 1) * size, size);
  pivot = b + (n - 1) * size;
  size_t store = 0;
  for (size_t i = 0; i < n - 1; i++)
    if (cmp(b + i * size, pivot) < 0) swap(b + i * size, b + store++ * size, size);
  swap(b + store * size, pivot, size);
  my_qsort(b, store, size, cmp);
  my_qsort(b + (store + 1) * size, n - store - 1, size, cmp);
}
static int by_int(const void *x, const void *y) {
  int a = *(const int *)x, b = *(const int *)y;
  return (a > b) - (a < b);
}
int main(void) {
  int v[] = { 5, 3, 9, 1, [7] = 4 };
  my_qsort(v, sizeof v / sizeof *v, sizeof v[0], by_int);
  qsort(v, sizeof(v) / sizeof(v[0]), sizeof(int), by_int);
  return v[0];
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['swap', 'my_qsort', 'by_int', 'main']);
  });

  it('a small shell', () => {
    const r = parseProgram(`#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define MAX_ARGS 64
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct builtin { const char *name; int (*fn)(char **argv); };

static int sh_cd(char **argv) { return chdir(argv[1] ? argv[1] : "/") < 0 ? (perror("cd"), 1) : 0; }
static int sh_exit(char **argv) { exit(argv[1] ? argv[1][0] - '0' : 0); }

static const struct builtin builtins[] = {
  { "cd", sh_cd },
  { .name = "exit", .fn = sh_exit },
};

static int split(char *line, char **argv) {
  int argc = 0;
  for (char *tok = strtok(line, " \\t\\n"); tok && argc < MAX_ARGS - 1; tok = strtok(NULL, " \\t\\n"))
    argv[argc++] = tok;
  argv[argc] = NULL;
  return argc;
}

int main(void) {
  char line[1024];
  char *argv[MAX_ARGS];
  for (;;) {
    fprintf(stderr, "$ ");
    if (!fgets(line, sizeof line, stdin)) break;
    if (split(line, argv) == 0) continue;
    size_t i;
    for (i = 0; i < ARRAY_SIZE(builtins); i++)
      if (strcmp(argv[0], builtins[i].name) == 0) { builtins[i].fn(argv); break; }
    if (i < ARRAY_SIZE(builtins)) continue;
    pid_t pid = fork();
    switch (pid) {
    case -1: perror("fork"); break;
    case 0: execvp(argv[0], argv); perror(argv[0]); exit(127);
    default: {
      int status;
      waitpid(pid, &status, 0);
      if (WIFEXITED(status) && WEXITSTATUS(status) != 0) fprintf(stderr, "exit %d\\n", WEXITSTATUS(status));
    }
    }
  }
  return 0;
}
`);
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['sh_cd', 'sh_exit', 'split', 'main']);
    const table = r.unit!.decls.find((d) => d.kind === 'declaration' && d.declarators[0]?.declarator.name === 'builtins')!;
    expect(externalDeclToString(table)).toBe('builtins: array[] of static const struct builtin = {{"cd", sh_cd}, {.name="exit", .fn=sh_exit}};');
  });
});

describe('kernel code', () => {
  const LINUX_HEADERS: Record<string, string> = {
    'inc/linux/syscalls.h': `#pragma once
#include <linux/types.h>
#define __MAP0(m,...)
#define __MAP1(m,t,a,...) m(t,a)
#define __MAP2(m,t,a,...) m(t,a), __MAP1(m,__VA_ARGS__)
#define __MAP3(m,t,a,...) m(t,a), __MAP2(m,__VA_ARGS__)
#define __MAP(n,...) __MAP##n(__VA_ARGS__)
#define __SC_DECL(t, a) t a
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, _##name, __VA_ARGS__)
#define SYSCALL_DEFINEx(x, name, ...) \\
  asmlinkage long sys##name(__MAP(x, __SC_DECL, __VA_ARGS__))
#define asmlinkage __attribute__((regparm(0)))
long strncpy_from_user(char *dst, const char __user *src, long count);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
`,
    'inc/linux/types.h': `#pragma once
#define __user
typedef unsigned long size_t;
typedef _Bool bool;
#define true 1
#define false 0
`,
    'inc/linux/kernel.h': `#pragma once
#define KERN_INFO "\\001" "6"
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define container_of(ptr, type, member) ({ \\
  const typeof(((type *)0)->member) *__mptr = (ptr); \\
  (type *)((char *)__mptr - __builtin_offsetof(type, member)); })
#define likely(x) __builtin_expect(!!(x), 1)
`,
    'inc/linux/errno.h': '#pragma once\n#define EFAULT 14\n#define EINVAL 22\n',
    'inc/linux/list.h': `#pragma once
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
static inline void list_add(struct list_head *new, struct list_head *head) {
  new->next = head->next; new->prev = head; head->next->prev = new; head->next = new;
}
`,
  };

  it('Linux: SYSCALL_DEFINE1 with strncpy_from_user and printk', () => {
    const r = parseProgram(
      `#include <linux/syscalls.h>
#include <linux/kernel.h>
#include <linux/errno.h>

SYSCALL_DEFINE1(stephen, char __user *, msg)
{
  char buf[256];
  long copied = strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  pr_info("stephen syscall called with \\"%s\\"\\n", buf);
  return 0;
}

SYSCALL_DEFINE3(sum3, int, a, int, b, int __user *, out)
{
  int s = a + b;
  return copy_to_user(out, &s, sizeof s) ? -EFAULT : 0;
}
`,
      LINUX_HEADERS,
    );
    expect(r.diagnostics).toEqual([]);
    const fns = r.unit!.decls.filter((d): d is FunctionDef => d.kind === 'function');
    expect(fns.map((f) => f.declarator.name)).toEqual(['sys_stephen', 'sys_sum3']);
    expect(fns[0]!.specs.attributes).toEqual([{ name: 'regparm', args: [expect.objectContaining({ kind: 'int', value: 0n })] }]);
    expect(externalDeclToString(fns[0]!)).toBe(
      'sys_stephen: function(msg: pointer to char) returning long __attribute__((regparm(0))) { buf: array[256] of char; copied: long = strncpy_from_user(buf, msg, sizeof(buf)); if (((copied < 0) || (copied == sizeof(buf)))) return (-14); printk("\\x016stephen syscall called with \\"%s\\"\\n", buf); return 0; }',
    );
    expect([fns[0]!.loc.file, fns[0]!.loc.line]).toEqual(['prog.c', 5]);
    expect(fns[1]!.declarator.derived[0]).toMatchObject({ kind: 'function', params: [{ declarator: { name: 'a' } }, { declarator: { name: 'b' } }, { declarator: { name: 'out' } }] });
  });

  it('Linux: lists, container_of with typeof and statement expressions', () => {
    const r = parseProgram(
      `#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/types.h>
struct item { int value; struct list_head node; };
static LIST_HEAD(items);
static int sum(void) {
  struct list_head *pos;
  int total = 0;
  list_for_each(pos, &items) {
    struct item *it = container_of(pos, struct item, node);
    if (likely(it->value > 0)) total += it->value;
  }
  return total;
}
`,
      LINUX_HEADERS,
    );
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['list_add', 'sum']);
    const items = r.unit!.decls.find((d) => d.kind === 'declaration' && d.declarators[0]?.declarator.name === 'items')!;
    expect(externalDeclToString(items)).toBe('items: static struct list_head = {(&items), (&items)};');
  });

  it('FreeBSD: a syscall module with sysent and moduledata initializers', () => {
    const r = parseProgram(
      `#include <sys/param.h>
#include <sys/module.h>
#include <sys/sysent.h>
#include <sys/proc.h>

struct hello_args { char *msg; };

static int
hello(struct thread *td, struct hello_args *uap)
{
	char buf[128];
	size_t done;
	int error = copyinstr(uap->msg, buf, sizeof(buf), &done);
	if (error != 0)
		return (error);
	printf("hello: %s\\n", buf);
	td->td_retval[0] = (int)done;
	return (0);
}

static struct sysent hello_sysent = {
	.sy_narg = 1,
	.sy_call = (sy_call_t *)hello,
};

static int offset = NO_SYSCALL;

static int
load(struct module *module, int cmd, void *arg)
{
	switch (cmd) {
	case MOD_LOAD:
		printf("loaded at %d\\n", offset);
		return (0);
	case MOD_UNLOAD:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t hello_mod = { "hello", load, NULL };
SYSCALL_MODULE(hello, &offset, &hello_sysent, load, NULL);
`,
      {
        'inc/sys/param.h': '#pragma once\n#include <stddef.h>\n#define EOPNOTSUPP 45\n',
        'inc/sys/module.h': '#pragma once\nstruct module;\ntypedef struct module *module_t;\ntypedef int (*modeventhand_t)(module_t, int, void *);\ntypedef enum modeventtype { MOD_LOAD, MOD_UNLOAD, MOD_SHUTDOWN, MOD_QUIESCE } modeventtype_t;\ntypedef struct moduledata { const char *name; modeventhand_t evhand; void *priv; } moduledata_t;\n',
        'inc/sys/sysent.h': `#pragma once
struct thread;
typedef int sy_call_t(struct thread *, void *);
struct sysent { int sy_narg; sy_call_t *sy_call; unsigned sy_flags; };
#define NO_SYSCALL (-1)
struct syscall_module_data { int (*chainevh)(struct module *, int, void *); void *chainarg; int *offset; struct sysent *new_sysent; struct sysent old_sysent; };
int syscall_module_handler(struct module *mod, int what, void *arg);
#define SYSCALL_MODULE(name, offset, new_sysent, evh, arg) \\
static struct syscall_module_data name##_syscall_mod = { evh, arg, offset, new_sysent, { 0, NULL, 0 } }; \\
static moduledata_t name##_mod_data = { #name, syscall_module_handler, &name##_syscall_mod }
`,
        'inc/sys/proc.h': '#pragma once\nstruct thread { long td_retval[2]; };\nint copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);\nint printf(const char *, ...);\n',
      },
    );
    expect(r.diagnostics).toEqual([]);
    expect(functionNames(r.unit!.decls)).toEqual(['hello', 'load']);
    const named = (n: string) => r.unit!.decls.find((d) => d.kind === 'declaration' && d.declarators[0]?.declarator.name === n)!;
    expect(externalDeclToString(named('hello_sysent'))).toBe('hello_sysent: static struct sysent = {.sy_narg=1, .sy_call=((pointer to sy_call_t) hello)};');
    expect(externalDeclToString(named('hello_mod'))).toBe('hello_mod: static moduledata_t = {"hello", load, ((pointer to void) 0)};');
    expect(externalDeclToString(named('hello_mod_data'))).toBe('hello_mod_data: static moduledata_t = {"hello", syscall_module_handler, (&hello_syscall_mod)};');
  });
});
