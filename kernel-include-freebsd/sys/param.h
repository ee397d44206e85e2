/* sys/param.h for FreeBSD kernel C on ksim: system limits and the headers every kernel file gets. */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_
#include <sys/types.h>
#define __FreeBSD_version 1402000
#define MAXCOMLEN 19
#define MAXPATHLEN 1024
#define MAXLOGNAME 33
#define NGROUPS 16
#define PAGE_SIZE 4096
#define nitems(x) (sizeof((x)) / sizeof((x)[0]))
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define howmany(x, y) (((x) + ((y) - 1)) / (y))
#define __unused
#define __printflike(a, b)
#define __packed __attribute__((packed))
#define __FBSDID(s)
#endif
