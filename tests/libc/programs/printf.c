/* printf.c: every printf conversion, flag, width, precision and length modifier, and a sweep of
 * doubles (fixed values and pseudo-random bit patterns) in %f %e %g %a at several precisions. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stddef.h>
#include <limits.h>

static uint64_t state = 0x243f6a8885a308d3ULL;

static uint64_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static double double_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static void integers(void) {
  printf("[%d] [%i] [%u] [%o] [%x] [%X]\n", 42, -42, 42u, 42u, 255u, 255u);
  printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d]\n", 42, 42, 42, 42, 42, 42, 42);
  printf("[%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%5.0d] [%+.0d]\n", 7, 7, 7, 7, 0, 0, 0);
  printf("[%#o] [%#x] [%#X] [%#o] [%#x] [%#.3o] [%#5o] [%#08x]\n", 8u, 255u, 255u, 0u, 0u, 8u, 8u, 255u);
  printf("[%d] [%d] [%u] [%x]\n", INT_MAX, INT_MIN, UINT_MAX, UINT_MAX);
  printf("[%ld] [%ld] [%lu] [%lx]\n", LONG_MAX, LONG_MIN, ULONG_MAX, ULONG_MAX);
  printf("[%lld] [%lld] [%llu] [%llo]\n", LLONG_MAX, LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
  printf("[%hhd] [%hhu] [%hhx] [%hd] [%hu] [%hx]\n", 300, 300, -1, 70000, 70000, -1);
  printf("[%zd] [%zu] [%zx] [%jd] [%ju] [%td]\n", (ssize_t)-5, (size_t)5, (size_t)255, (intmax_t)-9, (uintmax_t)9, (ptrdiff_t)-3);
  printf("[%*d] [%-*d] [%*d] [%.*d] [%*.*d] [%.*d]\n", 6, 1, 6, 1, -6, 1, 4, 1, 7, 3, -1, -1, 5);
  printf("[%+i] [% i] [% +i] [%+u]\n", -3, 3, 3, 3u);
}

static void characters_and_strings(void) {
  const char *null_string = NULL;
  printf("[%c] [%3c] [%-3c] [%c]\n", 'a', 'b', 'c', 0x141);
  printf("[%s] [%10s] [%-10s] [%.2s] [%10.2s] [%-10.2s] [%.0s]\n", "hello", "hello", "hello", "hello", "hello", "hello", "hello");
  printf("[%s] [%.3s] [%.6s] [%10s]\n", null_string, null_string, null_string, null_string);
  printf("[%p] [%p] [%20p] [%-20p] [%p]\n", (void *)0x1234, (void *)0, (void *)0xdeadbeef, (void *)0xabc, (void *)-1);
  printf("[%%] [%5%] [%-5%]\n");
}

static void counts(void) {
  int n = 0;
  signed char hh = 0;
  short h = 0;
  long l = 0;
  long long ll = 0;
  size_t z = 0;
  int total = printf("abc%n def%hhn ghij%hn kl%ln m%lln%zn\n", &n, &hh, &h, &l, &ll, &z);
  printf("n=%d hh=%d h=%d l=%ld ll=%lld z=%zu total=%d\n", n, hh, h, l, ll, z, total);
}

static const char *const float_formats[] = {
  "%f", "%.0f", "%.1f", "%.3f", "%.10f", "%.20f", "%e", "%.0e", "%.1e", "%.3e", "%.16e", "%.20e",
  "%g", "%.0g", "%.1g", "%.3g", "%.10g", "%.17g", "%#g", "%#.3g", "%a", "%.0a", "%.3a", "%.20a", "%A",
  "%E", "%G", "%F", "%#.0f", "%#.0e", "%#a",
};

static void floats(double v) {
  size_t i;
  for (i = 0; i < sizeof float_formats / sizeof float_formats[0]; i++) {
    printf(float_formats[i], v);
    putchar(i + 1 < sizeof float_formats / sizeof float_formats[0] ? ' ' : '\n');
  }
}

static void float_flags(void) {
  double zero = 0.0, inf = 1.0 / zero;
  double values[] = {3.14159, -2.5, 0.0, -0.0, 1e10, 123456789.0};
  size_t i;
  for (i = 0; i < sizeof values / sizeof values[0]; i++) {
    double v = values[i];
    printf("[%12.3f] [%-12.3f] [%012.3f] [%+.2f] [% .2f] [%+012.3e] [%-+12.3g] [%012g] [%#12.3g] [%12a] [%-12.1a] [%012a]\n",
           v, v, v, v, v, v, v, v, v, v, v, v);
  }
  printf("[%*.*f] [%-*.*e] [%.*g]\n", 10, 2, 3.14159, 12, 3, 2.71828, 4, 1.0 / 3);
  printf("[%f] [%F] [%e] [%E] [%g] [%G] [%a] [%A]\n", inf, inf, -inf, -inf, inf, inf, inf, -inf);
  printf("[%10f] [%-10f] [%010f] [%+f] [% f]\n", inf, inf, -inf, inf, inf);
  printf("[%f] [%F] [%5g] [%-6e] [%+a]\n", zero / zero, -(zero / zero), zero / zero, zero / zero, zero / zero);
  printf("[%Lf] [%Le] [%Lg]\n", (long double)1.5, (long double)-0.125, (long double)1e20);
}

static void snprintf_limits(void) {
  char buf[16];
  int n;
  memset(buf, 'x', sizeof buf);
  n = snprintf(buf, 8, "%s-%d", "abcdef", 12345);
  printf("snprintf %d [%s] %c\n", n, buf, buf[9]);
  n = snprintf(buf, 0, "%d", 123456);
  printf("snprintf size 0: %d\n", n);
  n = snprintf(buf, 1, "%d", 123456);
  printf("snprintf size 1: %d [%s]\n", n, buf);
  n = sprintf(buf, "%05.1f|%x", 2.25, 48879);
  printf("sprintf %d [%s]\n", n, buf);
}

int main(void) {
  static const double fixed[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, 0.125, 0.3, 0.1, 0.2, 1.0 / 3, 2.0 / 3, 100.0, 1e6, 1e15, 1e16,
    1e17, 1e21, 1e22, 1e23, 123456.789, 9.999999, 0.95, 0.05, 0.0005, 0.00015, 1.005, 2.675, 5e-324,
    2.2250738585072014e-308, 1.7976931348623157e308, 4.9406564584124654e-324, 3.141592653589793,
    2.718281828459045, 6.02214076e23, 1.602176634e-19, 0.000123456, 99999.95, 999999.5, 1e-5, 1e-4, 123.0,
    9.9999995, 99.99995, 999.5, 0.00099999995, 9.5, 0.000099999995, 0.5e-300, 123e300,
  };
  size_t i;
  integers();
  characters_and_strings();
  counts();
  float_flags();
  snprintf_limits();
  for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    floats(fixed[i]);
  for (i = 0; i < 300; i++) {
    uint64_t bits = next_random();
    if (((bits >> 52) & 0x7ff) == 0x7ff)
      continue;
    floats(double_from_bits(bits));
  }
  /* Doubles of ordinary size, where rounding ties and carries happen. */
  for (i = 0; i < 300; i++) {
    double v = (double)(next_random() % 2000000) / 1024.0 - 500.0;
    printf("%.2f %.3f %.1e %g %.0f %.4g\n", v, v, v, v, v, v);
  }
  return 0;
}
