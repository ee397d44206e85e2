/* setjmp/longjmp: unwinding out of a recursion, the value longjmp passes (0 becomes 1), volatile
 * locals keeping their latest values, nested jmp_bufs, longjmp out of a callback, sigsetjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf on_error;
static int deepest;

static void fail(int code) { longjmp(on_error, code); }

static int descend(int n, int limit) {
  char frame[32];
  memset(frame, n, sizeof frame);
  deepest = n;
  if (n == limit) fail(100 + n);
  return descend(n + 1, limit) + frame[0];
}

static jmp_buf outer, inner;

static void level2(void) { longjmp(inner, 2); }
static void level1(void) {
  if (setjmp(inner) == 0) level2();
  printf("level1 caught inner\n");
  longjmp(outer, 1);
}

static void each(int *xs, int n, void (*fn)(int)) { for (int i = 0; i < n; i++) fn(xs[i]); }
static jmp_buf found;
static void check(int x) { if (x < 0) longjmp(found, x); }

int main(void) {
  volatile int attempts = 0;
  int r = setjmp(on_error);
  attempts++;
  printf("setjmp -> %d, attempt %d\n", r, attempts);
  if (r == 0) descend(0, 7);
  printf("deepest %d\n", deepest);

  jmp_buf here;
  volatile int counter = 0;
  if (setjmp(here) < 3) {
    counter++;
    if (counter < 3) longjmp(here, counter);
  }
  printf("counter %d\n", counter);

  if (setjmp(here) == 0) longjmp(here, 0);
  else printf("longjmp(env, 0) returns 1 from setjmp\n");

  if (setjmp(outer) == 0) level1();
  else printf("main caught outer\n");

  int xs[] = { 3, 1, 4, -15, 9 };
  int neg = setjmp(found);
  if (neg == 0) { each(xs, 5, check); printf("no negative\n"); }
  else printf("first negative %d\n", neg);

  sigjmp_buf sj;
  int s = sigsetjmp(sj, 1);
  if (s == 0) siglongjmp(sj, 5);
  printf("sigsetjmp -> %d\n", s);
  return attempts;
}
