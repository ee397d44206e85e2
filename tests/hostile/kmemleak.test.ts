// kmemleak on Linux machines: objects kernel C allocates and loses are reported when the run ends
// (print_unreferenced's text, kmemleak.verbose=1, then the "new suspected memory leaks" line);
// objects reachable from kernel data, directly or through other objects, are not; a leak is
// reported once. /sys/kernel/debug/kmemleak: "scan" written to it scans, reading it lists the
// leaks, "clear" forgets them, anything else is EINVAL.
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

const DEBUGFS = `#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
static char buf[8192];
static void say(const char *cmd) {
  int fd = open("/sys/kernel/debug/kmemleak", O_WRONLY);
  long r = write(fd, cmd, strlen(cmd));
  printf("%s -> %ld %d\\n", cmd, r, r < 0 ? errno : 0);
  close(fd);
}
static void show(void) {
  int fd = open("/sys/kernel/debug/kmemleak", O_RDONLY);
  long n = read(fd, buf, sizeof(buf) - 1);
  buf[n < 0 ? 0 : n] = 0;
  printf("BEGIN\\n%sEND\\n", buf);
  close(fd);
}
int main(void) {
  syscall(462, 0);
  show();
  say("scan\\n");
  show();
  say("clear\\n");
  show();
  say("bogus\\n");
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
  compileInto(b, '/bin/debugfs', DEBUGFS);
  return (...args: string[]) => {
    const logBefore = b.machine.log.records().length;
    const before = b.console.stdoutText().length;
    const r = runProgram(b.machine, args[0] === 'debugfs' ? ['/bin/debugfs'] : ['/bin/t', ...args]);
    b.machine.log.flush();
    return { ...r, out: b.console.stdoutText().slice(before), log: b.machine.log.records().slice(logBefore).map((l) => `<${l.level}>${l.text}`) };
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

  it('/sys/kernel/debug/kmemleak: scan on demand, the report, clear, EINVAL', () => {
    const r = setup()('debugfs');
    // The report is what the kernel log got, without the "kmemleak: " prefixes.
    const logged = r.log.filter((l) => l.startsWith('<4>kmemleak: ')).map((l) => `${l.slice('<4>kmemleak: '.length)}\n`);
    expect(logged.length).toBe(7);
    expect(r.out).toBe(`BEGIN\nEND\nscan\n -> 5 0\nBEGIN\n${logged.join('')}END\nclear\n -> 6 0\nBEGIN\nEND\nbogus\n -> -1 22\n`);
    expect(r.log.filter((l) => l.includes('new suspected'))).toEqual(['<6>kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)']);
  });
});
