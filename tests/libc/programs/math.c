/* math.c: the math.h functions that must be exact (rounding, remainders, sqrt, scaling by powers
 * of two), over fixed and pseudo-random doubles. */
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint64_t state = 0x2545f4914f6cdd1dULL;

static uint64_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static void show(double v) {
  int e;
  double ip, f = frexp(v, &e), frac = modf(v, &ip);
  printf("%a: floor %a ceil %a trunc %a round %a fabs %a sqrt %a fmod %a %a frexp %a %d modf %a %a ldexp %a %a\n", v,
         floor(v), ceil(v), trunc(v), round(v), fabs(v), sqrt(fabs(v)), fmod(v, 0.75), fmod(v, -3e-5), f, e, frac, ip,
         ldexp(v, 7), ldexp(v, -1030));
}

int main(void) {
  static const double fixed[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.7, 1e16, 4503599627370497.0, 0.49999999999999994,
                                 2.0, 10.0, 1e-3, 1e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308};
  size_t i;
  for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    show(fixed[i]);
  for (i = 0; i < 1500; i++) {
    uint64_t bits = next_random();
    double v;
    if (((bits >> 52) & 0x7ff) == 0x7ff)
      continue;
    memcpy(&v, &bits, sizeof v);
    if (i % 2)
      v = (double)(int64_t)(bits % 100000000) / 4096.0;
    show(v);
  }
  printf("sqrt(-1) is nan %d, sqrt(-0) %a\n", isnan(sqrt(-1.0)), sqrt(-0.0));
  return 0;
}
