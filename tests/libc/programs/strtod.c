/* strtod.c: strtod must be correctly rounded like glibc's: halfway cases, the edges of the
 * subnormal and overflow ranges, long inputs, and round trips of pseudo-random doubles printed
 * with %.17g and with fewer digits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static void show(const char *s) {
  char *end;
  double v;
  uint64_t bits;
  errno = 0;
  v = strtod(s, &end);
  memcpy(&bits, &v, sizeof bits);
  printf("%s -> %016llx %.17g end+%d errno %d\n", s, (unsigned long long)bits, v, (int)(end - s), errno);
}

int main(void) {
  static const char *const cases[] = {
    "9007199254740993", "9007199254740995", "9007199254740993.0000000000000000001", "1e23", "8.5e-1",
    "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062327e-324",
    "2.4703282292062328e-324", "1e-324", "3e-324", "1.7976931348623157e308", "1.7976931348623158e308",
    "1.7976931348623159e308", "1e308", "1e309", "0.1", "0.3", "123456789012345678901234567890",
    "0.000000000000000000000000000001", "7.2057594037927933e16", "4.35679e-310", "1.0000000000000002",
    "1.00000000000000011102230246251565404236316680908203125", "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126", "5e-1", "00000.00001e5", "-0", "-0.0e10", "1e-400",
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999",
  };
  char text[64];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    show(cases[i]);
  for (i = 0; i < 2000; i++) {
    uint64_t bits = next_random();
    double v;
    if (((bits >> 52) & 0x7ff) == 0x7ff)
      continue;
    memcpy(&v, &bits, sizeof v);
    snprintf(text, sizeof text, i % 3 == 0 ? "%.17g" : i % 3 == 1 ? "%.15g" : "%.9e", v);
    show(text);
  }
  for (i = 0; i < 500; i++) {
    /* One call per statement: the order of evaluation of arguments is unspecified. */
    unsigned long long high = next_random() % 1000000000000ULL;
    unsigned long long low = next_random() % 100000000000ULL;
    int exponent = (int)(next_random() % 640) - 340;
    snprintf(text, sizeof text, "%llu%llue%d", high, low, exponent);
    show(text);
  }
  return 0;
}
