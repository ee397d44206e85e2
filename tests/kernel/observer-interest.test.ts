// What the kernel does for an observer that wants a few syscalls: the entries of those only, their
// exits only if it wants them (KernelObserver.wantsSyscallExit), and the clock read at entry only
// when an observer reads the event's timeNs (it then equals the time a blocking call started at).
import { describe, expect, test } from 'vitest';
import { boot, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';
import type { KernelObserver, SyscallEnterEvent } from '../../src/kernel/events.js';

const SRC = `#include <unistd.h>
#include <sys/syscall.h>
int main(void) { for (int i = 0; i < 3; i++) syscall(SYS_getpid); syscall(SYS_getppid); return 0; }
`;

function setup() {
  const b = boot(makeMachine({ release: '6.12' }));
  compileInto(b, '/bin/p', SRC);
  const k = b.machine.kernel;
  let reads = 0;
  const clock = k.clock;
  const uptimeNs = clock.uptimeNs.bind(clock);
  clock.uptimeNs = () => (reads++, uptimeNs());
  return { b, k, reads: () => reads };
}

describe('observer interest', () => {
  test('entry only: no exit events, no clock read unless timeNs is read', () => {
    const { b, k, reads } = setup();
    const seen: string[] = [];
    const o: KernelObserver = {
      wantsSyscall: (nr) => nr === 39,
      wantsSyscallExit: () => false,
      syscallEnter: (e) => void seen.push(`enter ${e.nr}`),
      syscallExit: (e) => void seen.push(`exit ${e.nr}`),
    };
    k.attach(o);
    const before = reads();
    expect(runProgram(b.machine, ['/bin/p']).status).toBe(0);
    expect(seen).toEqual(['enter 39', 'enter 39', 'enter 39']);
    const quiet = reads() - before;
    k.detach(o);
    // The same run with an observer that reads timeNs: one more clock read per getpid.
    const times: number[] = [];
    k.attach({ wantsSyscall: (nr) => nr === 39, wantsSyscallExit: () => false, syscallEnter: (e: SyscallEnterEvent) => void times.push(e.timeNs, e.timeNs) });
    const before2 = reads();
    runProgram(b.machine, ['/bin/p']);
    expect(reads() - before2).toBe(quiet + 3);
    expect(times.length).toBe(6);
    expect(times[0]).toBe(times[1]); // read once, then the same value
    expect(times[2]! >= times[0]!).toBe(true);
  });

  test('without wantsSyscallExit, exits of wanted calls come as before, with a duration', () => {
    const { b, k } = setup();
    const seen: string[] = [];
    k.attach({
      wantsSyscall: (nr) => nr === 110,
      syscallEnter: (e) => void seen.push(`enter ${e.nr} ${e.timeNs > 0}`),
      syscallExit: (e) => void seen.push(`exit ${e.nr} ${e.durationNs >= 0}`),
    });
    runProgram(b.machine, ['/bin/p']);
    expect(seen).toEqual(['enter 110 true', 'exit 110 true']);
  });

  test('an observer of every call sees numbers past the table (entry and exit); detached, nothing', () => {
    const b = boot(makeMachine({ release: '6.12' }));
    compileInto(b, '/bin/far', `#include <unistd.h>
#include <sys/syscall.h>
int main(void) { syscall(5000, 1); syscall(-1); syscall(SYS_getppid); return 0; }
`);
    const k = b.machine.kernel;
    const seen: string[] = [];
    const all: KernelObserver = {
      syscallEnter: (e) => void (e.nr === 5000 || e.nr === 110 ? seen.push(`enter ${e.nr} ${e.row?.name ?? '-'}`) : 0),
      syscallExit: (e) => void (e.nr === 5000 || e.nr === 110 ? seen.push(`exit ${e.nr} ${e.ret}`) : 0),
    };
    // An observer of getpid only, attached too, takes nothing from the other.
    const few: KernelObserver = { wantsSyscall: (nr) => nr === 39, syscallEnter: () => {} };
    k.attach(few);
    k.attach(all);
    expect(runProgram(b.machine, ['/bin/far']).status).toBe(0);
    expect(seen).toEqual(['enter 5000 -', 'exit 5000 -38', 'enter 110 getppid', 'exit 110 1']);
    k.detach(all);
    k.detach(few);
    seen.length = 0;
    expect(runProgram(b.machine, ['/bin/far']).status).toBe(0);
    expect(seen).toEqual([]);
  });
});
