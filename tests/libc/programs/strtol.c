/* strtol.c: strtol/strtoul/strtoll/strtoull/atoi/strtod edge cases: bases, prefixes, signs,
 * overflow with ERANGE, where parsing stops. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

static void show_long(const char *s, int base) {
  char *end;
  long v;
  errno = 0;
  v = strtol(s, &end, base);
  printf("strtol(\"%s\", %d) = %ld, end +%d, errno %d\n", s, base, v, (int)(end - s), errno);
}

static void show_unsigned(const char *s, int base) {
  char *end;
  unsigned long v;
  unsigned long long w;
  errno = 0;
  v = strtoul(s, &end, base);
  printf("strtoul(\"%s\", %d) = %lu, end +%d, errno %d\n", s, base, v, (int)(end - s), errno);
  errno = 0;
  w = strtoull(s, &end, base);
  printf("strtoull(\"%s\", %d) = %llu, end +%d, errno %d\n", s, base, w, (int)(end - s), errno);
}

static void show_double(const char *s) {
  char *end;
  double v;
  errno = 0;
  v = strtod(s, &end);
  printf("strtod(\"%s\") = %.17g, end +%d, errno %d\n", s, v, (int)(end - s), errno);
}

int main(void) {
  const char *longs[] = {"0", "42", "-42", "  +17xyz", "0x1f", "0X1F", "0x", "0xg", "017", "08", "z", "",
                         "   ", "-", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                         "-9223372036854775809", "99999999999999999999999", "1e5", " \t\n 12"};
  int bases[] = {0, 10, 16, 8, 2, 36};
  size_t i, j;
  char *end;

  for (i = 0; i < sizeof longs / sizeof longs[0]; i++)
    for (j = 0; j < sizeof bases / sizeof bases[0]; j++)
      show_long(longs[i], bases[j]);
  show_long("zz", 36);
  show_long("101", 2);
  show_long("777", 8);
  {
    long v;
    errno = 0;
    v = strtol("1", &end, 1);
    printf("strtol base 1: %ld errno %d\n", v, errno);
  }
  show_unsigned("18446744073709551615", 10);
  show_unsigned("18446744073709551616", 10);
  show_unsigned("-1", 10);
  show_unsigned("-18446744073709551615", 10);
  show_unsigned("ffffffffffffffff", 16);
  {
    long long v;
    errno = 0;
    v = strtoll("-9223372036854775809", &end, 10);
    printf("strtoll %lld errno %d\n", v, errno);
  }
  printf("atoi %d %d %d atol %ld atoll %lld\n", atoi("  -123abc"), atoi("abc"), atoi("2147483647"), atol("-99"), atoll("123456789012"));
  show_double("0");
  show_double("1.5");
  show_double("-2.25e3");
  show_double("  .5");
  show_double("5.");
  show_double("1e-3");
  show_double("123456789012345");
  show_double("0.1");
  show_double("3.14159");
  show_double("1e22");
  show_double("4.5e-10");
  show_double("1e400");
  show_double("-1e400");
  show_double("inf");
  show_double("-Infinity");
  show_double("0x1.8p3");
  show_double("0x10");
  show_double("1e");
  show_double("e5");
  show_double("-.");
  show_double("12.5e+2x");
  printf("atof %g\n", atof("6.25"));
  return 0;
}
