/* Included before every kernel C file of a machine, as kernel/sys.c has its #include lines:
 * a syscall written the way the tutorials write it compiles without any #include. */
#ifndef _KSIM_KERNEL_PRELUDE_H
#define _KSIM_KERNEL_PRELUDE_H
#include <linux/kernel.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#endif
