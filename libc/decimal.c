/* decimal.c: exact conversion of binary floating point to decimal digits, shared by printf (to
 * print doubles exactly) and strtod (to round decimal input exactly). A value m * 2^e becomes the
 * big integer m * 2^e, or m * 5^-e scaled by 10^e when e < 0, computed in base 10^9 limbs. */
#include <string.h>
#include "decimal.h"

#define LIMB_BASE 1000000000U

/* big = big * factor + 0 for a little-endian base-10^9 number; factor < 2^32. */
static void big_multiply(uint32_t *big, int *len, uint32_t factor) {
  uint64_t carry = 0;
  int i;
  for (i = 0; i < *len; i++) {
    uint64_t t = (uint64_t)big[i] * factor + carry;
    big[i] = (uint32_t)(t % LIMB_BASE);
    carry = t / LIMB_BASE;
  }
  while (carry) {
    big[(*len)++] = (uint32_t)(carry % LIMB_BASE);
    carry /= LIMB_BASE;
  }
}

void __decimal_from_binary(uint64_t mantissa, int exponent, struct decimal *out) {
  uint32_t big[DECIMAL_MAX_LIMBS];
  int len = 0, i, scale;
  char *p;

  while (mantissa) {
    big[len++] = (uint32_t)(mantissa % LIMB_BASE);
    mantissa /= LIMB_BASE;
  }
  /* x = big * 2^exponent. For exponent < 0 use x = big * 5^-exponent / 10^-exponent. */
  scale = 0;
  if (exponent >= 0) {
    int e = exponent;
    while (e > 0) {
      int k = e < 29 ? e : 29;
      big_multiply(big, &len, 1U << k);
      e -= k;
    }
  } else {
    int e = -exponent;
    scale = e;
    while (e > 0) {
      int k = e < 13 ? e : 13;
      uint32_t f = 1;
      int j;
      for (j = 0; j < k; j++)
        f *= 5;
      big_multiply(big, &len, f);
      e -= k;
    }
  }
  /* Print big's limbs, most significant first, 9 digits each (leading zeros go below). */
  p = out->d;
  for (i = len - 1; i >= 0; i--) {
    char limb[9];
    uint32_t v = big[i];
    int j;
    for (j = 8; j >= 0; j--) {
      limb[j] = (char)('0' + v % 10);
      v /= 10;
    }
    memcpy(p, limb, 9);
    p += 9;
  }
  out->n = (int)(p - out->d);
  /* Drop leading zeros, then trailing ones (they carry no information). */
  for (i = 0; i < out->n && out->d[i] == '0'; i++)
    ;
  memmove(out->d, out->d + i, (size_t)(out->n - i));
  out->n -= i;
  out->point = out->n - scale;
  while (out->n > 0 && out->d[out->n - 1] == '0')
    out->n--;
  if (out->n == 0)
    out->point = 0;
}

/* Rounds to the first `keep` digits, ties to even. keep may be <= 0 (then the result is 0 or a
 * single 1 at the next position up). n == 0 means the value is zero. */
void __decimal_round(struct decimal *x, int keep) {
  int up, i;
  if (keep >= x->n)
    return;
  if (keep < 0) {
    x->n = 0;
    return;
  }
  if (x->d[keep] > '5') {
    up = 1;
  } else if (x->d[keep] < '5') {
    up = 0;
  } else {
    up = 0;
    for (i = keep + 1; i < x->n; i++)
      if (x->d[i] != '0')
        up = 1;
    if (!up)
      up = keep > 0 && ((x->d[keep - 1] - '0') & 1);
  }
  x->n = keep;
  if (up) {
    for (i = keep - 1; i >= 0; i--) {
      if (x->d[i] < '9') {
        x->d[i]++;
        break;
      }
      x->d[i] = '0';
    }
    if (i < 0) {
      /* All nines (or keep == 0): the value becomes 10^point. */
      x->d[0] = '1';
      x->n = 1;
      x->point++;
    }
  }
  while (x->n > 0 && x->d[x->n - 1] == '0')
    x->n--;
  if (x->n == 0)
    x->point = 0;
}

void __decimal_from_double(double x, struct decimal *out) {
  uint64_t bits;
  int biased;
  uint64_t mantissa;
  memcpy(&bits, &x, sizeof bits);
  biased = (int)((bits >> 52) & 0x7ff);
  mantissa = bits & 0xfffffffffffffULL;
  if (biased == 0)
    __decimal_from_binary(mantissa, -1074, out);
  else
    __decimal_from_binary(mantissa | (1ULL << 52), biased - 1075, out);
}

int __decimal_compare(const struct decimal *a, const struct decimal *b) {
  int i, n;
  if (a->n == 0 || b->n == 0)
    return (a->n != 0) - (b->n != 0);
  if (a->point != b->point)
    return a->point > b->point ? 1 : -1;
  n = a->n > b->n ? a->n : b->n;
  for (i = 0; i < n; i++) {
    char x = i < a->n ? a->d[i] : '0';
    char y = i < b->n ? b->d[i] : '0';
    if (x != y)
      return x > y ? 1 : -1;
  }
  return 0;
}
