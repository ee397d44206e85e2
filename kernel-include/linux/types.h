/* Kernel integer types (x86_64 LP64). */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H
#include <linux/compiler.h>
typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;
typedef s64 __s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long loff_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned short umode_t;
typedef unsigned int gfp_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef _Bool bool;
#define true 1
#define false 0
#ifndef NULL
#define NULL ((void *)0)
#endif
#endif
