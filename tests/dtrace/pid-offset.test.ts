// The pid provider's offset probes (src/dtrace/pid-provider.ts): a function's offsets are its basic
// blocks; -l lists them after entry and return (hex names), each fires when its block starts
// running in the target (once per start, also across the end of a time slice), only the enabled
// blocks' functions are rebuilt, and the image is restored after the session.
import { describe, expect, test } from 'vitest';
import { makeMachine, boot, compileInto } from '../helpers/machine.js';
import { dtraceOn } from './fbt-helpers.js';
import { targetImageOn } from '../../src/dtrace/pid-provider.js';

const LOOP_C = `int add(int a, int b) {
  int s = 0;
  if (a > b) s = a - b; else s = b - a;
  return s + a;
}
int main(void) {
  int i, t = 0;
  for (i = 0; i < 3; i++) t += add(i, 2);
  return t == 6 ? 0 : 1;
}
`;

function machineWith(path: string, source: string) {
  const b = boot(makeMachine({}));
  compileInto(b, path, source);
  return b.machine;
}

describe('pid$target offset probes', () => {
  test('-l lists entry, return and one probe per block of the function', () => {
    const m = machineWith('/bin/loop', LOOP_C);
    const r = dtraceOn(m, ['-l', '-n', 'pid$target::main:'], ['/bin/loop']);
    expect(r.err).toBe('');
    const image = targetImageOn(m, '/bin/loop')!;
    // The offsets come after every function's entry and return.
    const first = 1041 + 2 * new Set(image.functions.map((f) => f.name)).size + image.functions[0]!.offsets!.length;
    expect(image.functions.map((f) => f.name).slice(0, 2)).toEqual(['add', 'main']);
    expect(image.functions[1]!.offsets).toEqual([0, 1, 4, 2, 3]);
    expect(r.out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ' 1043     pid100              loop                              main entry\n' +
      ' 1044     pid100              loop                              main return\n' +
      [0, 1, 2, 3, 4].map((b, i) => `${String(first + i).padStart(5)}     pid100              loop                              main ${b}\n`).join(''),
    );
  });

  test('each block of main fires as often as it starts: the loop head 4 times, the code after the call 3', () => {
    const m = machineWith('/bin/loop', LOOP_C);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::main: { @[probename] = count(); }'], ['/bin/loop']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      '\n' +
      '  0                                                                 1\n' +
      '  3                                                                 1\n' +
      '  entry                                                             1\n' +
      '  return                                                            1\n' +
      '  2                                                                 3\n' +
      '  4                                                                 3\n' +
      '  1                                                                 4\n',
    );
  });

  test('a loop head cut by the end of the time slice fires once per start (the block resumes without firing again)', () => {
    const m = machineWith('/bin/spin', `int main(void) { int i, n = 0; for (i = 0; i < 250000; i++) n += i & 1; return n == 125000 ? 0 : 1; }\n`);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::main:1 { @n = count(); } pid$target::main:2 { @l = count(); } sched:::off-cpu /pid == $target/ { @s = count(); } END { printa("%@d %@d %@d\\n", @n, @l, @s); }'], ['/bin/spin']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    // Slices of 100000 steps: the target left the CPU at least twice inside the loop.
    const [heads, bodies, offCpu] = r.out.trim().split(' ').map(Number);
    expect([heads, bodies]).toEqual([250001, 250000]);
    expect(offCpu).toBeGreaterThanOrEqual(2);
  });

  test('offsets are named in hex; arg0 is 0 (offset probes have no arguments); uregs[R_SP] is the stack pointer', () => {
    // Ten calls: the block after each call is a block of its own (0 .. 0xa).
    const src = `int id(int x) { return x; }
int pick(int x) {
  int s = id(x); s = id(s); s = id(s); s = id(s); s = id(s); s = id(s); s = id(s); s = id(s); s = id(s); s = id(s);
  return s;
}
int main(void) { int i, t = 0; for (i = 0; i < 7; i++) t += pick(i); return t == 21 ? 0 : 1; }
`;
    const m = machineWith('/bin/pick', src);
    const offsets = targetImageOn(m, '/bin/pick')!.functions.find((f) => f.name === 'pick')!.offsets!;
        const r = dtraceOn(m, ['-q', '-n', 'pid$target::pick:a,pid$target::pick:0 { printf("%s %d %d\\n", probename, arg0, uregs[R_SP] > 0); }'], ['/bin/pick']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(Math.max(...offsets)).toBe(10);
    // Block 0 at each of the 7 calls, then block 0xa after the tenth call of id.
    expect(r.out).toBe('0 0 1\na 0 1\n'.repeat(7) + '\n');
  });

  test('only the functions with an enabled offset are rebuilt, together with their entry/return, and restored after', () => {
    const m = machineWith('/bin/loop', LOOP_C);
    const k = m.kernel;
    let before = new Map<string, unknown>();
    let during = new Map<string, unknown>();
    let fns: { name: string; step: unknown }[] = [];
    const spy = {
      syscallEnter: (e: { task: { pid: number } }) => {
        const t = k.tasks.get(e.task.pid);
        if (!t?.image?.functions || fns.length) return;
        fns = t.image.functions;
        during = new Map(fns.map((f) => [f.name, f.step]));
      },
    };
    k.attach(spy);
    const r = dtraceOn(m, ['-q', '-n', 'pid$target::add:0 { @["add:0"] = count(); } pid$target::add:entry { @["add:entry"] = count(); } pid$target::add:return { @["add:return"] = count(); }'], ['/bin/loop']);
    k.detach(spy);
    expect(r.err).toBe('');
    expect(r.out).toBe('\n  add:0                                                             3\n  add:entry                                                         3\n  add:return                                                        3\n');
    before = new Map(fns.map((f) => [f.name, f.step]));
    // After the session every step function is the image's own again; during it only add's differed.
    const changed = fns.filter((f) => during.get(f.name) !== before.get(f.name)).map((f) => f.name);
    expect(changed).toEqual(['add']);
    expect(String(before.get('add'))).not.toContain('__pidOffset');
  });
});
