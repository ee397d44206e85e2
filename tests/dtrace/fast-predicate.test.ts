// The fast form of clause predicates (src/dtrace/fast-predicate.ts): which predicates have one, that
// it gives the same answer as the compiled clause for every task (signed, unsigned, strings, BEGIN
// with no task), and that a probe whose fast predicates are all false builds nothing: the provider's
// mayFire says no, and fire() neither reads the clock nor runs the clause.
import { describe, expect, test } from 'vitest';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';
import type { TraceTask } from '../../src/kernel/events.js';

const probes: ProbeInfo[] = [
  ...dtraceProviderProbes(),
  { id: 10, provider: 'syscall', module: 'vmlinux', func: 'getpid', name: 'entry', argTypes: [] },
  { id: 11, provider: 'syscall', module: 'vmlinux', func: 'read', name: 'entry', argTypes: ['unsigned int', 'char *', 'size_t'] },
];

function task(pid: number, uid: number, comm: string): TraceTask {
  return {
    pid, tid: pid + 1, ppid: 1, uid, gid: uid, comm,
    readUser: () => null,
    readCString: () => null,
    fdPath: () => undefined,
    userStack: () => [],
  };
}

const tasks = [task(0, 0, 'init'), task(42, 1000, 'cat'), task(7, 4294967295, 'nobody'), task(2147483647, 0, 'sh')];

function session(text: string, now = () => 5) {
  let out = '';
  const s = new DtraceSession({ catalog: new ListCatalog(probes), stdout: (t) => void (out += t), stderr: (t) => void (out += `ERR ${t}`), now });
  s.options.set('quiet');
  const err = s.compile([{ kind: 'script', name: 'x.d', text }], { macroArgs: ['x.d', '42'] });
  expect(err).toBeUndefined();
  expect(s.enable().ok).toBe(true);
  return { s, out: () => out };
}

const fastOf = (pred: string) => {
  const { s } = session(`syscall::getpid:entry /${pred}/ { }`);
  return (s as unknown as { byProbe: Map<number, { clause: { fastPredicate?: unknown } }[]> }).byProbe.get(10)![0]!.clause.fastPredicate;
};

describe('fast predicates', () => {
  test.each([
    'pid == 0', 'pid != 0 && uid == 1000', '!pid', 'uid', 'tid > 40 || gid <= 3', 'uid >= 0', 'pid == $1',
    'execname == "cat"', 'execname != "cat" && probefunc == "getpid"', 'probename < "f"', '1',
  ])('%s has a fast form', (pred) => {
    expect(fastOf(pred)).toBeTypeOf('function');
  });

  test('the same predicate compiled again (another session) is the same function; another is not', () => {
    expect(fastOf('pid == 0')).toBe(fastOf('pid == 0'));
    expect(fastOf('pid == 1')).not.toBe(fastOf('pid == 0'));
  });

  test.each([
    'arg0 == 0', 'timestamp > 0', 'uid == -1', 'cpu == 0', 'uid > 4294967294', 'pid + 1 == 2', '(int)uid == 3', 'curpsinfo->pr_pid == 0', 'strlen(execname) == 3',
  ])('%s has none', (pred) => {
    expect(fastOf(pred)).toBeUndefined();
  });

  // Each predicate once as is (fast form) and once as `(P) ? 1 : 0` (no fast form): same answers.
  test.each([
    'pid == 0', 'pid != 0 && uid == 1000', '!pid', 'uid', 'tid > 40 || gid <= 3', 'uid >= 0', 'uid > 4000',
    'pid >= 2147483647', 'pid == $1', 'execname == "cat"', 'execname > "d"', 'execname != "cat" && probefunc == "getpid"',
    'probename < "f"', '0', '!(pid == 42) || execname == "cat"',
  ])('/%s/ agrees with the compiled clause', (pred) => {
    expect(fastOf(pred)).toBeTypeOf('function');
    const fast = session(`syscall::getpid:entry /${pred}/ { printf("%d ", pid); }`);
    const slow = session(`syscall::getpid:entry /(${pred}) ? 1 : 0/ { printf("%d ", pid); }`);
    for (const t of tasks) {
      fast.s.fire(10, { task: t });
      slow.s.fire(10, { task: t });
    }
    expect(fast.out()).toBe(slow.out());
  });

  test('BEGIN (no task) reads the consumer: pid 1, execname dtrace', () => {
    const { s, out } = session('BEGIN /pid == 1 && execname == "dtrace" && tid == 1 && uid == 0/ { printf("begin\\n"); } BEGIN /pid != 1/ { printf("wrong\\n"); }');
    s.go();
    expect(out()).toBe('begin\n');
  });

  test('a false fast predicate builds nothing: no clock read, no clause run; mayFire says so', () => {
    let clockReads = 0;
    const { s, out } = session('syscall::getpid:entry /pid == 0/ { printf("%d %d\\n", pid, timestamp); } syscall::read:entry { printf("read\\n"); }', () => ++clockReads);
    const cat = tasks[1]!;
    expect(s.mayFire(10, cat)).toBe(false);
    expect(s.mayFire(10, tasks[0])).toBe(true);
    expect(s.mayFire(11, cat)).toBe(true); // no predicate: always
    const before = clockReads;
    s.fire(10, { task: cat });
    expect(clockReads).toBe(before);
    expect(out()).toBe('');
    s.fire(10, { task: tasks[0] });
    expect(clockReads).toBe(before + 1);
    expect(out()).toBe(`0 ${before + 1}\n`);
  });

  test("a provider's firing gate: undefined for a probe no clause enables, null when a clause has no fast predicate, else mayFire's answer", () => {
    const one = session('syscall::getpid:entry /pid == 0/ { } syscall::read:entry { }').s;
    expect(one.firingGate(12)).toBeUndefined();
    expect(one.firingGate(11)).toBeNull();
    const gate = one.firingGate(10)!;
    for (const t of [...tasks, undefined]) expect(gate(t)).toBe(one.mayFire(10, t));
    expect(tasks.map((t) => gate(t))).toEqual([true, false, false, false]);
    // Two clauses: either may run.
    const two = session('syscall::getpid:entry /pid == 42/ { } syscall::getpid:entry /execname == "sh"/ { }').s;
    const g2 = two.firingGate(10)!;
    expect(tasks.map((t) => g2(t))).toEqual([false, true, false, true]);
    expect(session('syscall::getpid:entry /pid == 42/ { } syscall::getpid:entry { }').s.firingGate(10)).toBeNull();
  });
});
