/* sys/types.h for FreeBSD kernel C on ksim (amd64): the basic kernel types. */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef unsigned char u_int8_t;
typedef unsigned short u_int16_t;
typedef unsigned int u_int32_t;
typedef unsigned long u_int64_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef long intmax_t;
typedef unsigned long uintmax_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long off_t;
typedef long register_t;
typedef unsigned long u_register_t;
typedef int pid_t;
typedef int lwpid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned short mode_t;
typedef long id_t;
typedef unsigned long dev_t;
typedef long time_t;
typedef int clockid_t;
typedef unsigned int socklen_t;
typedef long key_t;
typedef unsigned int fflags_t;
typedef char *caddr_t;
typedef const char *c_caddr_t;
typedef unsigned long vm_offset_t;
typedef unsigned long vm_size_t;
typedef _Bool bool;
#define true 1
#define false 0
#ifndef NULL
#define NULL ((void *)0)
#endif
#endif
