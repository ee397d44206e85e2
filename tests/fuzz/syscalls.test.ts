// The syscall fuzzer: a CI-sized smoke run finds nothing, runs are deterministic from the seed,
// the invariant checks catch broken kernel state, and a finding is minimized into a C reproducer.
import { describe, expect, test } from 'vitest';
import { checkInvariants, fuzzSyscalls, replay } from '../../src/fuzz/syscalls.js';
import { fuzzMachineFactory } from '../../src/fuzz/fuzz-machine.js';

const boot = fuzzMachineFactory();

describe('ksim fuzz syscalls', () => {
  test('20,000 syscalls from several processes, with fork and signals, find nothing', () => {
    const r = fuzzSyscalls({ count: 20000, seed: 42, boot });
    expect(r.findings.map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
    expect(r.syscalls).toBe(20000);
    // The mix really exercises the kernel: successes, errors, sleeps, forks and deaths.
    expect(r.successes).toBeGreaterThan(2000);
    expect(r.errors).toBeGreaterThan(5000);
    expect(r.blocked).toBeGreaterThan(10);
    expect(r.forks).toBeGreaterThan(50);
    expect(r.deaths).toBeGreaterThan(50);
  }, 60_000);

  test('a run is deterministic from its seed', () => {
    const a = fuzzSyscalls({ count: 1500, seed: 7, boot });
    const b = fuzzSyscalls({ count: 1500, seed: 7, boot });
    const c = fuzzSyscalls({ count: 1500, seed: 8, boot });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  test('the invariant checks see a descriptor refcount that does not match the tables', () => {
    const m = boot();
    const r = fuzzSyscalls({ count: 1, seed: 1, boot: () => m });
    expect(r.findings).toEqual([]);
    expect(checkInvariants(m, 0)).toBeUndefined();
    const t = [...m.kernel.tasks.values()][0]!;
    t.fds.get(1)!.refs++;
    expect(checkInvariants(m, 0)).toMatch(/^after read: open file .* has refs=\d+ but \d+ descriptor slots refer to it$/);
  });

  test('the invariant checks see a broken process tree', () => {
    const m = boot();
    fuzzSyscalls({ count: 1, seed: 1, boot: () => m });
    const t = [...m.kernel.tasks.values()][0]!;
    t.ppid = 4242;
    const child = m.kernel.newTask(t);
    t.children.delete(child);
    expect(checkInvariants(m, 57)).toMatch(/^after fork: pid \d+'s parent \d+ does not list it as a child$/);
  });

  test('an exception escaping a handler is a finding, minimized to a C reproducer', () => {
    // A kernel with a planted bug: getppid (110) throws a JavaScript error.
    const buggy = () => {
      const m = boot();
      const entry = m.kernel.table[110]!;
      entry.handler = () => {
        throw new TypeError('planted bug');
      };
      return m;
    };
    const r = fuzzSyscalls({ count: 5000, seed: 3, boot: buggy, maxFindings: 1 });
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.kind).toBe('exception');
    expect(f.message).toMatch(/^getppid \(pid \d+\) threw TypeError: planted bug$/);
    expect(f.calls.map((c) => c.nr)).toEqual([110]);
    expect(replay(buggy, f.calls)?.kind).toBe('exception');
    expect(f.reproducer).toContain('/* ksim fuzz reproducer: seed 3, epoch ');
    expect(f.reproducer).toMatch(/\n  syscall\(110, [^;]*\); \/\* getppid/);
    expect(f.reproducer).toContain('int main(void) {');
  });
});
