/* sys/time.h: struct timeval, gettimeofday, and the interval timers (setitimer, getitimer). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H
#include <ksim/types.h>

struct timezone {
  int tz_minuteswest;
  int tz_dsttime;
};

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};

int gettimeofday(struct timeval *tv, void *tz);
int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value);
int getitimer(int which, struct itimerval *curr_value);
#endif
