// kmemleak on Linux machines: objects kernel C allocates and loses are reported when the run ends
// (print_unreferenced's text, kmemleak.verbose=1, then the "new suspected memory leaks" line);
// objects reachable from kernel data, directly or through other objects, are not; a leak is
// reported once.
import { describe, expect, it } from 'vitest';
import { addKernelSource, appendRow, boot, build, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const KERNEL_C = `
struct node {
  struct node *next;
  char tag[8];
};
static char *kept;
static struct node *head;

SYSCALL_DEFINE1(leaky, int, how)
{
  char *p;
  struct node *n;
  switch (how) {
  case 0:
    p = kmalloc(40, GFP_KERNEL);
    strcpy(p, "leaked by case 0");
    return 0;
  case 1:
    kfree(kept);
    kept = kzalloc(100, GFP_KERNEL);
    return 1;
  case 2:
    n = kzalloc(sizeof(*n), GFP_KERNEL);
    n->next = head;
    strcpy(n->tag, "node");
    head = n;
    return 2;
  case 3:
    head = NULL;
    return 3;
  case 4:
    p = kstrdup("a string", GFP_KERNEL);
    p = kmalloc(20000, GFP_KERNEL);
    return 4;
  }
  return -EINVAL;
}
`;

const USER = `#include <stdio.h>
#include <unistd.h>
int atoi(const char *);
int main(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++) syscall(462, atoi(argv[i]));
  return 0;
}
`;

function setup() {
  const m = makeMachine({ release: '6.8.0' });
  appendRow(m, '462\tcommon\tleaky\tsys_leaky');
  addKernelSource(m, 'leaky.c', KERNEL_C);
  const b0 = build(m);
  expect(b0.text).toBe('');
  const b = boot(m, b0.built);
  compileInto(b, '/bin/t', USER);
  return (...args: string[]) => {
    const logBefore = b.machine.log.records().length;
    const r = runProgram(b.machine, ['/bin/t', ...args]);
    b.machine.log.flush();
    return { ...r, log: b.machine.log.records().slice(logBefore).map((l) => `<${l.level}>${l.text}`) };
  };
}

describe('kmemleak', () => {
  it('reports an object nothing points to, as print_unreferenced writes it, once', () => {
    const run = setup();
    const r = run('0');
    expect(r.log.length).toBe(8);
    expect(r.log[0]).toMatch(/^<4>kmemleak: unreferenced object 0xffff888[0-9a-f]{9} \(size 64\):$/);
    expect(r.log[1]).toMatch(new RegExp(`^<4>kmemleak:   comm "t", pid ${r.pid}, jiffies 42946\\d{5}$`));
    expect(r.log.slice(2, 5)).toEqual([
      '<4>kmemleak:   hex dump (first 32 bytes):',
      '<4>kmemleak:     6c 65 61 6b 65 64 20 62 79 20 63 61 73 65 20 30  leaked by case 0',
      r.log[4],
    ]);
    expect(r.log[4]).toMatch(/^<4>kmemleak:     00 [0-9a-f]{2}( [0-9a-f]{2}){14}  \..{15}$/);
    expect(r.log[5]).toMatch(/^<4>kmemleak:   backtrace \(crc [0-9a-f]+\):$/);
    expect(r.log[6]).toMatch(/^<4>kmemleak:     \[<ffffffff81[0-9a-f]{6}>\] sys_leaky\+0x[0-9a-f]+\/0x100$/);
    expect(r.log[7]).toBe('<6>kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)');
    // Reported once: the next scan finds it again but says nothing more.
    expect(run().log).toEqual([]);
  });

  it('objects reachable from kernel data (directly, or through a list) are not leaks until the last pointer goes', () => {
    const run = setup();
    expect(run('1', '1', '2', '2', '2').log).toEqual([]);
    const r = run('3');
    const summary = r.log.filter((l) => l.includes('new suspected'));
    expect(summary).toEqual(['<6>kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)']);
    expect(r.log.filter((l) => /unreferenced object .* \(size 16\):$/.test(l)).length).toBe(3);
  });

  it('kstrdup and large kmalloc objects: their own sizes', () => {
    const r = setup()('4');
    const sizes = r.log.map((l) => /\(size (\d+)\):$/.exec(l)?.[1]).filter(Boolean);
    expect(sizes.sort()).toEqual(['16', '20000']);
    expect(r.log[r.log.length - 1]).toBe('<6>kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)');
  });
});
