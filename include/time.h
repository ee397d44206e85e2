/* time.h: time, clock_gettime, nanosleep, struct tm, gmtime/localtime, mktime and strftime. */
#ifndef _TIME_H
#define _TIME_H
#include <ksim/types.h>

#ifdef __linux__
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCKS_PER_SEC 1000000L
#endif
#ifdef __FreeBSD__
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 4
#define CLOCK_PROCESS_CPUTIME_ID 15
#define CLOCK_THREAD_CPUTIME_ID 14
#define CLOCKS_PER_SEC 128
#endif

struct tm {
  int tm_sec;
  int tm_min;
  int tm_hour;
  int tm_mday;
  int tm_mon;
  int tm_year;
  int tm_wday;
  int tm_yday;
  int tm_isdst;
  long tm_gmtoff;
  const char *tm_zone;
};

time_t time(time_t *t);
clock_t clock(void);
int clock_gettime(clockid_t clock, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
struct tm *gmtime(const time_t *t);
struct tm *gmtime_r(const time_t *t, struct tm *out);
struct tm *localtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *out);
time_t mktime(struct tm *tm);
time_t timegm(struct tm *tm);
double difftime(time_t end, time_t start);
size_t strftime(char *buf, size_t max, const char *fmt, const struct tm *tm);
char *asctime(const struct tm *tm);
char *ctime(const time_t *t);
#endif
