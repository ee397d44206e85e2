/* internal.h: what the libc files share and programs do not see: the syscall builtins, the
 * -errno to (-1, errno) conversion, and hooks between crt0, stdio and stdlib. */
#ifndef _KSIM_LIBC_INTERNAL_H
#define _KSIM_LIBC_INTERNAL_H
#include <ksim/types.h>
#include <sys/syscall.h>

/* The trap: provided by ksim's compiler as builtins (docs/runtime-abi.md). Each returns the raw
 * kernel result: a value >= 0, or -errno in -4095..-1 on every ksim machine. */
long __syscall0(long nr);
long __syscall1(long nr, long a);
long __syscall2(long nr, long a, long b);
long __syscall3(long nr, long a, long b, long c);
long __syscall4(long nr, long a, long b, long c, long d);
long __syscall5(long nr, long a, long b, long c, long d, long e);
long __syscall6(long nr, long a, long b, long c, long d, long e, long f);

/* Turns a raw result into glibc's convention: -1 with errno set, or the value. */
long __syscall_ret(long raw);

/* Raw results in -4095..-1 are errors. */
#define __is_syscall_error(raw) ((unsigned long)(raw) > (unsigned long)-4096L)

/* stdio.c: flush every open stream (exit() calls this after the atexit handlers). */
void __stdio_flush_all(void);

/* stdlib.c: run the atexit handlers, last registered first. */
void __run_atexit_handlers(void);

/* crt0.c: the auxiliary vector, for getauxval-style lookups. */
extern long *__auxv;
#endif
