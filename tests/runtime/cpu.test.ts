// The CPU driver loop: yielding at back-edges, resuming, fork (clone) mid-run, and faults mapped
// to signals with a stack trace.
import { describe, expect, it } from 'vitest';
import { build, run, runCpu, setup } from '../cc/harness.js';
import type { AddressSpace } from '../../src/runtime/memory.js';

describe('cpu', () => {
it('yield and resume mid-loop gives the same result; fork clone continues independently', () => {
  const src = `
unsigned long h = 5381;
int main(void) {
  for (int i = 0; i < 20000; i++) { h = h * 33 + (i & 0xff); if (i % 5000 == 0) { print_int(i); print_char(' '); } }
  print_ulong(h); print_char('\\n');
  return (int)(h & 0x7f);
}`;
  const full = run(src);
  const tiny = run(src, { budget: 7 });
  expect(tiny.out).toBe(full.out);
  expect(tiny.status).toBe(full.status);
  expect(tiny.yields).toBeGreaterThan(1000);
  // fork mid-run
  const b = build(src);
  const cpu = setup(b.image!);
  cpu.budget = 30000;
  expect(cpu.run()).not.toBe('exit');
  const child = cpu.clone((cpu.mem as AddressSpace).clone());
  const r1 = runCpu(cpu);
  const r2 = runCpu(child);
  expect(r1.status).toBe(full.status);
  expect(r2.status).toBe(full.status);
  expect(r1.out + r2.out).not.toBe('');
});
it('faults', () => {
  expect(run(`int main(void) { int *p = 0; return *p; }`).fault).toMatch(/^SIGSEGV/);
  expect(run(`int z; int main(void) { return 5 / z; }`).fault).toMatch(/^SIGFPE/);
  expect(run(`int f(int n) { return f(n + 1) + 1; } int main(void) { return f(0); }`).fault).toMatch(/^SIGSEGV.*stack overflow/);
  expect(run(`int main(void) { __builtin_trap(); return 0; }`).fault).toMatch(/^SIGILL/);
  expect(run(`int main(void) { void (*f)(void) = (void (*)(void))1234; f(); return 0; }`).fault).toMatch(/^SIGSEGV/);
});
it('deep recursion beyond the nesting limit and tiny budgets inside calls give the same results', () => {
  const src = `
long depth(long n) { return n == 0 ? 0 : 1 + depth(n - 1); }
int ack(int m, int n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
int main(void) { print_long(depth(20000)); print_char(' '); print_int(ack(2, 300)); print_char('\\n'); return 0; }`;
  const full = run(src);
  expect(full.out).toBe('20000 603\n');
  for (const budget of [1, 3, 50]) {
    const r = run(src, { budget });
    expect(r.out).toBe(full.out);
    expect(r.yields).toBeGreaterThan(100);
  }
  // A frame's line is where it called from; the top frame's comes from its block.
  const b = build(src);
  const cpu = setup(b.image!);
  cpu.budget = 5000;
  expect(cpu.run()).toBe('yield');
  const stack = cpu.callStack();
  expect(stack[0]!.name).toBe('depth');
  expect(stack[stack.length - 1]).toMatchObject({ name: 'main', file: 'test.c' });
  expect(stack.length).toBeGreaterThan(100);
});
});
