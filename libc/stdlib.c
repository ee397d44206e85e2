/* stdlib.c: process exit and atexit, the environment, number parsing (strtol family, strtod),
 * sorting and searching, integer helpers, rand (glibc's algorithm), and system(). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <ctype.h>
#include <unistd.h>
#include <inttypes.h>
#include <sys/wait.h>
#include "internal.h"
#include "decimal.h"

/* ---- exit ---- */

#define MAX_ATEXIT 64

static void (*atexit_handlers[MAX_ATEXIT])(void);
static int atexit_count;

int atexit(void (*fn)(void)) {
  if (atexit_count == MAX_ATEXIT)
    return -1;
  atexit_handlers[atexit_count++] = fn;
  return 0;
}

void __run_atexit_handlers(void) {
  while (atexit_count > 0)
    atexit_handlers[--atexit_count]();
}

_Noreturn void exit(int status) {
  __run_atexit_handlers();
  __stdio_flush_all();
  _exit(status);
}

/* ---- environment ---- */

char *getenv(const char *name) {
  size_t len = strlen(name);
  char **e;
  if (!environ)
    return NULL;
  for (e = environ; *e; e++)
    if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
      return *e + len + 1;
  return NULL;
}

/* setenv and putenv may grow environ, so the first change copies it to the heap. */
static int environ_is_ours;

static int environ_count(void) {
  int n = 0;
  while (environ && environ[n])
    n++;
  return n;
}

static int environ_add(char *entry) {
  int n = environ_count();
  char **bigger;
  if (environ_is_ours) {
    bigger = realloc(environ, sizeof(char *) * (size_t)(n + 2));
  } else {
    bigger = malloc(sizeof(char *) * (size_t)(n + 2));
    if (bigger && n)
      memcpy(bigger, environ, sizeof(char *) * (size_t)n);
  }
  if (!bigger)
    return -1;
  bigger[n] = entry;
  bigger[n + 1] = NULL;
  environ = bigger;
  environ_is_ours = 1;
  return 0;
}

static char **environ_find(const char *name, size_t len) {
  char **e;
  for (e = environ; e && *e; e++)
    if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
      return e;
  return NULL;
}

int setenv(const char *name, const char *value, int overwrite) {
  size_t len, vlen;
  char *entry, **slot;
  if (!name || !*name || strchr(name, '=')) {
    errno = EINVAL;
    return -1;
  }
  len = strlen(name);
  slot = environ_find(name, len);
  if (slot && !overwrite)
    return 0;
  vlen = strlen(value);
  entry = malloc(len + vlen + 2);
  if (!entry)
    return -1;
  memcpy(entry, name, len);
  entry[len] = '=';
  memcpy(entry + len + 1, value, vlen + 1);
  if (slot) {
    *slot = entry;
    return 0;
  }
  return environ_add(entry);
}

int putenv(char *string) {
  char *eq = strchr(string, '=');
  char **slot;
  if (!eq)
    return unsetenv(string);
  slot = environ_find(string, (size_t)(eq - string));
  if (slot) {
    *slot = string;
    return 0;
  }
  return environ_add(string);
}

int unsetenv(const char *name) {
  size_t len;
  char **e;
  if (!name || !*name || strchr(name, '=')) {
    errno = EINVAL;
    return -1;
  }
  len = strlen(name);
  for (e = environ; e && *e;) {
    if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') {
      char **p = e;
      do
        p[0] = p[1];
      while (*p++);
    } else {
      e++;
    }
  }
  return 0;
}

/* ---- integer parsing ---- */

static int digit_value(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

/* Parses [space][sign][0x|0]digits in base (0: by prefix). Returns the magnitude, saturated at
 * ULLONG_MAX with *overflow set; *negative tells the sign; *end is s if nothing was parsed. */
static unsigned long long parse_unsigned(const char *s, char **end, int base, int *negative, int *overflow) {
  const char *p = s;
  unsigned long long value = 0;
  int any = 0;

  *negative = 0;
  *overflow = 0;
  if (base < 0 || base == 1 || base > 36) {
    errno = EINVAL;
    if (end)
      *end = (char *)s;
    return 0;
  }
  while (isspace((unsigned char)*p))
    p++;
  if (*p == '+' || *p == '-')
    *negative = *p++ == '-';
  if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value((unsigned char)p[2]) < 16) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = p[0] == '0' ? 8 : 10;
  }
  for (;; p++) {
    int d = digit_value((unsigned char)*p);
    if (d >= base)
      break;
    any = 1;
    if (value > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
      *overflow = 1;
    else
      value = value * (unsigned)base + (unsigned)d;
  }
  if (end)
    *end = (char *)(any ? p : s);
  if (*overflow)
    return ULLONG_MAX;
  return value;
}

/* Signed results clamp to [min, max] with ERANGE. */
static long long parse_signed(const char *s, char **end, int base, long long min, long long max) {
  int negative, overflow;
  unsigned long long v = parse_unsigned(s, end, base, &negative, &overflow);
  if (negative) {
    if (overflow || v > (unsigned long long)max + 1) {
      errno = ERANGE;
      return min;
    }
    return (long long)(0ULL - v);
  }
  if (overflow || v > (unsigned long long)max) {
    errno = ERANGE;
    return max;
  }
  return (long long)v;
}

/* Unsigned results: a '-' negates the value (as C requires); out of range gives max and ERANGE. */
static unsigned long long parse_unsigned_clamped(const char *s, char **end, int base, unsigned long long max) {
  int negative, overflow;
  unsigned long long v = parse_unsigned(s, end, base, &negative, &overflow);
  if (overflow || v > max) {
    errno = ERANGE;
    return max;
  }
  return negative ? (0ULL - v) & max : v;
}

long strtol(const char *s, char **end, int base) { return (long)parse_signed(s, end, base, LONG_MIN, LONG_MAX); }
long long strtoll(const char *s, char **end, int base) { return parse_signed(s, end, base, LLONG_MIN, LLONG_MAX); }
intmax_t strtoimax(const char *s, char **end, int base) { return parse_signed(s, end, base, INTMAX_MIN, INTMAX_MAX); }
unsigned long strtoul(const char *s, char **end, int base) { return (unsigned long)parse_unsigned_clamped(s, end, base, ULONG_MAX); }
unsigned long long strtoull(const char *s, char **end, int base) { return parse_unsigned_clamped(s, end, base, ULLONG_MAX); }
uintmax_t strtoumax(const char *s, char **end, int base) { return parse_unsigned_clamped(s, end, base, UINTMAX_MAX); }

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }

/* ---- strtod ---- */

/* strtod is correctly rounded (ties to even), like glibc's: a first guess from the leading 19
 * digits and powers of ten, then exact corrections: the input's decimal digits are compared with
 * the exact decimal midpoints between the guess and its neighbours (decimal.c) and the guess moves
 * one unit in the last place at a time until the input lies between them. */
static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static double scale_by_ten(double v, int e) {
  while (e > 22) {
    v *= 1e22;
    e -= 22;
  }
  while (e < -22) {
    v /= 1e22;
    e += 22;
  }
  return e >= 0 ? v * powers_of_ten[e] : v / powers_of_ten[-e];
}

static uint64_t bits_of_double(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static double double_of_bits(uint64_t b) {
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

#define INFINITY_BITS 0x7ff0000000000000ULL

/* Moves the nonnegative guess to the double nearest to the exact decimal input. */
static double round_decimal_exactly(const struct decimal *input, double guess) {
  uint64_t bits = bits_of_double(guess);
  int step;
  if (bits >= INFINITY_BITS)
    bits = INFINITY_BITS - 1; /* start from the largest finite double */
  for (step = 0; step < 64; step++) {
    struct decimal midpoint;
    int biased = (int)(bits >> 52);
    uint64_t fraction = bits & 0xfffffffffffffULL;
    uint64_t m = biased ? fraction | (1ULL << 52) : fraction;
    int e = biased ? biased - 1075 : -1074;
    int c;

    /* Above the midpoint with the next double up? */
    __decimal_from_binary(2 * m + 1, e - 1, &midpoint);
    c = __decimal_compare(input, &midpoint);
    if (c > 0 || (c == 0 && (m & 1))) {
      bits++;
      if (bits >= INFINITY_BITS)
        return double_of_bits(INFINITY_BITS);
      if (c == 0)
        break;
      continue;
    }
    if (bits == 0)
      break;
    /* Below the midpoint with the next double down? (Its spacing halves below a power of two.) */
    if (fraction == 0 && biased > 1)
      __decimal_from_binary(4 * m - 1, e - 2, &midpoint);
    else
      __decimal_from_binary(2 * m - 1, e - 1, &midpoint);
    c = __decimal_compare(input, &midpoint);
    if (c < 0 || (c == 0 && (m & 1))) {
      bits--;
      if (c == 0)
        break;
      continue;
    }
    break;
  }
  return double_of_bits(bits);
}

static int match_word(const char *p, const char *word) {
  while (*word)
    if (tolower((unsigned char)*p++) != *word++)
      return 0;
  return 1;
}

static double parse_hex_float(const char *p, const char **end) {
  double v = 0;
  int exponent = 0, any = 0, e;
  const char *after_digits;
  for (; digit_value((unsigned char)*p) < 16; p++, any = 1)
    v = v * 16 + digit_value((unsigned char)*p);
  if (*p == '.')
    for (p++; digit_value((unsigned char)*p) < 16; p++, any = 1) {
      v = v * 16 + digit_value((unsigned char)*p);
      exponent -= 4;
    }
  if (!any)
    return -1;
  after_digits = p;
  if (*p == 'p' || *p == 'P') {
    int neg = 0;
    e = 0;
    p++;
    if (*p == '+' || *p == '-')
      neg = *p++ == '-';
    if (isdigit((unsigned char)*p)) {
      while (isdigit((unsigned char)*p)) {
        if (e < 100000)
          e = e * 10 + (*p - '0');
        p++;
      }
      exponent += neg ? -e : e;
      after_digits = p;
    }
  }
  *end = after_digits;
  while (exponent > 0 && v != 0) {
    v *= 2;
    exponent--;
  }
  while (exponent < 0 && v != 0) {
    v /= 2;
    exponent++;
  }
  return v;
}

double strtod(const char *s, char **end) {
  const char *p = s;
  int negative = 0, any = 0, seen_point = 0, dropped_nonzero = 0, exponent = 0;
  struct decimal input;
  double v;

  while (isspace((unsigned char)*p))
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (match_word(p, "inf")) {
    p += match_word(p, "infinity") ? 8 : 3;
    if (end)
      *end = (char *)p;
    return negative ? -1.0 / 0.0 : 1.0 / 0.0;
  }
  if (match_word(p, "nan")) {
    p += 3;
    if (*p == '(') {
      const char *q = p + 1;
      while (isalnum((unsigned char)*q) || *q == '_')
        q++;
      if (*q == ')')
        p = q + 1;
    }
    if (end)
      *end = (char *)p;
    return negative ? -(0.0 / 0.0) : 0.0 / 0.0;
  }
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    const char *after;
    v = parse_hex_float(p + 2, &after);
    if (v >= 0) {
      if (end)
        *end = (char *)after;
      return negative ? -v : v;
    }
  }
  /* The digits, without leading zeros, kept up to the decimal's capacity; a nonzero digit
   * beyond that is remembered as a final 1 (enough to order the input against any midpoint). */
  input.n = 0;
  input.point = 0;
  for (; isdigit((unsigned char)*p) || (*p == '.' && !seen_point); p++) {
    if (*p == '.') {
      seen_point = 1;
      continue;
    }
    any = 1;
    if (input.n == 0 && *p == '0') {
      if (seen_point)
        input.point--;
      continue;
    }
    if (input.n < DECIMAL_MAX_DIGITS - 1)
      input.d[input.n++] = *p;
    else if (*p != '0')
      dropped_nonzero = 1;
    if (!seen_point)
      input.point++;
  }
  if (!any) {
    if (end)
      *end = (char *)s;
    return 0;
  }
  if (*p == 'e' || *p == 'E') {
    const char *q = p + 1;
    int neg = 0, e = 0;
    if (*q == '+' || *q == '-')
      neg = *q++ == '-';
    if (isdigit((unsigned char)*q)) {
      while (isdigit((unsigned char)*q)) {
        if (e < 100000)
          e = e * 10 + (*q - '0');
        q++;
      }
      exponent = neg ? -e : e;
      p = q;
    }
  }
  if (end)
    *end = (char *)p;
  while (input.n > 0 && input.d[input.n - 1] == '0')
    input.n--;
  if (dropped_nonzero)
    input.d[input.n++] = '1';
  if (input.n == 0)
    return negative ? -0.0 : 0.0;
  input.point += exponent;
  if (input.point > 310) {
    v = 1.0 / 0.0;
  } else if (input.point < -330) {
    v = 0;
  } else {
    /* First guess from up to 19 leading digits, then exact rounding. */
    unsigned long long mantissa = 0;
    int i, used = input.n < 19 ? input.n : 19;
    for (i = 0; i < used; i++)
      mantissa = mantissa * 10 + (unsigned)(input.d[i] - '0');
    v = (double)mantissa;
    if (input.point - used < -300)
      v = scale_by_ten(scale_by_ten(v, -300), input.point - used + 300);
    else
      v = scale_by_ten(v, input.point - used);
    v = round_decimal_exactly(&input, v);
  }
  if (v == 1.0 / 0.0) {
    errno = ERANGE;
  } else if (v < 2.2250738585072014e-308) {
    /* Underflow, as glibc reports it: a zero or subnormal result that is not exact. */
    struct decimal exact;
    __decimal_from_double(v, &exact);
    if (__decimal_compare(&input, &exact) != 0)
      errno = ERANGE;
  }
  return negative ? -v : v;
}

float strtof(const char *s, char **end) { return (float)strtod(s, end); }
long double strtold(const char *s, char **end) { return strtod(s, end); }
double atof(const char *s) { return strtod(s, NULL); }

/* ---- sorting and searching ---- */

static void merge_sort(char *base, char *tmp, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  size_t half = n / 2, i = 0, j = half, k = 0;
  if (n < 2)
    return;
  merge_sort(base, tmp, half, size, cmp);
  merge_sort(base + half * size, tmp, n - half, size, cmp);
  while (i < half && j < n) {
    /* <= keeps equal elements in their original order (glibc's qsort is a stable merge sort). */
    if (cmp(base + i * size, base + j * size) <= 0)
      memcpy(tmp + k++ * size, base + i++ * size, size);
    else
      memcpy(tmp + k++ * size, base + j++ * size, size);
  }
  while (i < half)
    memcpy(tmp + k++ * size, base + i++ * size, size);
  while (j < n)
    memcpy(tmp + k++ * size, base + j++ * size, size);
  memcpy(base, tmp, n * size);
}

static void swap_bytes(char *a, char *b, size_t size) {
  while (size--) {
    char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  char *tmp;
  if (n < 2 || size == 0)
    return;
  tmp = malloc(n * size);
  if (tmp) {
    merge_sort(base, tmp, n, size, cmp);
    free(tmp);
  } else {
    /* No memory: insertion sort, also stable. */
    size_t i, j;
    char *b = base;
    for (i = 1; i < n; i++)
      for (j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
        swap_bytes(b + (j - 1) * size, b + j * size, size);
  }
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  size_t low = 0, high = n;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    const char *elem = (const char *)base + mid * size;
    int c = cmp(key, elem);
    if (c == 0)
      return (void *)elem;
    if (c < 0)
      high = mid;
    else
      low = mid + 1;
  }
  return NULL;
}

/* ---- integer helpers ---- */

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

div_t div(int num, int den) {
  div_t r;
  r.quot = num / den;
  r.rem = num % den;
  return r;
}

ldiv_t ldiv(long num, long den) {
  ldiv_t r;
  r.quot = num / den;
  r.rem = num % den;
  return r;
}

lldiv_t lldiv(long long num, long long den) {
  lldiv_t r;
  r.quot = num / den;
  r.rem = num % den;
  return r;
}

/* ---- rand: glibc's default generator (TYPE_3: additive feedback, r[i] = r[i-3] + r[i-31]),
 * seeded by a Lehmer generator and warmed up by 310 rounds, so sequences match glibc's. ---- */

#define RAND_DEGREE 31
#define RAND_SEPARATION 3
#define RAND_RING 34

static int rand_ring[RAND_RING];
static int rand_index;
static int rand_seeded;

void srand(unsigned int seed) {
  int i;
  int word = (int)(seed == 0 ? 1 : seed);
  rand_ring[0] = word;
  for (i = 1; i < RAND_DEGREE; i++) {
    /* word = 16807 * word % 2147483647, without overflowing 31 bits (Schrage). */
    int hi = word / 127773;
    int lo = word % 127773;
    word = 16807 * lo - 2836 * hi;
    if (word < 0)
      word += 2147483647;
    rand_ring[i] = word;
  }
  for (i = RAND_DEGREE; i < RAND_DEGREE + RAND_SEPARATION; i++)
    rand_ring[i] = rand_ring[i - RAND_DEGREE];
  rand_index = RAND_DEGREE + RAND_SEPARATION;
  rand_seeded = 1;
  for (i = 0; i < 310; i++)
    rand();
}

int rand(void) {
  int i;
  unsigned int value;
  if (!rand_seeded)
    srand(1);
  i = rand_index % RAND_RING;
  value = (unsigned int)rand_ring[(i + RAND_RING - RAND_DEGREE) % RAND_RING] +
          (unsigned int)rand_ring[(i + RAND_RING - RAND_SEPARATION) % RAND_RING];
  rand_ring[i] = (int)value;
  rand_index = i + 1;
  return (int)(value >> 1);
}

/* rand_r: POSIX's reentrant generator, glibc's three-step LCG. */
int rand_r(unsigned int *seed) {
  unsigned int next = *seed;
  int result;
  next *= 1103515245;
  next += 12345;
  result = (int)((next / 65536) % 2048);
  next *= 1103515245;
  next += 12345;
  result <<= 10;
  result ^= (int)((next / 65536) % 1024);
  next *= 1103515245;
  next += 12345;
  result <<= 10;
  result ^= (int)((next / 65536) % 1024);
  *seed = next;
  return result;
}

/* ---- system ---- */

int system(const char *command) {
  pid_t pid;
  int status;
  if (!command)
    return access("/bin/sh", X_OK) == 0;
  pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return status;
}
