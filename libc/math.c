/* math.c: basic floating-point functions in plain C (IEEE doubles). Accuracy: fabs, floor, ceil,
 * trunc, round, fmod, sqrt, frexp, ldexp and modf are exact; exp, log, pow, sin, cos, tan, atan
 * use range reduction and series and are within a few units in the last place, not glibc's
 * correctly rounded results. */
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint64_t bits_of(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static double double_of(uint64_t b) {
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

int __ksim_signbit(double x) { return (int)(bits_of(x) >> 63); }
double fabs(double x) { return double_of(bits_of(x) & ~(1ULL << 63)); }

double trunc(double x) {
  uint64_t b = bits_of(x);
  int e = (int)((b >> 52) & 0x7ff) - 1023;
  if (e >= 52)
    return x;
  if (e < 0)
    return double_of(b & (1ULL << 63));
  return double_of(b & ~((1ULL << (52 - e)) - 1));
}

double floor(double x) {
  double t = trunc(x);
  return t > x ? t - 1 : t;
}

double ceil(double x) {
  double t = trunc(x);
  return t < x ? t + 1 : t;
}

double round(double x) {
  double t = trunc(x);
  if (fabs(x - t) >= 0.5)
    t += x < 0 ? -1 : 1;
  return t;
}

/* modf: the fraction keeps x's sign, zero included (modf(-3.0) is -0.0). */
double modf(double x, double *ipart) {
  double fraction;
  *ipart = trunc(x);
  fraction = isinf(x) ? 0.0 : x - *ipart;
  return double_of((bits_of(fraction) & ~(1ULL << 63)) | (bits_of(x) & (1ULL << 63)));
}

double frexp(double x, int *exp) {
  uint64_t b = bits_of(x);
  int e = (int)((b >> 52) & 0x7ff);
  if (e == 0) {
    if (x == 0) {
      *exp = 0;
      return x;
    }
    x *= 18014398509481984.0; /* 2^54 */
    b = bits_of(x);
    e = (int)((b >> 52) & 0x7ff) - 54;
  } else if (e == 0x7ff) {
    *exp = 0;
    return x;
  }
  *exp = e - 1022;
  return double_of((b & ~(0x7ffULL << 52)) | (1022ULL << 52));
}

/* 2^e for -1022 <= e <= 1023, built from its bits. */
static double power_of_two(int e) {
  return double_of((uint64_t)(e + 1023) << 52);
}

double ldexp(double x, int exp) {
  while (exp > 1000) {
    x *= power_of_two(1000);
    exp -= 1000;
  }
  while (exp < -1000) {
    x *= power_of_two(-1000);
    exp += 1000;
  }
  if (exp >= -1022)
    return x * power_of_two(exp);
  return x * power_of_two(-1000) * power_of_two(exp + 1000);
}

double fmod(double x, double y) {
  double r;
  if (isnan(x) || isnan(y) || isinf(x) || y == 0)
    return NAN;
  if (isinf(y) || fabs(x) < fabs(y))
    return x;
  r = fabs(x);
  y = fabs(y);
  while (r >= y) {
    double d = y;
    while (d * 2 <= r && !isinf(d * 2))
      d *= 2;
    r -= d; /* exact: r and d are within a factor of two */
  }
  return x < 0 ? -r : r;
}

/* sqrt, correctly rounded: the integer square root of the significand (shifted to 108 bits) taken
 * two bits at a time, then rounded to nearest with the remainder as the sticky bit. */
double sqrt(double x) {
  uint64_t b = bits_of(x), m, q = 0, r = 0, mantissa;
  int e, i;
  if (isnan(x) || x == 0 || (x > 0 && isinf(x)))
    return x;
  if (x < 0)
    return NAN;
  e = (int)((b >> 52) & 0x7ff);
  m = b & ((1ULL << 52) - 1);
  if (e == 0) {
    e = 1;
    while (!(m & (1ULL << 52))) {
      m <<= 1;
      e--;
    }
  } else {
    m |= 1ULL << 52;
  }
  e -= 1075; /* x = m * 2^e */
  if (e % 2 != 0) {
    m <<= 1;
    e--;
  }
  for (i = 53; i >= 0; i--) {
    uint64_t pair = i >= 27 ? (m >> (2 * i - 54)) & 3 : 0;
    uint64_t trial;
    r = (r << 2) | pair;
    trial = (q << 2) | 1;
    q <<= 1;
    if (r >= trial) {
      r -= trial;
      q |= 1;
    }
  }
  mantissa = q >> 1;
  if ((q & 1) && (r != 0 || (mantissa & 1)))
    mantissa++;
  return ldexp((double)mantissa, e / 2 - 26);
}

double exp(double x) {
  double k, r, term, sum;
  int i, n;
  if (isnan(x))
    return x;
  if (x > 709.8)
    return INFINITY;
  if (x < -745.2)
    return 0;
  k = round(x / M_LN2);
  n = (int)k;
  r = x - k * 0.6931471803691238 - k * 1.9082149292705877e-10;
  sum = 1;
  term = 1;
  for (i = 1; i < 30; i++) {
    term *= r / i;
    sum += term;
    if (fabs(term) < 1e-17 * fabs(sum))
      break;
  }
  return ldexp(sum, n);
}

double log(double x) {
  double m, s, s2, term, sum;
  int e, i;
  if (isnan(x) || x < 0)
    return NAN;
  if (x == 0)
    return -INFINITY;
  if (isinf(x))
    return x;
  m = frexp(x, &e);
  if (m < M_SQRT2 / 2) {
    m *= 2;
    e--;
  }
  /* log(m) = 2 atanh((m - 1) / (m + 1)) */
  s = (m - 1) / (m + 1);
  s2 = s * s;
  term = s;
  sum = 0;
  for (i = 1; i < 80; i += 2) {
    sum += term / i;
    term *= s2;
    if (fabs(term) < 1e-18)
      break;
  }
  return 2 * sum + e * M_LN2;
}

double log10(double x) { return log(x) / M_LN10; }
double log2(double x) { return log(x) / M_LN2; }

double pow(double x, double y) {
  double yi;
  if (y == 0)
    return 1;
  if (isnan(x) || isnan(y))
    return NAN;
  yi = trunc(y);
  if (yi == y && fabs(y) <= 1024) {
    /* Integer exponent: repeated squaring. */
    double result = 1, base = x;
    long n = (long)fabs(y);
    while (n) {
      if (n & 1)
        result *= base;
      base *= base;
      n >>= 1;
    }
    return y < 0 ? 1 / result : result;
  }
  if (x < 0)
    return NAN;
  if (x == 0)
    return y > 0 ? 0 : INFINITY;
  return exp(y * log(x));
}

/* sin and cos on [-pi/4, pi/4] by Taylor series, after reducing x modulo pi/2. */
static double sin_series(double r) {
  double r2 = r * r, term = r, sum = r;
  int i;
  for (i = 1; i < 15; i++) {
    term *= -r2 / ((2 * i) * (2 * i + 1));
    sum += term;
  }
  return sum;
}

static double cos_series(double r) {
  double r2 = r * r, term = 1, sum = 1;
  int i;
  for (i = 1; i < 15; i++) {
    term *= -r2 / ((2 * i - 1) * (2 * i));
    sum += term;
  }
  return sum;
}

static double reduce_quarter_turns(double x, int *quadrant) {
  double k = round(x / (M_PI / 2));
  *quadrant = (int)((long long)k & 3);
  return x - k * 1.5707963267341256 - k * 6.077100506506192e-11;
}

double sin(double x) {
  int q;
  double r;
  if (isnan(x) || isinf(x))
    return NAN;
  r = reduce_quarter_turns(x, &q);
  switch (q) {
  case 0: return sin_series(r);
  case 1: return cos_series(r);
  case 2: return -sin_series(r);
  default: return -cos_series(r);
  }
}

double cos(double x) {
  int q;
  double r;
  if (isnan(x) || isinf(x))
    return NAN;
  r = reduce_quarter_turns(x, &q);
  switch (q) {
  case 0: return cos_series(r);
  case 1: return -sin_series(r);
  case 2: return -cos_series(r);
  default: return sin_series(r);
  }
}

double tan(double x) { return sin(x) / cos(x); }

/* atan: reduce to |x| <= tan(pi/12) with atan(x) = pi/6 + atan((x*sqrt3 - 1)/(x + sqrt3)), then series. */
double atan(double x) {
  int negative = x < 0, inverted = 0, shifted = 0;
  double sum, term, x2;
  int i;
  if (isnan(x))
    return x;
  if (negative)
    x = -x;
  if (x > 1) {
    x = 1 / x;
    inverted = 1;
  }
  if (x > 0.2679491924311227) {
    x = (x * 1.7320508075688772 - 1) / (x + 1.7320508075688772);
    shifted = 1;
  }
  x2 = x * x;
  term = x;
  sum = 0;
  for (i = 1; i < 60; i += 2) {
    sum += term / i;
    term *= -x2;
  }
  if (shifted)
    sum += M_PI / 6;
  if (inverted)
    sum = M_PI / 2 - sum;
  return negative ? -sum : sum;
}

double atan2(double y, double x) {
  if (isnan(x) || isnan(y))
    return NAN;
  if (x > 0)
    return atan(y / x);
  if (x < 0)
    return (__ksim_signbit(y) ? -M_PI : M_PI) + atan(y / x);
  if (y == 0)
    return y;
  return y > 0 ? M_PI / 2 : -M_PI / 2;
}
