/* scanf.c: sscanf conversions, widths, suppression, scan sets, %n and return values, and scanf
 * reading a stream (stdin, given by the test). */
#include <stdio.h>
#include <string.h>

int main(void) {
  int a = -1, b = -1, n = -1, r;
  unsigned int u = 0;
  long l = 0;
  long long ll = 0;
  short h = 0;
  signed char hh = 0;
  double d = 0;
  float f = 0;
  char s1[32] = "", s2[32] = "", c3[4] = "";
  void *p = NULL;

  r = sscanf("42 -17", "%d %d", &a, &b);
  printf("1: r=%d a=%d b=%d\n", r, a, b);
  r = sscanf("  0x1F 017 z", "%i %i", &a, &b);
  printf("2: r=%d a=%d b=%d\n", r, a, b);
  r = sscanf("ff 777 12345678901 -5 300", "%x %o %lld %hd %hhd", &u, &a, &ll, &h, &hh);
  printf("3: r=%d u=%u a=%d ll=%lld h=%d hh=%d\n", r, u, a, ll, h, hh);
  r = sscanf("3.25 -1e3 0x1p4", "%lf %f %lf", &d, &f, &d);
  printf("4: r=%d d=%g f=%g\n", r, d, f);
  r = sscanf("hello world", "%s %s", s1, s2);
  printf("5: r=%d [%s] [%s]\n", r, s1, s2);
  r = sscanf("abcdef", "%3s%2s", s1, s2);
  printf("6: r=%d [%s] [%s]\n", r, s1, s2);
  r = sscanf("xyz", "%3c", c3);
  printf("7: r=%d [%.3s]\n", r, c3);
  r = sscanf("key=value;rest", "%[^=]=%[a-z]%n", s1, s2, &n);
  printf("8: r=%d [%s] [%s] n=%d\n", r, s1, s2, n);
  r = sscanf("12 34 56", "%*d %d %n%d", &a, &n, &b);
  printf("9: r=%d a=%d n=%d b=%d\n", r, a, n, b);
  r = sscanf("abc", "%d", &a);
  printf("10: r=%d\n", r);
  r = sscanf("", "%d", &a);
  printf("11: r=%d\n", r);
  r = sscanf("   ", "%s", s1);
  printf("12: r=%d\n", r);
  r = sscanf("7,8", "%d,%d", &a, &b);
  printf("13: r=%d a=%d b=%d\n", r, a, b);
  r = sscanf("7;8", "%d,%d", &a, &b);
  printf("14: r=%d a=%d\n", r, a);
  r = sscanf("100%", "%d%%", &a);
  printf("15: r=%d a=%d\n", r, a);
  r = sscanf("-12345", "%3d%d", &a, &b);
  printf("16: r=%d a=%d b=%d\n", r, a, b);
  r = sscanf("0x7ffe1234", "%p", &p);
  printf("17: r=%d p=%p\n", r, p);
  r = sscanf("123456789", "%ld", &l);
  printf("18: r=%d l=%ld\n", r, l);
  r = sscanf("]]x", "%[]]", s1);
  printf("19: r=%d [%s]\n", r, s1);
  r = sscanf("inf nan", "%lf %s", &d, s1);
  printf("20: r=%d d=%f [%s]\n", r, d, s1);
  while ((r = scanf("%d", &a)) == 1)
    printf("stdin: %d\n", a);
  printf("scanf ended with %d\n", r);
  r = scanf("%s", s1);
  printf("then %d [%s]\n", r, r == 1 ? s1 : "");
  return 0;
}
