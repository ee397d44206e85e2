/* sys/utsname.h: struct utsname and uname (Linux: six 65-byte fields; FreeBSD: five 256-byte ones). */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H

#ifdef __linux__
#define _UTSNAME_LENGTH 65
#else
#define _UTSNAME_LENGTH 256
#endif

struct utsname {
  char sysname[_UTSNAME_LENGTH];
  char nodename[_UTSNAME_LENGTH];
  char release[_UTSNAME_LENGTH];
  char version[_UTSNAME_LENGTH];
  char machine[_UTSNAME_LENGTH];
#ifdef __linux__
  char domainname[_UTSNAME_LENGTH];
#endif
};

int uname(struct utsname *buf);
#endif
