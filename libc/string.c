/* string.c: string.h and strings.h, byte by byte and plain. Compiled by ksim's cc, the six hot
 * ones (memcpy, memmove, memset, memcmp, strlen, strcmp) call the compiler's intrinsics
 * __ksim_memcpy etc. (src/cc/intrinsics.ts), which run in the host at JS speed; the C loops are what
 * the host-gcc test build (KSIM_HOST_TEST) runs and checks. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#ifndef KSIM_HOST_TEST
#define USE_KSIM_INTRINSICS 1
#endif

void *memcpy(void *dst, const void *src, size_t n) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_memcpy(dst, src, n);
#else
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
#endif
}

void *mempcpy(void *dst, const void *src, size_t n) {
  return (char *)memcpy(dst, src, n) + n;
}

void *memmove(void *dst, const void *src, size_t n) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_memmove(dst, src, n);
#else
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0)
    return dst;
  if (d < s) {
    while (n--)
      *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n--)
      *--d = *--s;
  }
  return dst;
#endif
}

void *memset(void *dst, int c, size_t n) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_memset(dst, c, n);
#else
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
#endif
}

int memcmp(const void *a, const void *b, size_t n) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_memcmp(a, b, n);
#else
  const unsigned char *p = a, *q = b;
  for (; n; n--, p++, q++)
    if (*p != *q)
      return *p - *q;
  return 0;
#endif
}

void *memchr(const void *s, int c, size_t n) {
  const unsigned char *p = s;
  for (; n; n--, p++)
    if (*p == (unsigned char)c)
      return (void *)p;
  return NULL;
}

void *memrchr(const void *s, int c, size_t n) {
  const unsigned char *p = (const unsigned char *)s + n;
  while (n--)
    if (*--p == (unsigned char)c)
      return (void *)p;
  return NULL;
}

size_t strlen(const char *s) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_strlen(s);
#else
  const char *p = s;
  while (*p)
    p++;
  return (size_t)(p - s);
#endif
}

size_t strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n])
    n++;
  return n;
}

char *strcpy(char *dst, const char *src) {
  char *d = dst;
  while ((*d++ = *src++))
    ;
  return dst;
}

char *stpcpy(char *dst, const char *src) {
  while ((*dst = *src++))
    dst++;
  return dst;
}

/* Copies at most n bytes and pads with NULs up to n; no NUL if src is n bytes or longer. */
char *strncpy(char *dst, const char *src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++)
    dst[i] = src[i];
  for (; i < n; i++)
    dst[i] = 0;
  return dst;
}

char *stpncpy(char *dst, const char *src, size_t n) {
  size_t len = strnlen(src, n);
  strncpy(dst, src, n);
  return dst + len;
}

char *strcat(char *dst, const char *src) {
  strcpy(dst + strlen(dst), src);
  return dst;
}

char *strncat(char *dst, const char *src, size_t n) {
  char *d = dst + strlen(dst);
  while (n-- && *src)
    *d++ = *src++;
  *d = 0;
  return dst;
}

size_t strlcpy(char *dst, const char *src, size_t size) {
  size_t len = strlen(src);
  if (size) {
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
  }
  return len;
}

size_t strlcat(char *dst, const char *src, size_t size) {
  size_t used = strnlen(dst, size);
  if (used == size)
    return size + strlen(src);
  return used + strlcpy(dst + used, src, size - used);
}

int strcmp(const char *a, const char *b) {
#ifdef USE_KSIM_INTRINSICS
  return __ksim_strcmp(a, b);
#else
  while (*a && *a == *b)
    a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
#endif
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b)
      return (unsigned char)*a - (unsigned char)*b;
    if (!*a)
      return 0;
  }
  return 0;
}

/* The "C" locale: collation is byte order. */
int strcoll(const char *a, const char *b) {
  return strcmp(a, b);
}

size_t strxfrm(char *dst, const char *src, size_t n) {
  size_t len = strlen(src);
  if (len < n)
    memcpy(dst, src, len + 1);
  return len;
}

char *strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c)
      return (char *)s;
    if (!*s)
      return NULL;
  }
}

char *strchrnul(const char *s, int c) {
  while (*s && *s != (char)c)
    s++;
  return (char *)s;
}

char *strrchr(const char *s, int c) {
  const char *last = NULL;
  for (;; s++) {
    if (*s == (char)c)
      last = s;
    if (!*s)
      return (char *)last;
  }
}

char *strstr(const char *haystack, const char *needle) {
  size_t n = strlen(needle);
  if (n == 0)
    return (char *)haystack;
  for (; *haystack; haystack++)
    if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
      return (char *)haystack;
  return NULL;
}

size_t strspn(const char *s, const char *accept) {
  size_t n = 0;
  while (s[n] && strchr(accept, s[n]))
    n++;
  return n;
}

size_t strcspn(const char *s, const char *reject) {
  size_t n = 0;
  while (s[n] && !strchr(reject, s[n]))
    n++;
  return n;
}

char *strpbrk(const char *s, const char *accept) {
  s += strcspn(s, accept);
  return *s ? (char *)s : NULL;
}

char *strtok_r(char *s, const char *delim, char **save) {
  char *end;
  if (!s)
    s = *save;
  s += strspn(s, delim);
  if (!*s) {
    *save = s;
    return NULL;
  }
  end = s + strcspn(s, delim);
  if (*end)
    *end++ = 0;
  *save = end;
  return s;
}

char *strtok(char *s, const char *delim) {
  static char *save;
  return strtok_r(s, delim, &save);
}

char *strsep(char **s, const char *delim) {
  char *start = *s, *end;
  if (!start)
    return NULL;
  end = start + strcspn(start, delim);
  if (*end)
    *end++ = 0, *s = end;
  else
    *s = NULL;
  return start;
}

char *strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

char *strndup(const char *s, size_t n) {
  size_t len = strnlen(s, n);
  char *copy = malloc(len + 1);
  if (copy) {
    memcpy(copy, s, len);
    copy[len] = 0;
  }
  return copy;
}

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int strcasecmp(const char *a, const char *b) {
  const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
  while (*p && lower(*p) == lower(*q))
    p++, q++;
  return lower(*p) - lower(*q);
}

int strncasecmp(const char *a, const char *b, size_t n) {
  const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
  for (; n; n--, p++, q++) {
    if (lower(*p) != lower(*q))
      return lower(*p) - lower(*q);
    if (!*p)
      return 0;
  }
  return 0;
}

void bzero(void *s, size_t n) {
  memset(s, 0, n);
}

void bcopy(const void *src, void *dst, size_t n) {
  memmove(dst, src, n);
}

int bcmp(const void *a, const void *b, size_t n) {
  return memcmp(a, b, n);
}

char *index(const char *s, int c) {
  return strchr(s, c);
}

char *rindex(const char *s, int c) {
  return strrchr(s, c);
}

int ffs(int x) {
  unsigned int u = (unsigned int)x;
  int i = 1;
  if (!u)
    return 0;
  while (!(u & 1))
    u >>= 1, i++;
  return i;
}
