// End-to-end tests of the C back end: C programs compiled, linked, loaded and run on a Cpu with
// the in-test harness (write/exit traps); each asserts the exact output.
import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

describe('compiled C runs with exact C semantics', () => {
it('arith', () => {
  const r = run(`
int main(void) {
  int a = 2147483647; a = a + 1; print_int(a); print_char('\\n');
  unsigned u = 0; u = u - 1; print_ulong(u); print_char('\\n');
  long l = 9223372036854775807L; l = l + 1; print_long(l); print_char('\\n');
  print_int(-1 < 1u); print_char('\\n');
  print_int(-7 / 2); print_char(' '); print_int(-7 % 2); print_char('\\n');
  print_int(1 << 31); print_char(' '); print_int((-16) >> 2); print_char(' '); print_ulong(0x80000000u >> 4); print_char('\\n');
  unsigned long ul = -1; print_ulong(ul); print_char(' '); print_ulong(ul / 3); print_char('\\n');
  long long x = 123456789; x *= 1000000007; print_long(x); print_char('\\n');
  char c = 200; unsigned char uc = 200; print_int(c); print_char(' '); print_int(uc); print_char('\\n');
  short s = 70000; print_int(s); print_char('\\n');
  float d = 7.9f; print_int((int)d); print_char(' '); print_int((int)-d); print_char('\\n');
  float f = 0.1f; print_int(f == 0.1); print_char(' '); print_int(f == 0.1f); print_char('\\n');
  return 0;
}`);
  expect(r.out).toBe('-2147483648\n4294967295\n-9223372036854775808\n0\n-3 -1\n-2147483648 -4 134217728\n18446744073709551615 6148914691236517205\n123456789864197523\n-56 200\n4464\n7 -7\n0 1\n');
});
it('pointers arrays structs', () => {
  const r = run(`
struct point { int x, y; };
struct rect { struct point a, b; char name[8]; };
int sum(int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
struct point mid(struct rect r) { struct point p; p.x = (r.a.x + r.b.x) / 2; p.y = (r.a.y + r.b.y) / 2; return p; }
union u { int i; unsigned char b[4]; };
int main(void) {
  int arr[10]; for (int i = 0; i < 10; i++) arr[i] = i * i;
  print_int(sum(arr, 10)); print_char('\\n');
  int *p = arr + 3; print_int(*p); print_char(' '); print_int(p[2]); print_char(' '); print_long(&arr[9] - p); print_char('\\n');
  struct rect r = { {1, 2}, {11, 22}, "box" };
  struct point m = mid(r);
  print_int(m.x); print_char(','); print_int(m.y); print_char(' '); print_str(r.name); print_char('\\n');
  struct rect r2 = r; r2.a.x = 100; print_int(r.a.x); print_char(' '); print_int(r2.a.x); print_char('\\n');
  struct point *pp = &r.b; pp->x += 5; print_int(r.b.x); print_char('\\n');
  union u uu; uu.i = 0x01020304; print_int(uu.b[0]); print_int(uu.b[3]); print_char('\\n');
  print_long(sizeof(struct rect)); print_char('\\n');
  return 0;
}`);
  expect(r.out).toBe('285\n9 25 6\n6,12 box\n1 100\n16\n41\n24\n');
});
it('fnptr switch goto varargs', () => {
  const r = run(`
typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
binop ops[] = { add, mul };
int apply(binop f, int a, int b) { return f(a, b); }
const char *name(int k) {
  switch (k) {
  case 0: return "zero";
  case 1: case 2: return "small";
  case 100: return "hundred";
  case 5 ... 9: return "range";
  default: return "other";
  }
}
long vsum(int n, ...) {
  __builtin_va_list ap; __builtin_va_start(ap, n);
  long s = 0;
  for (int i = 0; i < n; i++) s += __builtin_va_arg(ap, long);
  __builtin_va_end(ap);
  return s;
}
int isum(int n, ...) {
  __builtin_va_list ap; __builtin_va_start(ap, n);
  int s = 0;
  while (n--) s += __builtin_va_arg(ap, int);
  __builtin_va_end(ap);
  return s;
}
int main(void) {
  print_int(apply(ops[0], 3, 4)); print_char(' '); print_int(apply(ops[1], 3, 4)); print_char(' '); print_int((*ops[1])(5, 6)); print_char('\\n');
  for (int k = 0; k < 10; k++) { print_str(name(k)); print_char(' '); }
  print_str(name(100)); print_char('\\n');
  print_long(vsum(4, 1L, 2L, 3L, 10000000000L)); print_char(' '); print_int(isum(3, -1, -2, -3)); print_char('\\n');
  int i = 0;
again:
  i++;
  if (i < 5) goto again;
  print_int(i); print_char('\\n');
  return 0;
}`);
  expect(r.out).toBe('7 12 30\nzero small small other other range range range range range hundred\n10000000006 -6\n5\n');
});
it('static init, strings, sieve, static locals', () => {
  const r = run(`
struct kv { const char *k; int v; };
struct kv table[] = { { "one", 1 }, { .v = 2, .k = "two" }, [3] = { "four", 4 } };
int primes[] = { 2, 3, 5, 7 };
int *pp = &primes[2];
char msg[] = "hello";
const char *greeting = "hi there";
static int counter(void) { static int n = 10; return n++; }
char sieve[1000];
int main(void) {
  for (int i = 0; i < 4; i++) { print_str(table[i].k ? table[i].k : "(null)"); print_char('='); print_int(table[i].v); print_char(' '); }
  print_char('\\n');
  print_int(*pp); print_char(' '); print_int(pp[-1]); print_char(' '); print_str(msg); print_char(' '); print_str(greeting + 3); print_char('\\n');
  print_long(sizeof(table) / sizeof(table[0])); print_char(' '); print_long(sizeof msg); print_char('\\n');
  counter(); counter(); print_int(counter()); print_char('\\n');
  int count = 0;
  for (int i = 2; i < 1000; i++) {
    if (sieve[i]) continue;
    count++;
    for (int j = i * i; j < 1000; j += i) sieve[j] = 1;
  }
  print_int(count); print_char('\\n');
  return 0;
}`);
  expect(r.out).toBe('one=1 two=2 (null)=0 four=4 \n5 3 hello there\n4 6\n12\n168\n');
});
it('bitfields compound literals stmt expr', () => {
  const r = run(`
struct flags { unsigned a : 3; signed b : 4; unsigned c : 1; int d; };
struct pt { int x, y; };
int dist(struct pt *p) { return p->x + p->y; }
int main(void) {
  struct flags f = { 5, -3, 1, 77 };
  print_int(f.a); print_char(' '); print_int(f.b); print_char(' '); print_int(f.c); print_char(' '); print_int(f.d); print_char('\\n');
  f.a = 9; f.b += 10; print_int(f.a); print_char(' '); print_int(f.b); print_char(' '); print_long(sizeof f); print_char('\\n');
  int x = (f.a = 15); print_int(x); print_char('\\n');
  print_int(dist(&(struct pt){ 3, 4 })); print_char(' ');
  int y = ({ int t = 6; t * 7; }); print_int(y); print_char('\\n');
  int arr[3][4]; for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) arr[i][j] = i * 10 + j;
  print_int(arr[2][3]); print_char(' '); print_long(sizeof arr); print_char(' '); print_long(sizeof arr[0]); print_char('\\n');
  int a = 5, b = 0; int c = a > 3 && (b = 1); print_int(c); print_int(b); b = 0; c = a < 3 && (b = 1); print_int(c); print_int(b); print_char('\\n');
  unsigned char k = 250; k += 10; print_int(k); print_char(' '); char *s = "abc"; char ch = *s++; print_char(ch); print_char(*s); print_char('\\n');
  return 0;
}`);
  expect(r.out).toBe('5 -3 1 77\n1 7 8\n7\n7 42\n23 48 16\n1100\n4 ab\n');
});
  it('double and float conversions', () => {
    const r = run(`
double half(double x) { return x / 2; }
float twice(float x) { return x * 2; }
double sum(int n, ...) { __builtin_va_list ap; __builtin_va_start(ap, n); double s = 0; while (n--) s += __builtin_va_arg(ap, double); __builtin_va_end(ap); return s; }
int main(void) {
  double d = 7.9;
  print_int((int)d); print_char(' '); print_int((int)-d); print_char(' '); print_long((long)1e18); print_char(' '); print_ulong((unsigned long)1.8e19); print_char('\\n');
  float f = 0.1f;
  print_int(f == 0.1); print_char(' '); print_int((double)f == (double)0.1f); print_char(' '); print_int(0.1 + 0.2 == 0.3); print_char('\\n');
  print_long((long)(half(5) * 1000)); print_char(' '); print_long((long)twice(1.25f)); print_char(' '); print_long((long)sum(3, 1.5, 2.25, f)); print_char('\\n');
  unsigned long big = 18446744073709551615UL; double bd = big; print_int(bd == 18446744073709551616.0); print_char(' ');
  long neg = -3; double nd = neg; print_int((int)(nd * 2)); print_char(' ');
  unsigned u = 4000000000u; double ud = u; print_long((long)ud); print_char(' ');
  print_int((int)(1.0 / 0.0 > 1e308)); print_char(' '); double z = 0.0; print_int(z / z != z / z); print_char('\\n');
  int i = 10; i *= 2.5; print_int(i); print_char(' '); char c = 'A'; c += 1.7; print_char(c); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('7 -7 1000000000000000000 18000000000000000000\n0 1 0\n2500 2 3\n1 -6 4000000000 1 1\n25 B\n');
  });
  it('i386: 32-bit long and pointers', () => {
    const r = run(`
int main(void) {
  long l = 2147483647L; l++; print_long(l); print_char(' ');
  unsigned long ul = 0; ul--; print_ulong(ul); print_char(' ');
  long long ll = 1LL << 40; print_long((long)(ll >> 20)); print_char(' ');
  print_long(sizeof(long)); print_long(sizeof(char *)); print_long(sizeof(long long)); print_char(' ');
  int a[4] = {1, 2, 3, 4}; int *p = a; p += 3; print_int(*p); print_long(p - a); print_char('\\n');
  return 0;
}`, { target: { arch: 'i386', os: 'linux' } });
    expect(r.out).toBe('-2147483648 4294967295 1048576 448 43\n');
  });
  it('struct arguments, returns and calls through pointers', () => {
    const r = run(`
struct big { long a, b, c; char name[16]; };
struct big make(long a, const char *n) { struct big r = { a, a * 2, a * 3 }; for (int i = 0; n[i]; i++) r.name[i] = n[i]; return r; }
long total(struct big b) { b.a = 1000; return b.a + b.b + b.c; }
struct big (*maker)(long, const char *) = make;
long vtotal(int n, ...) { __builtin_va_list ap; __builtin_va_start(ap, n); long s = 0; while (n--) { struct big b = __builtin_va_arg(ap, struct big); s += b.c; } return s; }
int main(void) {
  struct big x = make(5, "five");
  struct big y = maker(7, "seven");
  print_long(x.a + x.b + x.c); print_char(' '); print_str(y.name); print_char(' ');
  print_long(total(x)); print_char(' '); print_long(x.a); print_char(' ');
  print_long(make(2, "t").b); print_char(' '); print_long(vtotal(2, x, y)); print_char('\\n');
  x = y; print_str(x.name); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('30 seven 1025 5 4 36\nseven\n');
  });
  it('control flow with calls inside expressions', () => {
    const r = run(`
static int calls;
static int t(int v) { calls++; return v; }
enum color { RED, GREEN = 5, BLUE };
typedef enum color color_t;
int main(void) {
  int a = t(0) && t(1); int b = t(1) || t(0); int c = t(1) ? t(7) : t(8);
  print_int(a); print_int(b); print_int(c); print_char(' '); print_int(calls); print_char('\\n');
  int i = 0, n = 0;
  do { i++; if (i == 3) continue; if (i > 6) break; n += i; } while (t(1));
  print_int(n); print_char(' ');
  for (i = 0; i < 3; i++) switch (i) { case 0: n += 100; break; case 1: continue; default: n += 1000; }
  print_int(n); print_char(' ');
  int arr[4] = {0}; int *p = arr; *p++ = t(4); *p++ += t(5); p[0] = (t(1), t(2)); arr[3] = t(3) + t(4) * t(5);
  for (i = 0; i < 4; i++) print_int(arr[i]);
  print_char(' ');
  color_t col = BLUE; print_int(col); print_int(GREEN); print_int(sizeof(enum color)); print_char(' ');
  char *buf = __builtin_alloca(16); buf[0] = 'o'; buf[1] = 'k'; buf[2] = 0; print_str(buf); print_char(' ');
  if (__builtin_expect(n > 5, 1)) print_char('y');
  print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('017 4\n18 1118 45223 654 ok y\n');
  });
  it('integer promotions, shifts and mixed signedness', () => {
    const r = run(`
int main(void) {
  unsigned short us = 65535; print_int(us * us > 0); print_char(' ');
  unsigned char uc = 255; print_int(~uc); print_char(' ');
  print_int(-1 < 0u); print_int(-1L < 0u); print_int(-1 < (unsigned char)0); print_char(' ');
  unsigned u = 1; print_ulong(u << 31); print_char(' '); print_ulong(0xFFFFFFFFu >> 31); print_char(' ');
  long x = -1; print_long(x >> 63); print_char(' '); print_ulong((unsigned long)x >> 63); print_char(' ');
  long long y = 1; print_long(y << 62); print_char(' ');
  int m = -2147483647 - 1; print_int(m / 2); print_int(m % 3); print_char(' ');
  unsigned long q = 10000000000UL; print_ulong(q * q); print_char(' ');
  print_int((signed char)0x80); print_int((short)0x18000); print_char(' ');
  print_int(sizeof(1 ? (char)1 : (short)1)); print_int(sizeof('a')); print_int(sizeof(1L + 1u)); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('0 -256 011 2147483648 1 -1 1 4611686018427387904 -1073741824-2 7766279631452241920 -128-32768 448\n');
  });
  it('pointer-heavy code, side effects in lvalues, 64-bit hashing', () => {
    const r = run(`
struct node { int v; struct node *next; int (*op)(int); };
static int dbl(int x) { return x * 2; }
static int neg(int x) { return -x; }
int arr[5] = { 10, 20, 30, 40, 50 };
int *q = arr + 2;
const char *tail = "abcdef" + 3;
void *__ksim_memcpy(void *, const void *, unsigned long);
unsigned long __ksim_strlen(const char *);
int main(void) {
  struct node n[3];
  for (int i = 0; i < 3; i++) { n[i].v = i + 1; n[i].next = i < 2 ? &n[i + 1] : 0; n[i].op = i % 2 ? neg : dbl; }
  int s = 0;
  for (struct node *p = n; p; p = p->next) s += p->op(p->v);
  print_int(s); print_char(' ');
  struct node *p = n; p++->v += 10; print_int(n[0].v); print_int(p->v); print_char(' ');
  int a[4] = {1, 2, 3, 4}, b[4] = {0}; int i = 0, j = 0;
  while (i < 4) b[j++] = a[i++] * 3;
  print_int(b[3]); print_int(i + j); print_char(' ');
  print_int(*q); print_int(q[-2]); print_str(tail); print_char(' ');
  const char *words[] = { "x", "yy", "zzz" }; const char **w = words; long total = 0;
  while (w < words + 3) total += __ksim_strlen(*w++);
  print_long(total); print_char(' ');
  char buf[8]; __ksim_memcpy(buf, "copy!", 6); print_str(buf); print_char(' ');
  unsigned long long h = 14695981039346656037ULL;
  for (const char *c = "hello"; *c; c++) { h ^= (unsigned char)*c; h *= 1099511628211ULL; }
  print_ulong(h); print_char(' ');
  long long sh = 0x123456789LL; print_long(sh << 28); print_char(' '); print_long((sh << 40) >> 50); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('6 112 128 3010def 6 copy! 11831194018420276491 1311768467283640320 4441\n');
  });
  it('variable length arrays', () => {
    const r = run(`
long fill(int n) {
  int a[n];
  long s = 0;
  for (int i = 0; i < n; i++) a[i] = i * i;
  for (int i = 0; i < n; i++) s += a[i];
  return s * 1000 + (long)sizeof a;
}
int main(void) { print_long(fill(10)); print_char(' '); print_long(fill(1000)); print_char('\\n'); return 0; }`);
    expect(r.out).toBe('285040 332833504000\n');
  });
  it('side effects on the right of && and || in loops run only when reached (output checked with gcc)', () => {
    const r = run(`
static int calls;
static int f(int x) { calls++; return x; }
int main(void) {
  int r = 0, i, n = 0, k = 0; const char *s = "abcabc"; int pos = 0;
  for (i = 0; i < 6; i++) { r += (i > 3 && f(i)); }
  print_int(r); print_int(calls); print_char(' ');
  for (i = 0; i < 6; i++) { if (i > 3 && (k = f(i))) n++; }
  print_int(n); print_int(k); print_int(calls); print_char(' ');
  i = 0; while (i < 6 && f(s[i]) != 'c') i++;
  print_int(i); print_int(calls); print_char(' ');
  int ok = 1; for (i = 0; i < 6; i++) ok = ok && f(i) < 3;
  print_int(ok); print_int(calls); print_char(' ');
  for (i = 0; i < 6; i++) { int z = i & 1 && (pos += f(2)); print_int(z); }
  print_int(pos); print_int(calls); print_char(' ');
  for (i = 0; i < 6; i++) { i > 2 && f(1) && (pos = 100 + i); }
  print_int(pos); print_int(calls); print_char(' ');
  for (i = 0; i < 4; i++) { int q = i < 2 || f(i) > 2 ? f(10) : 20; print_int(q); }
  print_int(calls); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('22 254 27 011 010101614 10517 1010201022\n');
  });
  it('assignments and increments on the right of && || ?: are single expressions that run only when reached', () => {
    const r = run(`
struct s { int x; unsigned b : 3; } g[3];
int arr[5];
int main(void) {
  int i, k = 0, *p = arr; int n = 0;
  for (i = 0; i < 5; i++) { int z = i > 2 && k++; n += z; }
  print_int(k); print_int(n); print_char(' ');
  for (i = 0; i < 5; i++) { i & 1 || (arr[i] = i * 10); }
  for (i = 0; i < 5; i++) print_int(arr[i]); print_char(' ');
  for (i = 0; i < 5; i++) { int w = i > 3 && *p++ > 0; n += w; }
  print_long(p - arr); print_int(n); print_char(' ');
  for (i = 0; i < 3; i++) { int y = i == 1 ? ++g[i].x : (g[i].b += 5); print_int(y); }
  print_int(g[0].b); print_int(g[1].x); print_int(g[2].b); print_char(' ');
  int q = (k = 7, k + 1); print_int(q); print_char('\\n');
  return 0;
}`);
    expect(r.out).toBe('21 0020040 11 515515 8\n');
  });
});

describe('linked programs', () => {
  it('a write to const data faults', () => {
    expect(run('const int k = 3; int main(void) { *(int *)&k = 4; return k; }').fault).toMatch(/^SIGSEGV/);
  });
});
