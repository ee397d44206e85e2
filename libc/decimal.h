/* decimal.h: exact decimal digits of binary floating-point values (decimal.c). */
#ifndef _KSIM_DECIMAL_H
#define _KSIM_DECIMAL_H
#include <stdint.h>

#define DECIMAL_MAX_LIMBS 100
#define DECIMAL_MAX_DIGITS (DECIMAL_MAX_LIMBS * 9)

/* A nonnegative value as 0.d[0] d[1] ... d[n-1] * 10^point, without leading or trailing zeros;
 * n == 0 is zero. */
struct decimal {
  char d[DECIMAL_MAX_DIGITS + 2];
  int n;
  int point;
};

/* Exactly mantissa * 2^exponent (mantissa < 2^62, exponent >= -1100). */
void __decimal_from_binary(uint64_t mantissa, int exponent, struct decimal *out);

/* Exactly |x| for a finite double x. */
void __decimal_from_double(double x, struct decimal *out);

/* Rounds to the first `keep` digits, ties to even; keep <= 0 gives 0 or 10^point. */
void __decimal_round(struct decimal *x, int keep);

/* -1, 0 or 1 as a < b, a == b, a > b. */
int __decimal_compare(const struct decimal *a, const struct decimal *b);
#endif
