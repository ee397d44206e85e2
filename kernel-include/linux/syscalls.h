/* SYSCALL_DEFINEn(name, type1, arg1, ...) defines the entry point sys_name, which a row of the
 * syscall table binds to by name. The parameter list becomes the row's signature. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H
#include <linux/types.h>
#include <linux/compiler.h>
#define SYSCALL_DEFINE0(name) long sys_##name(void)
#define SYSCALL_DEFINE1(name, t1, a1) long sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, t1, a1, t2, a2) long sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3) long sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4) long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)
#endif
