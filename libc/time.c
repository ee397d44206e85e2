/* time.c: clocks (time, clock_gettime, gettimeofday, clock), interval timers, calendar conversion in UTC
 * (gmtime, localtime: ksim has no time zones, so local time is UTC), mktime, and strftime for the
 * common conversions. */
#include <time.h>
#include <sys/time.h>
#include <string.h>
#include <stdio.h>
#include "internal.h"

int clock_gettime(clockid_t clock, struct timespec *ts) {
  return (int)__syscall_ret(__syscall2(SYS_clock_gettime, clock, (long)ts));
}

int gettimeofday(struct timeval *tv, void *tz) {
  return (int)__syscall_ret(__syscall2(SYS_gettimeofday, (long)tv, (long)tz));
}

#ifdef SYS_setitimer
int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value) {
  return (int)__syscall_ret(__syscall3(SYS_setitimer, which, (long)new_value, (long)old_value));
}

int getitimer(int which, struct itimerval *curr_value) {
  return (int)__syscall_ret(__syscall2(SYS_getitimer, which, (long)curr_value));
}
#endif

time_t time(time_t *t) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
    return (time_t)-1;
  if (t)
    *t = ts.tv_sec;
  return ts.tv_sec;
}

clock_t clock(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
    return (clock_t)-1;
  return (clock_t)(ts.tv_sec * CLOCKS_PER_SEC + ts.tv_nsec / (1000000000L / CLOCKS_PER_SEC));
}

double difftime(time_t end, time_t start) {
  return (double)end - (double)start;
}

static int is_leap(long year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static const int days_before_month[2][13] = {
  {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
  {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
};

/* Days from 1970-01-01 to year-01-01 (proleptic Gregorian). */
static long days_from_epoch_to_year(long year) {
  long y = year - 1;
  return 365 * (year - 1970) + (y / 4 - y / 100 + y / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
}

struct tm *gmtime_r(const time_t *t, struct tm *out) {
  long long seconds = *t;
  long long days = seconds / 86400;
  long rem = (long)(seconds % 86400);
  long year = 1970;
  int leap, month;

  if (rem < 0) {
    rem += 86400;
    days--;
  }
  out->tm_hour = (int)(rem / 3600);
  out->tm_min = (int)(rem % 3600 / 60);
  out->tm_sec = (int)(rem % 60);
  out->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
  year += (long)(days / 366);
  while (days >= days_from_epoch_to_year(year + 1))
    year++;
  while (days < days_from_epoch_to_year(year))
    year--;
  days -= days_from_epoch_to_year(year);
  leap = is_leap(year);
  out->tm_year = (int)(year - 1900);
  out->tm_yday = (int)days;
  for (month = 0; days >= days_before_month[leap][month + 1]; month++)
    ;
  out->tm_mon = month;
  out->tm_mday = (int)(days - days_before_month[leap][month] + 1);
  out->tm_isdst = 0;
  out->tm_gmtoff = 0;
  out->tm_zone = "GMT";
  return out;
}

struct tm *gmtime(const time_t *t) {
  static struct tm result;
  return gmtime_r(t, &result);
}

struct tm *localtime_r(const time_t *t, struct tm *out) {
  gmtime_r(t, out);
  out->tm_zone = "UTC";
  return out;
}

struct tm *localtime(const time_t *t) {
  static struct tm result;
  return localtime_r(t, &result);
}

time_t timegm(struct tm *tm) {
  long year = tm->tm_year + 1900L + tm->tm_mon / 12;
  int month = tm->tm_mon % 12;
  long long days;
  time_t t;
  if (month < 0) {
    month += 12;
    year--;
  }
  days = days_from_epoch_to_year(year) + days_before_month[is_leap(year)][month] + tm->tm_mday - 1;
  t = (time_t)(days * 86400 + tm->tm_hour * 3600L + tm->tm_min * 60L + tm->tm_sec);
  gmtime_r(&t, tm);
  return t;
}

time_t mktime(struct tm *tm) {
  time_t t = timegm(tm);
  tm->tm_zone = "UTC";
  return t;
}

static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};

/* strftime: a A b B c d D e F H I j m M n p r R S t T u w y Y z Z %. */
size_t strftime(char *buf, size_t max, const char *fmt, const struct tm *tm) {
  size_t len = 0;
  char piece[64];

  for (; *fmt; fmt++) {
    size_t n;
    if (*fmt != '%') {
      piece[0] = *fmt;
      piece[1] = 0;
    } else {
      fmt++;
      switch (*fmt) {
      case 'a': snprintf(piece, sizeof piece, "%.3s", day_names[tm->tm_wday % 7]); break;
      case 'A': snprintf(piece, sizeof piece, "%s", day_names[tm->tm_wday % 7]); break;
      case 'b':
      case 'h': snprintf(piece, sizeof piece, "%.3s", month_names[tm->tm_mon % 12]); break;
      case 'B': snprintf(piece, sizeof piece, "%s", month_names[tm->tm_mon % 12]); break;
      case 'c':
        snprintf(piece, sizeof piece, "%.3s %.3s %2d %02d:%02d:%02d %d", day_names[tm->tm_wday % 7],
                 month_names[tm->tm_mon % 12], tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
        break;
      case 'd': snprintf(piece, sizeof piece, "%02d", tm->tm_mday); break;
      case 'D': snprintf(piece, sizeof piece, "%02d/%02d/%02d", tm->tm_mon + 1, tm->tm_mday, tm->tm_year % 100); break;
      case 'e': snprintf(piece, sizeof piece, "%2d", tm->tm_mday); break;
      case 'F': snprintf(piece, sizeof piece, "%d-%02d-%02d", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday); break;
      case 'H': snprintf(piece, sizeof piece, "%02d", tm->tm_hour); break;
      case 'I': snprintf(piece, sizeof piece, "%02d", (tm->tm_hour + 11) % 12 + 1); break;
      case 'j': snprintf(piece, sizeof piece, "%03d", tm->tm_yday + 1); break;
      case 'm': snprintf(piece, sizeof piece, "%02d", tm->tm_mon + 1); break;
      case 'M': snprintf(piece, sizeof piece, "%02d", tm->tm_min); break;
      case 'n': snprintf(piece, sizeof piece, "\n"); break;
      case 'p': snprintf(piece, sizeof piece, "%s", tm->tm_hour < 12 ? "AM" : "PM"); break;
      case 'r':
        snprintf(piece, sizeof piece, "%02d:%02d:%02d %s", (tm->tm_hour + 11) % 12 + 1, tm->tm_min, tm->tm_sec,
                 tm->tm_hour < 12 ? "AM" : "PM");
        break;
      case 'R': snprintf(piece, sizeof piece, "%02d:%02d", tm->tm_hour, tm->tm_min); break;
      case 'S': snprintf(piece, sizeof piece, "%02d", tm->tm_sec); break;
      case 't': snprintf(piece, sizeof piece, "\t"); break;
      case 'T': snprintf(piece, sizeof piece, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec); break;
      case 'u': snprintf(piece, sizeof piece, "%d", tm->tm_wday == 0 ? 7 : tm->tm_wday); break;
      case 'w': snprintf(piece, sizeof piece, "%d", tm->tm_wday); break;
      case 'y': snprintf(piece, sizeof piece, "%02d", tm->tm_year % 100); break;
      case 'Y': snprintf(piece, sizeof piece, "%d", tm->tm_year + 1900); break;
      case 'z': snprintf(piece, sizeof piece, "+0000"); break;
      case 'Z': snprintf(piece, sizeof piece, "%s", tm->tm_zone ? tm->tm_zone : "UTC"); break;
      case '%': snprintf(piece, sizeof piece, "%%"); break;
      case 0:
        fmt--;
        piece[0] = 0;
        break;
      default: snprintf(piece, sizeof piece, "%%%c", *fmt); break;
      }
    }
    n = strlen(piece);
    if (len + n >= max)
      return 0;
    memcpy(buf + len, piece, n);
    len += n;
  }
  if (len >= max)
    return 0;
  buf[len] = 0;
  return len;
}

/* asctime's fixed format: "Thu Jan  1 00:00:00 1970\n". */
char *asctime(const struct tm *tm) {
  static char text[64];
  snprintf(text, sizeof text, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n", day_names[tm->tm_wday % 7],
           month_names[tm->tm_mon % 12], tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
  return text;
}

char *ctime(const time_t *t) {
  return asctime(localtime(t));
}
