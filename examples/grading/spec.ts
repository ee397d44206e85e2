// The specification of greet(2), as an instructor writes it: each requirement is one vitest test
// over a student's kernel C file. `specify(source)` registers the tests for one submission.
import { describe, expect, test, beforeAll } from 'vitest';
import 'ksim/vitest';
import { createMachine, type KsimMachine, type Program } from 'ksim';

/** The program every submission is tested with: calls greet(argv[1]), or greet(NULL) with -n. */
const CALLER = `#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv)
{
  const char *name = argc < 2 ? "" : strcmp(argv[1], "-n") == 0 ? (const char *)0 : argv[1];
  long r = syscall(SYS_greet, name);
  printf("%ld\\n", r);
  return 0;
}
`;

/** One requirement: a name and a check that throws (an expect failure) when it is not met. */
export interface Requirement {
  name: string;
  check(machine: KsimMachine, caller: Program): void;
}

export const requirements: Requirement[] = [
  {
    name: 'returns the length of the name',
    check: (m, caller) => expect(m.run(caller, { args: ['world'] })).toHaveCalled('greet', { args: ['world'], ret: 5 }),
  },
  {
    name: 'logs "greet: hello, NAME" at KERN_INFO',
    check: (m, caller) => expect(m.run(caller, { args: ['Ada'] })).toHaveLogged('greet: hello, Ada', { level: 'info' }),
  },
  {
    name: 'an empty name is EINVAL and logs nothing',
    check: (m, caller) => {
      const r = m.run(caller, { args: [''] });
      expect(r).toHaveCalled('greet', { errno: 'EINVAL' });
      expect(r).not.toHaveLogged('greet');
    },
  },
  {
    name: 'a NULL pointer is EFAULT',
    check: (m, caller) => expect(m.run(caller, { args: ['-n'] })).toHaveCalled('greet', { errno: 'EFAULT' }),
  },
  {
    name: 'a name of 64 bytes or more is EFAULT',
    check: (m, caller) => expect(m.run(caller, { args: ['x'.repeat(64)] })).toHaveCalled('greet', { errno: 'EFAULT' }),
  },
];

/** A machine with the student's greet at 329, and the caller compiled for it. */
export function prepare(source: string): { machine: KsimMachine; caller: Program } {
  const machine = createMachine({ release: '4.7.1' });
  machine.addSyscall({ name: 'greet', nr: 329, source });
  const build = machine.build();
  expect(build.ok, `the kernel must build:\n${build.text}`).toBe(true);
  const c = machine.compile({ name: 'caller', source: CALLER });
  expect(c.ok, c.text).toBe(true);
  return { machine, caller: c.program! };
}

/** Registers one vitest test per requirement for a submission. */
export function specify(student: string, source: string): void {
  describe(`greet(2) by ${student}`, () => {
    let ready: { machine: KsimMachine; caller: Program };
    beforeAll(() => {
      ready = prepare(source);
    });
    for (const r of requirements) test(r.name, () => r.check(ready.machine, ready.caller));
  });
}
