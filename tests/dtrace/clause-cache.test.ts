// Compiled clause functions are shared by source (src/dtrace/codegen.ts): the next session of the
// same script runs the same function, yet each session keeps its own state (aggregations, globals).
import { describe, expect, test } from 'vitest';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';
import type { TraceTask } from '../../src/kernel/events.js';

const probes: ProbeInfo[] = [
  ...dtraceProviderProbes(),
  { id: 10, provider: 'syscall', module: 'vmlinux', func: 'getpid', name: 'entry', argTypes: [] },
];

const task: TraceTask = {
  pid: 42, tid: 42, ppid: 1, uid: 0, gid: 0, comm: 'loop',
  readUser: () => null, readCString: () => null, fdPath: () => undefined, userStack: () => [],
};

function session(text: string) {
  let out = '';
  const s = new DtraceSession({ catalog: new ListCatalog(probes), stdout: (t) => void (out += t), stderr: (t) => void (out += `ERR ${t}`), now: () => 5 });
  s.options.set('quiet');
  expect(s.compile([{ kind: 'script', name: 'x.d', text }], { macroArgs: ['x.d'] })).toBeUndefined();
  expect(s.enable().ok).toBe(true);
  const run = (s as unknown as { programs: { clauses: { run: unknown }[] }[] }).programs[0]!.clauses[0]!.run;
  return { s, run, out: () => out };
}

describe('clause functions shared by source', () => {
  test('two sessions of one script: the same function, their own counts and globals', () => {
    const script = 'int n; syscall::getpid:entry { @[probefunc] = count(); n++; } END { printf("n=%d\\n", n); }';
    const a = session(script);
    const b = session(script);
    expect(b.run).toBe(a.run);
    for (let i = 0; i < 3; i++) a.s.fire(10, { task, args: [] });
    b.s.fire(10, { task, args: [] });
    a.s.end();
    b.s.end();
    expect(a.out()).toBe('n=3\n\n  getpid                                                            3\n');
    expect(b.out()).toBe('n=1\n\n  getpid                                                            1\n');
  });

  test('a different script gets its own function', () => {
    expect(session('int n; syscall::getpid:entry { n++; }').run).not.toBe(session('int n; syscall::getpid:entry { n += 2; }').run);
  });
});
