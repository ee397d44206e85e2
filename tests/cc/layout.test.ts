// Type layout: sizeof, _Alignof and offsetof of many structs, unions and bit-fields, compared with
// the values gcc gives on x86_64 (LP64) and i386 (ILP32, 4-byte alignment of 8-byte members).
import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

const DECLS = `
struct s1 { char c; int i; };
struct s2 { char c; double d; };
struct s3 { char c; long long x; };
struct s4 { char a; short b; char c; };
struct s5 { int a : 3; int b : 5; char c; };
struct s6 { char c; int x : 4; };
struct __attribute__((packed)) s7 { char c; int i; };
union u8 { char c[5]; int i; };
struct s9 { long l; char c; };
struct s10 { char c; long double ld; };
struct s11 { int n; char data[]; };
struct s12 { char c; } __attribute__((aligned(16)));
struct s13 { short s; char c[3]; };
struct s14 { char a; int b : 31; int c : 2; };
struct s15 { unsigned long long a : 40; unsigned b : 30; };
struct s16 { char c; void *p; short s; };
struct s17 { struct s1 a; char b; struct s4 c; };
struct s18 { char a; struct { int x; char y; }; char z; };
struct s19 { int a; char b : 1; int : 0; char c; };
union u20 { struct s2 s; long double ld; char c; };
`;

const EXPRS = [
  'sizeof(struct s1)', 'offsetof(struct s1, i)', 'sizeof(struct s2)', 'offsetof(struct s2, d)', '_Alignof(struct s2)',
  'sizeof(struct s3)', 'offsetof(struct s3, x)', 'sizeof(struct s4)', 'offsetof(struct s4, c)', 'sizeof(struct s5)',
  'offsetof(struct s5, c)', 'sizeof(struct s6)', 'sizeof(struct s7)', 'offsetof(struct s7, i)', 'sizeof(union u8)',
  'sizeof(struct s9)', 'sizeof(struct s10)', 'offsetof(struct s10, ld)', 'sizeof(struct s11)', 'offsetof(struct s11, data)',
  'sizeof(struct s12)', '_Alignof(struct s12)', 'sizeof(struct s13)', 'sizeof(struct s14)', 'sizeof(struct s15)',
  'sizeof(struct s16)', 'offsetof(struct s16, s)', 'sizeof(struct s17)', 'offsetof(struct s17, c)', 'sizeof(struct s18)',
  'offsetof(struct s18, y)', 'offsetof(struct s18, z)', 'sizeof(struct s19)', 'offsetof(struct s19, c)', 'sizeof(union u20)',
  'sizeof(long)', 'sizeof(void *)', 'sizeof(long double)', '_Alignof(long long)', '_Alignof(double)',
];

function program(): string {
  return DECLS + `#define offsetof(t, m) __builtin_offsetof(t, m)
int main(void) {
${EXPRS.map((e) => `  print_long((long)(${e})); print_char(' ');`).join('\n')}
  return 0;
}`;
}

describe('struct and union layout', () => {
  it('x86_64 matches gcc', () => {
    const r = run(program());
    expect(r.out.trim().split(' ').map(Number)).toEqual([
      8, 4, 16, 8, 8, 16, 8, 6, 4, 4, 1, 4, 5, 1, 8, 16, 32, 16, 4, 4, 16, 16, 6, 12, 16, 24, 16, 16, 10, 16, 8, 12, 12, 8, 16,
      8, 8, 16, 8, 8,
    ]);
  });
  it('i386 matches gcc -m32', () => {
    const r = run(program(), { target: { arch: 'i386', os: 'linux' } });
    expect(r.out.trim().split(' ').map(Number)).toEqual([
      8, 4, 12, 4, 4, 12, 4, 6, 4, 4, 1, 4, 5, 1, 8, 8, 16, 4, 4, 4, 16, 16, 6, 12, 12, 12, 8, 16, 10, 16, 8, 12, 12, 8, 12,
      4, 4, 12, 4, 4,
    ]);
  });
});
