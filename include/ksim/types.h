/* ksim/types.h: the basic C and POSIX types every other header shares, sized per machine
 * (x86_64 and FreeBSD amd64 are LP64, i386 is ILP32). Included by the public headers. */
#ifndef _KSIM_TYPES_H
#define _KSIM_TYPES_H

#if !defined(__x86_64__) && !defined(__i386__)
#error "ksim libc: unknown machine (expected __x86_64__ or __i386__)"
#endif
#if !defined(__linux__) && !defined(__FreeBSD__)
#error "ksim libc: unknown system (expected __linux__ or __FreeBSD__)"
#endif

#ifdef __x86_64__
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
#else
typedef unsigned int size_t;
typedef int ssize_t;
typedef int ptrdiff_t;
typedef int intptr_t;
typedef unsigned int uintptr_t;
#endif

typedef int wchar_t;

typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;

typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long time_t;
typedef long suseconds_t;
typedef long clock_t;
typedef int clockid_t;
typedef unsigned int useconds_t;

#ifdef __FreeBSD__
typedef long off_t;
typedef unsigned short mode_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef unsigned long long nlink_t;
typedef int blksize_t;
typedef long blkcnt_t;
#elif defined(__x86_64__)
typedef long off_t;
typedef unsigned int mode_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long blkcnt_t;
#else
typedef long long off_t;      /* i386: 64-bit file offsets, as glibc with _FILE_OFFSET_BITS=64 */
typedef unsigned int mode_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef unsigned int nlink_t;
typedef long blksize_t;
typedef long long blkcnt_t;
#endif

struct timespec {
  time_t tv_sec;
  long tv_nsec;
};

struct timeval {
  time_t tv_sec;
  suseconds_t tv_usec;
};

#ifndef NULL
#define NULL ((void *)0)
#endif

#endif
