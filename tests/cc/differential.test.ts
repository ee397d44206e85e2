// Differential testing against the host gcc (-O0 -fwrapv): random integer and floating-point
// expressions over every arithmetic type, with conversions, compound assignments, shifts, division
// and comparisons, must print exactly what the gcc-compiled program prints. Skipped without gcc.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './harness.js';

const hasGcc = process.platform === 'linux' && process.arch === 'x64' && spawnSync('gcc', ['--version']).status === 0;

const TYPES = ['signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned', 'long', 'unsigned long', 'long long', 'unsigned long long'];
const FTYPES = ['float', 'double'];

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number) {
  let x = seed || 1;
  return (n: number) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const INTS = ['0', '1', '-1', '7', '-13', '255', '256', '32767', '-32768', '65535', '2147483647', '(-2147483647-1)', '4294967295u',
  '0x7fffffffffffffffL', '(-0x7fffffffffffffffL-1)', '0xffffffffffffffffUL', '1000000007', '-99999', '0x80000000u', '12345678901L'];

function program(seed: number): string {
  const r = rng(seed);
  const pick = <T,>(a: T[]) => a[r(a.length)]!;
  const vars: { name: string; type: string }[] = [];
  const lines: string[] = [];
  for (let i = 0; i < 10; i++) {
    const type = TYPES[i]!;
    vars.push({ name: `v${i}`, type });
    lines.push(`  ${type} v${i} = ${pick(INTS)};`);
  }
  lines.push(`  double d0 = ${pick(['0.5', '-2.75', '1e10', '3.0e-3', '123456.789', '-0.0'])}; float f0 = ${pick(['1.5f', '-0.1f', '3e5f', '7.25f'])};`);
  const operand = (): string => {
    const k = r(6);
    if (k === 0) return pick(INTS);
    if (k === 1) return `(${pick(TYPES)})${pick(vars).name}`;
    return pick(vars).name;
  };
  const expr = (depth: number): string => {
    if (depth === 0) return operand();
    const a = expr(depth - 1), b = expr(depth - 1);
    switch (r(14)) {
      case 0: return `(${a} + ${b})`;
      case 1: return `(${a} - ${b})`;
      case 2: return `(${a} * ${b})`;
      case 3: return `(${a} / ((${b}) | 1))`;
      case 4: return `(${a} % ((${b}) | 1))`;
      case 5: return `(${a} & ${b})`;
      case 6: return `(${a} | ${b})`;
      case 7: return `(${a} ^ ${b})`;
      case 8: return `((unsigned long long)(${a}) >> ((${b}) & 63))`;
      case 9: return `((unsigned long long)(${a}) << ((${b}) & 63))`;
      case 10: return `(${a} < ${b})`;
      case 11: return `(${a} == ${b} ? ${a} : ~${b})`;
      case 12: return `(- ${a})`;
      default: return `((${pick(TYPES)})(${a}))`;
    }
  };
  for (let i = 0; i < 25; i++) {
    const v = pick(vars);
    const op = pick(['=', '+=', '-=', '*=', '^=', '|=', '&=']);
    lines.push(`  ${v.name} ${op} ${expr(1 + r(3))};`);
    lines.push(`  P(${v.name});`);
    if (r(4) === 0) {
      lines.push(`  d0 = d0 * 0.5 + ${pick(vars).name}; f0 += (float)${pick(vars).name}; P((long long)(d0 / 1024)); P((long long)f0);`);
      lines.push(`  ${pick(vars).name} = (${pick(TYPES)})(d0 / ${pick(['3', '7.5', '-11'])});`);
    }
    if (r(5) === 0) lines.push(`  P(${pick(vars).name}++); P(--${pick(vars).name}); P((${pick(FTYPES)})${pick(vars).name} < ${pick(vars).name});`);
  }
  return lines.join('\n');
}

const KSIM_DEFINE_P = `#define P(x) do { __typeof__(x) _v = (x); if ((__typeof__(x))-1 < 0) print_long((long long)_v); else print_ulong((unsigned long long)_v); print_char('\\n'); } while (0)
`;
const KSIM_P = KSIM_DEFINE_P + `int main(void) {
`;
const GCC_DEFINE_P = `#include <stdio.h>
#define P(x) do { __typeof__(x) _v = (x); if ((__typeof__(x))-1 < 0) printf("%lld\\n", (long long)_v); else printf("%llu\\n", (unsigned long long)_v); } while (0)
`;
const GCC_P = GCC_DEFINE_P + `int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
`;

/** Compiles with gcc and with ksim, runs both, and compares output (and SIGFPE) exactly. */
function compare(dir: string, gccSrc: string, ksimSrc: string, what: string): void {
  writeFileSync(join(dir, 't.c'), gccSrc);
  const cc = spawnSync('gcc', ['-O0', '-fwrapv', '-w', '-o', join(dir, 't'), join(dir, 't.c')], { encoding: 'utf8' });
  expect(cc.status, cc.stderr).toBe(0);
  const ran = spawnSync(join(dir, 't'), { encoding: 'utf8' });
  const got = run(ksimSrc);
  expect(got.fault?.split(' ')[0] ?? null, what).toBe(ran.signal === 'SIGFPE' ? 'SIGFPE' : null);
  if (got.out !== ran.stdout) {
    const gl = got.out.split('\n'), wl = ran.stdout.split('\n');
    const i = gl.findIndex((l, k) => l !== wl[k]);
    throw new Error(`${what}: line ${i}: ksim ${gl[i]} gcc ${wl[i]}`);
  }
}

/** Programs with structs, bit-fields, arrays, pointers, calls, loops, switch and short-circuits. */
function memoryProgram(seed: number): string {
  const r = rng(seed);
  const pick = <T,>(a: T[]) => a[r(a.length)]!;
  const fields = ['c', 'us', 'i', 'l', 'u', 'b', 'ul'];
  const lv = () => pick([`g[${r(8)}].${pick(fields)}`, `arr[${r(16)}]`, `p->${pick(fields)}`, `q[${r(4)}]`, 'acc', `gp[${r(3)}]->${pick(fields)}`]);
  const operand = () => pick([lv(), lv(), String(r(1000) - 500), `f1(${lv()}, ${lv()})`, `cnt()`, `sum(g, ${1 + r(8)})`, `(long)(g[${r(8)}].d * ${r(9) + 1})`]);
  const expr = (d: number): string => {
    if (d === 0) return operand();
    const a = expr(d - 1), b = expr(d - 1);
    switch (r(10)) {
      case 0: return `(${a} + ${b})`;
      case 1: return `(${a} - ${b})`;
      case 2: return `(${a} * ${b})`;
      case 3: return `(${a} / ((${b}) | 1))`;
      case 4: return `(${a} && ${b})`;
      case 5: return `(${a} || ${b})`;
      case 6: return `(${a} < ${b} ? ${a} : ${b})`;
      case 7: return `(${a} ^ ${b})`;
      case 8: return `(${a}, ${b})`;
      default: return `(${a} >> (${b} & 7))`;
    }
  };
  const lines: string[] = [];
  for (let k = 0; k < 14; k++) {
    switch (r(6)) {
      case 0: lines.push(`  ${lv()} ${pick(['=', '+=', '-=', '^=', '|='])} ${expr(1 + r(2))};`); break;
      case 1: lines.push(`  for (int i = 0; i < ${2 + r(10)}; i++) { switch ((i + ${r(5)}) % 4) { case 0: ${lv()} += i; break; case 1: if (${expr(1)}) continue; ${lv()} -= ${expr(1)}; case 2: acc++; break; default: if (i > ${r(8)}) goto out${k}; } } out${k}: ;`); break;
      case 2: lines.push(`  p = &g[${r(8)}]; q = &arr[${r(12)}]; gp[${r(3)}] = p + ${r(2)}; p->${pick(fields)}++; --q[${r(4)}];`); break;
      case 3: lines.push(`  { struct S t = mk(${expr(1)}); g[${r(8)}] = t; acc += t.b + t.u; }`); break;
      case 4: lines.push(`  { int n = ${r(20)}; do { arr[n & 15] += n * ${r(7)}; n -= ${1 + r(3)}; } while (n > 0 && ${expr(1)}); }`); break;
      default: lines.push(`  if (${expr(2)}) ${lv()} = ${expr(1)}; else { ${lv()} ^= ${expr(1)}; }`);
    }
  }
  return lines.join('\n');
}

const MEM_DECLS = `
struct S { signed char c; unsigned short us; int i; long l; unsigned u : 5; int b : 11; unsigned long ul; double d; };
struct S g[8]; int arr[16]; long acc; struct S *p = g; int *q = arr; struct S *gp[3] = { g, g + 1, g + 2 };
static int calls;
static int cnt(void) { return ++calls; }
static int f1(int x, long y) { return (int)(x * 3 + y); }
static struct S mk(int k) { struct S s; s.c = k; s.us = k * 1000; s.i = -k; s.l = k * 100000000000L; s.u = k; s.b = -k * 3; s.ul = (unsigned long)k << 40; s.d = k / 3.0; return s; }
static long sum(struct S *a, int n) { long t = 0; for (int i = 0; i < n; i++) t += a[i].c + a[i].us + a[i].i + a[i].l + a[i].u + a[i].b + (long)a[i].ul + (long)(a[i].d * 10); return t; }
static void dump(void) {
  for (int i = 0; i < 8; i++) { P(g[i].c); P(g[i].us); P(g[i].i); P(g[i].l); P(g[i].u + 0); P(g[i].b + 0); P(g[i].ul); P((long)(g[i].d * 1000)); }
  for (int i = 0; i < 16; i++) P(arr[i]);
  P(acc); P(calls); P(p - g); P(q - arr);
}
int main(void) {
  for (int i = 0; i < 8; i++) g[i] = mk(i * 37 - 100);
`;

describe.skipIf(!hasGcc)('differential testing against gcc -O0', () => {
  it('random arithmetic programs print what gcc prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-diff-'));
    try {
      for (let seed = Number(process.env.DIFF_FROM ?? 1); seed <= Number(process.env.DIFF_SEEDS ?? 30); seed++) {
        if (process.env.DIFF_DUMP) writeFileSync(process.env.DIFF_DUMP, program(seed * 7919));
        const body = program(seed * 7919);
        const gsrc = GCC_P + body + '\n  return 0;\n}\n';
        writeFileSync(join(dir, 't.c'), gsrc);
        const cc = spawnSync('gcc', ['-O0', '-fwrapv', '-w', '-o', join(dir, 't'), join(dir, 't.c')], { encoding: 'utf8' });
        expect(cc.status, cc.stderr).toBe(0);
        const ran = spawnSync(join(dir, 't'), { encoding: 'utf8' });
        const want = ran.stdout;
        const got = run(KSIM_P + body + '\n  return 0;\n}\n');
        // idiv traps on INT_MIN / -1 on both
        expect(got.fault?.split(' ')[0] ?? null, `seed ${seed * 7919}`).toBe(ran.signal === 'SIGFPE' ? 'SIGFPE' : null);
        if (got.out !== want) {
          const gl = got.out.split('\n'), wl = want.split('\n');
          const i = gl.findIndex((l, k) => l !== wl[k]);
          throw new Error(`seed ${seed * 7919}: line ${i}: ksim ${gl[i]} gcc ${wl[i]}\n${body}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('random programs over structs, bit-fields, arrays, pointers and control flow print what gcc prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-diff-'));
    try {
      for (let seed = Number(process.env.DIFF_FROM ?? 1); seed <= Number(process.env.DIFF_SEEDS ?? 30); seed++) {
        const body = memoryProgram(seed * 104729) + '\n  dump();\n  return 0;\n}\n';
        if (process.env.DIFF_DUMP) writeFileSync(process.env.DIFF_DUMP, body);
        compare(dir, GCC_DEFINE_P + MEM_DECLS + '  setvbuf(stdout, 0, _IONBF, 0);\n' + body, KSIM_DEFINE_P + MEM_DECLS + body, `memory seed ${seed * 104729}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
