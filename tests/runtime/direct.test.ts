// Direct forms (DirectFn in src/runtime/cpu.ts): C functions that cannot suspend run as plain JS
// calls and rebuild their frames when they have to stop. These tests run the same images with and
// without the direct forms and require the same output, status, faults and stacks, at every budget.
import { describe, expect, it } from 'vitest';
import { build, parseC, PRELUDE, runCpu, setup, type RunResult } from '../cc/harness.js';
import { compileC, linkProgram } from '../../src/cc/compile.js';
import { loadImage } from '../../src/cc/image.js';
import type { LoadedImage } from '../../src/cc/image.js';
import type { AddressSpace } from '../../src/runtime/memory.js';

function image(src: string): LoadedImage {
  const b = build(src);
  if (!b.image) throw new Error(`build failed:\n${b.text}`);
  return b.image;
}

/** Runs an image as built, or with every direct form removed (all step functions). */
function runImage(img: LoadedImage, direct: boolean, budget = Infinity): RunResult {
  const saved = img.functions.map((f) => f.direct);
  if (!direct) for (const f of img.functions) f.direct = undefined;
  try {
    return runCpu(setup(img), budget);
  } finally {
    img.functions.forEach((f, i) => { f.direct = saved[i]; });
  }
}

const hasDirect = (img: LoadedImage, name: string) => img.byName(name)!.direct !== undefined;

const WORKLOAD = `
struct pair { long a, b; };
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int is_odd(int n);
static int is_even(int n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(int n) { return n == 0 ? 0 : is_even(n - 1); }
static struct pair divmod(long x, long y) { struct pair p; p.a = x / y; p.b = x % y; return p; }
/* A frame array at every level: a frame overlapping another one would change the sum. */
static long deep(long n) {
  long buf[4];
  for (int i = 0; i < 4; i++) buf[i] = n * 4 + i;
  long below = n ? deep(n - 1) : 0;
  long s = 0;
  for (int i = 0; i < 4; i++) s += buf[i] - n * 4;
  return below + s;
}
static unsigned long mix(unsigned long h, int rounds) {
  for (int i = 0; i < rounds; i++) h = (h ^ (unsigned long)i) * 1099511628211UL;
  return h;
}
int main(void) {
  struct pair p = divmod(1000003, 97);
  print_int(fib(20)); print_char(' ');
  print_int(is_even(3001)); print_char(' ');
  print_long(p.a); print_char(' '); print_long(p.b); print_char(' ');
  print_long(deep(3000)); print_char(' ');
  print_ulong(mix(14695981039346656037UL, 5000)); print_char('\\n');
  return fib(10);
}`;

describe('direct forms', () => {
  it('the linker gives them exactly to the functions that can never suspend', () => {
    const img = image(`
static int leaf(int x) { return x * 2; }
static int calls_leaf(int x) { return leaf(x) + leaf(x + 1); }
static int recursive(int n) { return n ? recursive(n - 1) + 1 : 0; }
static int loops(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }
static int prints(int x) { print_int(x); return x; }
static int calls_prints(int x) { return prints(x) + 1; }
static int through_pointer(int (*f)(int), int x) { return f(x); }
static int variadic(int n, ...) { return n; }
static int calls_variadic(void) { return variadic(2, 1, 2); }
static int calls_syscall(void) { return (int)__syscall3(39, 0, 0, 0); }
int main(void) {
  return calls_leaf(1) + recursive(3) + loops(4) + calls_prints(5) + through_pointer(leaf, 6) + calls_variadic() + calls_syscall();
}`);
    for (const name of ['leaf', 'calls_leaf', 'recursive', 'loops']) expect([name, hasDirect(img, name)]).toEqual([name, true]);
    for (const name of ['prints', 'calls_prints', 'through_pointer', 'variadic', 'calls_variadic', 'calls_syscall', 'main']) {
      expect([name, hasDirect(img, name)]).toEqual([name, false]);
    }
  });

  it('library functions keep a direct form only when a direct form of the program calls them', () => {
    const compile = (file: string, text: string) => {
      const c = compileC({ file, text }, { target: { arch: 'x86_64', os: 'linux' }, mode: 'user', parse: parseC });
      if (!c.objects) throw new Error(file);
      return c.objects;
    };
    const program = compile('prog.c', `int twice(int); int unused_by_direct(int);
static int square(int x) { return x * x; }
static int uses_lib(int x) { return twice(x) + square(x); }
int main(void) { int (*f)(int) = unused_by_direct; return uses_lib(3) + f(1); }`);
    const library = compile('lib.c', `int twice(int x) { return x + x; }
int unused_by_direct(int x) { return x - 1; }
int never_called(int x) { return x; }`);
    const direct = (roots?: number) => {
      const l = linkProgram([...program, ...library], { entry: 'main', ...(roots !== undefined ? { directRoots: roots } : {}) });
      const img = loadImage(l.text!);
      return ['square', 'uses_lib', 'twice', 'unused_by_direct', 'never_called'].filter((n) => img.byName(n)!.direct);
    };
    // main calls through a pointer, so it has no direct form, and unused_by_direct is reached only
    // from it: with the program's objects as roots, only twice (called by uses_lib) keeps its own.
    expect(direct()).toEqual(['square', 'uses_lib', 'twice', 'unused_by_direct', 'never_called']);
    expect(direct(program.length)).toEqual(['square', 'uses_lib', 'twice']);
  });

  it('give the output and status of the step functions, whatever the time slice', () => {
    const img = image(WORKLOAD);
    expect(hasDirect(img, 'fib') && hasDirect(img, 'deep') && hasDirect(img, 'divmod') && hasDirect(img, 'is_odd')).toBe(true);
    const step = runImage(img, false);
    // 8360184612080058621: mix() compiled by gcc on x86_64.
    expect(step.out).toBe('6765 0 10309 30 18006 8360184612080058621\n');
    expect(step.status).toBe(55);
    for (const budget of [Infinity, 100_000, 997, 50, 3, 1]) {
      const r = runImage(img, true, budget);
      expect([budget, r.out, r.status, r.fault]).toEqual([budget, step.out, step.status, undefined]);
      if (budget <= 997) expect(r.yields).toBeGreaterThan(10);
    }
  });

  it('a chain suspended at the end of its time slice is plain frames: fork copies it and both finish', () => {
    const img = image(`
static long deep(long n) { long x[2]; x[0] = n; x[1] = 1; return n ? deep(n - 1) + x[1] + (x[0] != n) : 0; }
int main(void) { long d = deep(5000); print_long(d); print_char('\\n'); return (int)(d & 0x7f); }`);
    expect(hasDirect(img, 'deep')).toBe(true);
    const full = runImage(img, true);
    expect([full.out, full.status]).toEqual(['5000\n', 5000 & 0x7f]);
    const yieldAfter = (direct: boolean) => {
      const saved = img.functions.map((f) => f.direct);
      if (!direct) for (const f of img.functions) f.direct = undefined;
      const cpu = setup(img);
      cpu.budget = 3_000;
      expect(cpu.run()).toBe('yield');
      img.functions.forEach((f, i) => { f.direct = saved[i]; });
      return cpu;
    };
    // The yield came from inside the direct chain: its frames are on the stack as the step
    // functions leave them (the call that used up the budget is at its first block).
    const cpu = yieldAfter(true);
    const stack = (c: typeof cpu) => c.callStack().map((s) => `${s.name}:${s.line}`);
    expect(stack(cpu)).toEqual(stack(yieldAfter(false)));
    expect(cpu.callStack().length).toBe(3_002);
    expect(cpu.frames.map((f) => f.pc)).toEqual(yieldAfter(false).frames.map((f) => f.pc));
    const child = cpu.clone((cpu.mem as AddressSpace).clone());
    const a = runCpu(cpu);
    const b = runCpu(child);
    expect([a.out, a.status, b.out, b.status]).toEqual([full.out, full.status, full.out, full.status]);
  });

  it('a fault inside a direct chain reports the stack the step functions report', () => {
    const img = image(`
static int get(int *p) { return *p; }
static int middle(int *p, int n) { return n ? middle(p, n - 1) : get(p) + 1; }
int main(void) { print_char('x'); return middle((int *)0, 3); }`);
    expect(hasDirect(img, 'get') && hasDirect(img, 'middle')).toBe(true);
    const step = runImage(img, false);
    const direct = runImage(img, true);
    expect(step.fault).toMatch(/^SIGSEGV/);
    expect(direct.fault).toBe(step.fault);
    expect(direct.out).toBe('x');
    const frames = (r: RunResult) => r.cpu.fault!.stack.map((s) => `${s.name}:${s.line}`);
    expect(frames(direct)).toEqual(frames(step));
    // Lines count the harness's prelude: get is on the source's line 2.
    const line = (n: number) => n + PRELUDE.split('\n').length - 1;
    expect(frames(direct)).toEqual([`get:${line(2)}`, ...Array(4).fill(`middle:${line(3)}`), `main:${line(4)}`]);
  });

  it('deep recursion of a function with many locals stays inside the JS stack', () => {
    // 150 scalar locals live in JS variables: a chain of such frames counts more against the
    // direct chain's share of the JS stack than small ones, so it leaves to step frames sooner.
    const decls = Array.from({ length: 150 }, (_, i) => `long x${i} = n + ${i};`).join(' ');
    const sum = Array.from({ length: 150 }, (_, i) => `x${i}`).join(' + ');
    const img = image(`
static long wide(long n) { ${decls} long s = ${sum}; return n ? wide(n - 1) + (s - 150 * n - 11175) : 0; }
int main(void) { print_long(wide(20000)); print_char('\\n'); return 0; }`);
    expect(hasDirect(img, 'wide')).toBe(true);
    const r = runImage(img, true);
    expect([r.out, r.status, r.fault]).toEqual(['0\n', 0, undefined]);
  });

  it('unbounded recursion in a direct function is a stack overflow, as in the step functions', () => {
    const img = image(`static int down(int n) { return down(n + 1) + 1; } int main(void) { return down(0); }`);
    const step = runImage(img, false);
    const direct = runImage(img, true);
    expect(step.fault).toMatch(/^SIGSEGV stack overflow calling down/);
    expect(direct.fault).toBe(step.fault);
    expect(direct.cpu.fault!.stack.length).toBe(step.cpu.fault!.stack.length);
  });
});
