// What a probe firing's context keeps (src/dtrace/consumer.ts FiringContext): clause-local this->
// variables and strtok()'s position are shared by the clauses of one firing and start afresh at the
// next firing (both are made only when a clause uses them); an option changed mid-session holds
// from the next firing.
import { describe, expect, test } from 'vitest';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from '../../src/dtrace/catalog.js';
import type { TraceTask } from '../../src/kernel/events.js';

const probes: ProbeInfo[] = [
  ...dtraceProviderProbes(),
  { id: 10, provider: 'syscall', module: 'vmlinux', func: 'getpid', name: 'entry', argTypes: ['long'] },
];

const task: TraceTask = {
  pid: 42, tid: 42, ppid: 1, uid: 0, gid: 0, comm: 'loop',
  readUser: () => null, readCString: () => null, fdPath: () => undefined, userStack: () => [],
};

function run(text: string, firings: number[]): string {
  let out = '';
  const s = new DtraceSession({ catalog: new ListCatalog(probes), stdout: (t) => void (out += t), stderr: (t) => void (out += `ERR ${t}`), now: () => 5 });
  s.options.set('quiet');
  expect(s.compile([{ kind: 'script', name: 'x.d', text }], { macroArgs: ['x.d'] })).toBeUndefined();
  expect(s.enable().ok).toBe(true);
  for (const arg0 of firings) s.fire(10, { task, args: [arg0] });
  return out;
}

describe('firing context', () => {
  test('this-> variables: seen by the later clauses of the firing, 0 at the next firing', () => {
    const script = [
      'syscall::getpid:entry /arg0 == 1/ { this->x = 5; }',
      'syscall::getpid:entry { printf("x=%d\\n", this->x); this->x = this->x + 1; }',
      'syscall::getpid:entry { printf("then %d\\n", this->x); }',
    ].join('\n');
    expect(run(script, [1, 0])).toBe('x=5\nthen 6\nx=0\nthen 1\n');
  });

  // strtok("", ...) continues like strtok(NULL, ...) (runtime.ts treats both alike).
  test('strtok("", ...) goes on within a firing, across clauses; the next firing starts with none', () => {
    const script = [
      'syscall::getpid:entry /arg0 == 1/ { printf("[%s]", strtok("a,b,c", ",")); }',
      'syscall::getpid:entry { printf("[%s]\\n", strtok("", ",")); }',
    ].join('\n');
    expect(run(script, [1, 0])).toBe('[a][b]\n[]\n');
  });

  test('an option changed during the session (as setopt() does) holds from the next firing: flowindent', () => {
    let out = '';
    const s = new DtraceSession({ catalog: new ListCatalog(probes), stdout: (t) => void (out += t), stderr: (t) => void (out += `ERR ${t}`), now: () => 5 });
    expect(s.compile([{ kind: 'script', name: 'x.d', text: 'syscall::getpid:entry { trace(arg0); }' }], { macroArgs: ['x.d'] })).toBeUndefined();
    expect(s.enable().ok).toBe(true);
    s.fire(10, { task, args: [1] });
    s.options.set('flowindent');
    s.fire(10, { task, args: [2] });
    expect(out).toBe([
      'CPU     ID                    FUNCTION:NAME',
      '  0     10                     getpid:entry                 1',
      'CPU FUNCTION                                 ',
      '  0  => getpid                                                2',
      '',
    ].join('\n'));
  });
});
