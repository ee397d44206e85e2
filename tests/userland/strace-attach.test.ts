// strace -p inside the machine: /bin/strace attaches to a running process of the same kernel (a
// background job of the machine's shell), traces it from its next call until it exits, and says so
// as strace does; a pid the machine does not have is ptrace's ESRCH.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootWithUserland, sh } from './helpers.js';
import { compileInto, type Booted } from '../helpers/machine.js';
import { machineTools } from '../../src/machine/tools.js';

let b: Booted;

beforeAll(() => {
  b = bootWithUserland(['sh', 'echo', 'strace', 'sleep'], { tools: machineTools() });
  compileInto(b, '/work/loop', `#include <stdio.h>
#include <unistd.h>
int main(void) { for (int i = 0; i < 3; i++) { sleep(1); getpid(); } printf("loop done\\n"); return 3; }
`);
});

describe('strace -p inside the machine', () => {
  it('attaches to a background job, follows it to its exit, and returns 0', () => {
    const r = sh(b, 'cd /work; ./loop & strace -e trace=getpid,nanosleep,exit_group -p $!; echo "strace: $?"; wait $!; echo "loop: $?"');
    expect(r.stdout).toBe('loop done\nstrace: 0\nloop: 3\n');
    const pid = /strace: Process (\d+) attached\n/.exec(r.stderr)?.[1];
    expect(pid).toBeDefined();
    // The first nanosleep was under way when strace attached: only the calls after it show.
    expect(r.stderr.split('\n')).toEqual([
      `strace: Process ${pid} attached`,
      `getpid()                                = ${pid}`,
      expect.stringMatching(/^nanosleep\(\{tv_sec=1, tv_nsec=0\}, 0x7fff[0-9a-f]+\) = 0$/),
      `getpid()                                = ${pid}`,
      expect.stringMatching(/^nanosleep\(\{tv_sec=1, tv_nsec=0\}, 0x7fff[0-9a-f]+\) = 0$/),
      `getpid()                                = ${pid}`,
      'exit_group(3)                           = ?',
      '+++ exited with 3 +++',
      '',
    ]);
  });

  it('a pid the machine does not have, and more than one -p', () => {
    expect(sh(b, 'strace -p 4242')).toMatchObject({ status: 1, stderr: 'strace: attach: ptrace(PTRACE_SEIZE, 4242): No such process\n' });
    expect(sh(b, 'strace -p 1 -p 2')).toMatchObject({ status: 1, stderr: "strace: ksim's strace attaches to one process: give -p once\n" });
  });
});
