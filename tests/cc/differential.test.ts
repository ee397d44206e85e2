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

const KSIM_P = `#define P(x) do { __typeof__(x) _v = (x); if ((__typeof__(x))-1 < 0) print_long((long long)_v); else print_ulong((unsigned long long)_v); print_char('\\n'); } while (0)
int main(void) {
`;
const GCC_P = `#include <stdio.h>
#define P(x) do { __typeof__(x) _v = (x); if ((__typeof__(x))-1 < 0) printf("%lld\\n", (long long)_v); else printf("%llu\\n", (unsigned long long)_v); } while (0)
int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
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
});
