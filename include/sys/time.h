/* sys/time.h: struct timeval and gettimeofday. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <ksim/types.h>

struct timezone {
  int tz_minuteswest;
  int tz_dsttime;
};

int gettimeofday(struct timeval *tv, void *tz);
#endif
