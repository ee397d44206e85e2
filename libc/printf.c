/* printf.c: the printf family's formatter, in C, matching glibc's output.
 * Conversions d i u o x X c s p n % f F e E g G a A; flags - + space # 0; width and precision
 * (numbers or *); length modifiers hh h l ll q z j t L. Positional arguments (%1$d) are not supported.
 *
 * Floating point is exact: the double m * 2^e is expanded to all of its decimal digits with big
 * integer arithmetic in base 10^9 (at most 767 significant digits), then rounded in decimal,
 * ties to even, as glibc does in the default rounding mode. long double is formatted as double. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "internal.h"
#include "stdio_impl.h"
#include "decimal.h"

/* ---- output sinks: a stream, a string of bounded size, or a counter ---- */

struct sink {
  FILE *file;    /* write here when set */
  char *str;     /* else copy here, keeping room for the NUL */
  size_t cap;    /* bytes available at str, including the NUL */
  size_t count;  /* bytes produced so far (what printf returns) */
  int error;
};

static void put(struct sink *s, const char *p, size_t n) {
  if (n == 0)
    return;
  if (s->file) {
    if (__stream_write(s->file, p, n) != n)
      s->error = 1;
  } else if (s->str && s->count + 1 < s->cap) {
    size_t room = s->cap - 1 - s->count;
    memcpy(s->str + s->count, p, n < room ? n : room);
  }
  s->count += n;
}

static void put_repeated(struct sink *s, char c, size_t n) {
  char chunk[64];
  memset(chunk, c, sizeof chunk);
  while (n > 0) {
    size_t k = n < sizeof chunk ? n : sizeof chunk;
    put(s, chunk, k);
    n -= k;
  }
}

/* ---- one conversion specification ---- */

struct spec {
  int left;       /* '-' */
  int plus;       /* '+' */
  int space;      /* ' ' */
  int alt;        /* '#' */
  int zero;       /* '0' */
  int width;      /* -1: none */
  int precision;  /* -1: none */
  char conv;
};

/* Writes prefix (sign, 0x) then body, padded to the width: spaces on the left or right, or zeros
 * between prefix and body. */
static void put_padded(struct sink *s, const struct spec *sp, const char *prefix, size_t prefix_len,
                       size_t zeros, const char *body, size_t body_len, int zero_pad) {
  size_t len = prefix_len + zeros + body_len;
  size_t pad = sp->width > 0 && (size_t)sp->width > len ? (size_t)sp->width - len : 0;
  if (!sp->left && !zero_pad)
    put_repeated(s, ' ', pad);
  put(s, prefix, prefix_len);
  if (!sp->left && zero_pad)
    put_repeated(s, '0', pad);
  put_repeated(s, '0', zeros);
  put(s, body, body_len);
  if (sp->left)
    put_repeated(s, ' ', pad);
}

/* ---- integers ---- */

static void format_integer(struct sink *s, const struct spec *sp, unsigned long long value, int negative) {
  char digits[32];
  char prefix[3];
  size_t prefix_len = 0, n = 0, zeros = 0;
  int base = 10;
  const char *alphabet = "0123456789abcdef";
  int is_signed = sp->conv == 'd' || sp->conv == 'i';

  if (sp->conv == 'o')
    base = 8;
  else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
    base = 16;
  if (sp->conv == 'X')
    alphabet = "0123456789ABCDEF";

  if (!(value == 0 && sp->precision == 0)) {
    unsigned long long v = value;
    char reversed[32];
    size_t k = 0;
    do {
      reversed[k++] = alphabet[v % (unsigned)base];
      v /= (unsigned)base;
    } while (v);
    while (k)
      digits[n++] = reversed[--k];
  }

  if (is_signed) {
    if (negative)
      prefix[prefix_len++] = '-';
    else if (sp->plus)
      prefix[prefix_len++] = '+';
    else if (sp->space)
      prefix[prefix_len++] = ' ';
  }
  if (sp->conv == 'p' || (sp->alt && value != 0 && (sp->conv == 'x' || sp->conv == 'X'))) {
    prefix[prefix_len++] = '0';
    prefix[prefix_len++] = sp->conv == 'X' ? 'X' : 'x';
  }
  if (sp->precision >= 0 && (size_t)sp->precision > n)
    zeros = (size_t)sp->precision - n;
  if (sp->alt && sp->conv == 'o' && zeros == 0 && (n == 0 || digits[0] != '0'))
    zeros = 1;
  put_padded(s, sp, prefix, prefix_len, zeros, digits, n, sp->zero && sp->precision < 0);
}

static char decimal_digit(const struct decimal *x, int i) {
  return i >= 0 && i < x->n ? x->d[i] : '0';
}

/* Puts the digits of positions [from, to) of x, '0' outside the stored digits. */
static void put_digits(struct sink *s, const struct decimal *x, int from, int to) {
  char chunk[64];
  int k = 0, i;
  for (i = from; i < to; i++) {
    chunk[k++] = decimal_digit(x, i);
    if (k == (int)sizeof chunk) {
      put(s, chunk, (size_t)k);
      k = 0;
    }
  }
  put(s, chunk, (size_t)k);
}

/* %f body: integer part, then '.', then `precision` digits. x is already rounded. */
static void put_fixed(struct sink *s, const struct decimal *x, int precision, int force_point) {
  if (x->n == 0 || x->point <= 0)
    put(s, "0", 1);
  else
    put_digits(s, x, 0, x->point);
  if (precision > 0 || force_point)
    put(s, ".", 1);
  if (x->n == 0)
    put_repeated(s, '0', (size_t)precision);
  else
    put_digits(s, x, x->point, x->point + precision);
}

/* %e body: d.ddd then e+XX. x is already rounded to precision + 1 digits. */
static void put_exponential(struct sink *s, const struct decimal *x, int precision, int force_point, int upper) {
  char exp_text[8];
  int e = x->n == 0 ? 0 : x->point - 1;
  int len = 0, k;
  unsigned int magnitude = (unsigned int)(e < 0 ? -e : e);
  char reversed[8];

  put_digits(s, x, 0, 1);
  if (precision > 0 || force_point)
    put(s, ".", 1);
  put_digits(s, x, 1, 1 + precision);
  exp_text[len++] = upper ? 'E' : 'e';
  exp_text[len++] = e < 0 ? '-' : '+';
  k = 0;
  do {
    reversed[k++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude);
  if (k < 2)
    reversed[k++] = '0';
  while (k)
    exp_text[len++] = reversed[--k];
  put(s, exp_text, (size_t)len);
}

/* How a %g value is shown once rounded: as %f or %e, with how many fraction digits.
 * carried_past_precision: glibc's quirk, seen only with '#': when the unrounded value would print
 * as %f with no fraction digits but rounding carries it to 10^precision, glibc prints it as %e
 * with no fraction digits ("%#g" of 999999.5 is "1.e+06", not "1.00000e+06"). */
static void put_general(struct sink *s, const struct decimal *x, int precision, int alt, int upper,
                        int carried_past_precision) {
  int p = precision == 0 ? 1 : precision;
  int e = x->n == 0 ? 0 : x->point - 1;
  int fraction;
  if (carried_past_precision) {
    put_exponential(s, x, 0, alt, upper);
  } else if (e < p && e >= -4) {
    fraction = p - 1 - e;
    if (!alt) {
      /* Strip trailing zeros: show only the digits that exist after the point. */
      int stored = x->n - x->point;
      if (x->n == 0)
        stored = 0;
      fraction = stored < fraction ? (stored > 0 ? stored : 0) : fraction;
    }
    put_fixed(s, x, fraction, alt);
  } else {
    fraction = p - 1;
    if (!alt)
      fraction = x->n - 1 < fraction ? (x->n > 1 ? x->n - 1 : 0) : fraction;
    put_exponential(s, x, fraction, alt, upper);
  }
}

/* %a body for a finite double after the 0x prefix: 1.hhhp+d (0.hhhp-1022 for subnormals), glibc style. */
static uint64_t double_bits(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits;
}

static void put_hex_float(struct sink *s, double v, int precision, int alt, int upper) {
  uint64_t bits = double_bits(v);
  int biased = (int)((bits >> 52) & 0x7ff);
  uint64_t fraction = bits & 0xfffffffffffffULL;
  int lead = biased == 0 ? 0 : 1;
  int exponent = biased == 0 ? (fraction == 0 ? 0 : -1022) : biased - 1023;
  const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char text[40];
  int len = 0, digits = 13, i, k;
  char reversed[8];
  unsigned int magnitude;

  if (precision >= 0 && precision < 13) {
    /* Round the 52-bit fraction to 4*precision bits, ties to even. */
    int drop = 4 * (13 - precision);
    uint64_t kept = fraction >> drop;
    uint64_t rest = fraction & ((1ULL << drop) - 1);
    uint64_t half = 1ULL << (drop - 1);
    if (rest > half || (rest == half && ((precision == 0 ? (uint64_t)lead : kept) & 1)))
      kept++;
    if (precision == 0 ? kept > 0 : (kept >> (4 * precision)) != 0) {
      lead++;
      kept = precision == 0 ? 0 : kept & ((1ULL << (4 * precision)) - 1);
    }
    fraction = kept << drop;
    digits = precision;
  } else if (precision < 0) {
    while (digits > 0 && ((fraction >> (4 * (13 - digits))) & 0xf) == 0)
      digits--;
  }
  text[len++] = (char)('0' + lead);
  if (digits > 0 || alt)
    text[len++] = '.';
  for (i = 0; i < digits && i < 13; i++)
    text[len++] = alphabet[(fraction >> (48 - 4 * i)) & 0xf];
  put(s, text, (size_t)len);
  if (precision > 13)
    put_repeated(s, '0', (size_t)(precision - 13));
  len = 0;
  text[len++] = upper ? 'P' : 'p';
  text[len++] = exponent < 0 ? '-' : '+';
  magnitude = (unsigned int)(exponent < 0 ? -exponent : exponent);
  k = 0;
  do {
    reversed[k++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude);
  while (k)
    text[len++] = reversed[--k];
  put(s, text, (size_t)len);
}

/* Writes the body of a finite float conversion (no sign) to s. */
static void put_float_body(struct sink *s, const struct spec *sp, double v, struct decimal *x, int carried) {
  int upper = sp->conv >= 'A' && sp->conv <= 'Z';
  int precision = sp->precision < 0 ? 6 : sp->precision;
  switch (sp->conv) {
  case 'f':
  case 'F':
    put_fixed(s, x, precision, sp->alt);
    break;
  case 'e':
  case 'E':
    put_exponential(s, x, precision, sp->alt, upper);
    break;
  case 'g':
  case 'G':
    put_general(s, x, precision, sp->alt, upper, carried);
    break;
  default:
    put_hex_float(s, v, sp->precision, sp->alt, upper);
    break;
  }
}

static void format_float(struct sink *s, const struct spec *sp, double v) {
  uint64_t bits = double_bits(v);
  int negative = (int)(bits >> 63);
  int upper = sp->conv >= 'A' && sp->conv <= 'Z';
  int precision = sp->precision < 0 ? 6 : sp->precision;
  char prefix[3];
  size_t prefix_len = 0;
  int carried = 0;
  struct decimal x;
  struct sink counter;
  double magnitude = negative ? -v : v;

  if (negative)
    prefix[prefix_len++] = '-';
  else if (sp->plus)
    prefix[prefix_len++] = '+';
  else if (sp->space)
    prefix[prefix_len++] = ' ';

  if (((bits >> 52) & 0x7ff) == 0x7ff) {
    const char *text = (bits & 0xfffffffffffffULL) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    put_padded(s, sp, prefix, prefix_len, 0, text, 3, 0);
    return;
  }

  x.n = 0;
  x.point = 0;
  if (sp->conv != 'a' && sp->conv != 'A') {
    if (magnitude != 0)
      __decimal_from_double(magnitude, &x);
    if (sp->conv == 'f' || sp->conv == 'F')
      __decimal_round(&x, x.point + precision);
    else if (sp->conv == 'e' || sp->conv == 'E')
      __decimal_round(&x, precision + 1);
    else {
      int p = precision == 0 ? 1 : precision;
      int unrounded_exponent = x.point - 1;
      __decimal_round(&x, p);
      carried = magnitude != 0 && unrounded_exponent == p - 1 && x.point - 1 == p;
    }
  } else {
    prefix[prefix_len++] = '0';
    prefix[prefix_len++] = upper ? 'X' : 'x';
  }

  /* Measure the body, then pad and write it. */
  memset(&counter, 0, sizeof counter);
  put_float_body(&counter, sp, magnitude, &x, carried);
  {
    size_t len = prefix_len + counter.count;
    size_t pad = sp->width > 0 && (size_t)sp->width > len ? (size_t)sp->width - len : 0;
    if (!sp->left && !sp->zero)
      put_repeated(s, ' ', pad);
    put(s, prefix, prefix_len);
    if (!sp->left && sp->zero)
      put_repeated(s, '0', pad);
    put_float_body(s, sp, magnitude, &x, carried);
    if (sp->left)
      put_repeated(s, ' ', pad);
  }
}

/* ---- the driver ---- */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

static int format_to_sink(struct sink *s, const char *fmt, va_list ap) {
  while (*fmt) {
    struct spec sp;
    enum length length = LEN_NONE;
    const char *start = fmt;

    if (*fmt != '%') {
      const char *next = strchrnul(fmt, '%');
      put(s, fmt, (size_t)(next - fmt));
      fmt = next;
      continue;
    }
    fmt++;
    memset(&sp, 0, sizeof sp);
    sp.width = -1;
    sp.precision = -1;
    for (;; fmt++) {
      if (*fmt == '-')
        sp.left = 1;
      else if (*fmt == '+')
        sp.plus = 1;
      else if (*fmt == ' ')
        sp.space = 1;
      else if (*fmt == '#')
        sp.alt = 1;
      else if (*fmt == '0')
        sp.zero = 1;
      else
        break;
    }
    if (*fmt == '*') {
      int w = va_arg(ap, int);
      fmt++;
      if (w < 0) {
        sp.left = 1;
        w = -w;
      }
      sp.width = w;
    } else {
      int w = 0, any = 0;
      while (*fmt >= '0' && *fmt <= '9')
        w = w * 10 + (*fmt++ - '0'), any = 1;
      if (any)
        sp.width = w;
    }
    if (*fmt == '.') {
      fmt++;
      if (*fmt == '*') {
        int p = va_arg(ap, int);
        fmt++;
        sp.precision = p < 0 ? -1 : p;
      } else {
        int p = 0;
        while (*fmt >= '0' && *fmt <= '9')
          p = p * 10 + (*fmt++ - '0');
        sp.precision = p;
      }
    }
    switch (*fmt) {
    case 'h':
      length = fmt[1] == 'h' ? LEN_HH : LEN_H;
      fmt += length == LEN_HH ? 2 : 1;
      break;
    case 'l':
      length = fmt[1] == 'l' ? LEN_LL : LEN_L;
      fmt += length == LEN_LL ? 2 : 1;
      break;
    case 'q':
      length = LEN_LL;
      fmt++;
      break;
    case 'L':
      length = LEN_BIG_L;
      fmt++;
      break;
    case 'z':
      length = LEN_Z;
      fmt++;
      break;
    case 'j':
      length = LEN_J;
      fmt++;
      break;
    case 't':
      length = LEN_T;
      fmt++;
      break;
    }
    sp.conv = *fmt;
    if (sp.left)
      sp.zero = 0;
    if (sp.plus)
      sp.space = 0;
    switch (sp.conv) {
    case 'd':
    case 'i': {
      long long v;
      if (length == LEN_HH)
        v = (signed char)va_arg(ap, int);
      else if (length == LEN_H)
        v = (short)va_arg(ap, int);
      else if (length == LEN_L)
        v = va_arg(ap, long);
      else if (length == LEN_LL || length == LEN_J || length == LEN_BIG_L)
        v = va_arg(ap, long long);
      else if (length == LEN_Z)
        v = va_arg(ap, ssize_t);
      else if (length == LEN_T)
        v = va_arg(ap, ptrdiff_t);
      else
        v = va_arg(ap, int);
      format_integer(s, &sp, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
      break;
    }
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      unsigned long long v;
      if (length == LEN_HH)
        v = (unsigned char)va_arg(ap, unsigned int);
      else if (length == LEN_H)
        v = (unsigned short)va_arg(ap, unsigned int);
      else if (length == LEN_L)
        v = va_arg(ap, unsigned long);
      else if (length == LEN_LL || length == LEN_J || length == LEN_BIG_L)
        v = va_arg(ap, unsigned long long);
      else if (length == LEN_Z)
        v = va_arg(ap, size_t);
      else if (length == LEN_T)
        v = (unsigned long long)va_arg(ap, ptrdiff_t);
      else
        v = va_arg(ap, unsigned int);
      format_integer(s, &sp, v, 0);
      break;
    }
    case 'p': {
      void *ptr = va_arg(ap, void *);
      if (!ptr) {
        sp.zero = 0;
        put_padded(s, &sp, "", 0, 0, "(nil)", 5, 0);
      } else {
        format_integer(s, &sp, (unsigned long long)(uintptr_t)ptr, 0);
      }
      break;
    }
    case 'c': {
      char c = (char)va_arg(ap, int);
      put_padded(s, &sp, "", 0, 0, &c, 1, 0);
      break;
    }
    case 's': {
      const char *str = va_arg(ap, const char *);
      size_t n;
      if (!str)
        str = sp.precision < 0 || sp.precision >= 6 ? "(null)" : "";
      n = sp.precision >= 0 ? strnlen(str, (size_t)sp.precision) : strlen(str);
      put_padded(s, &sp, "", 0, 0, str, n, 0);
      break;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A': {
      double v;
      if (length == LEN_BIG_L)
        v = (double)va_arg(ap, long double);
      else
        v = va_arg(ap, double);
      format_float(s, &sp, v);
      break;
    }
    case 'n': {
      void *target = va_arg(ap, void *);
      if (length == LEN_HH)
        *(signed char *)target = (signed char)s->count;
      else if (length == LEN_H)
        *(short *)target = (short)s->count;
      else if (length == LEN_L)
        *(long *)target = (long)s->count;
      else if (length == LEN_LL || length == LEN_J)
        *(long long *)target = (long long)s->count;
      else if (length == LEN_Z)
        *(size_t *)target = s->count;
      else if (length == LEN_T)
        *(ptrdiff_t *)target = (ptrdiff_t)s->count;
      else
        *(int *)target = (int)s->count;
      break;
    }
    case '%':
      put(s, "%", 1);
      break;
    default:
      /* An unknown conversion is printed as written, as glibc does. */
      if (!*fmt) {
        put(s, start, (size_t)(fmt - start));
        return s->error ? -1 : (int)s->count;
      }
      put(s, start, (size_t)(fmt + 1 - start));
      break;
    }
    fmt++;
  }
  return s->error ? -1 : (int)s->count;
}

int __format_to_stream(FILE *f, const char *fmt, va_list ap) {
  struct sink s;
  memset(&s, 0, sizeof s);
  s.file = f;
  return format_to_sink(&s, fmt, ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct sink s;
  int n;
  memset(&s, 0, sizeof s);
  s.str = buf;
  s.cap = size;
  n = format_to_sink(&s, fmt, ap);
  if (size > 0)
    buf[s.count < size ? s.count : size - 1] = 0;
  return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap) {
  return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

int sprintf(char *buf, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, SIZE_MAX, fmt, ap);
  va_end(ap);
  return n;
}
