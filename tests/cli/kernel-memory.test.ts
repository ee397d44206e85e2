// Kernel memory lasts until reboot, across ksim commands (src/machine/kernel-memory.ts): a
// syscall's static counter goes on counting and a kmalloc'd list built by one command is walked
// by the next; `ksim reboot` and a rebuilt kernel start from fresh memory.
import { beforeAll, describe, expect, it } from 'vitest';
import { ksimCli } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let dir = '';
const ksim = (args: string[]) => ksimCli(args, dir);

const KERNEL = `#include <linux/kernel.h>
#include <linux/syscalls.h>
#include <linux/slab.h>

struct item { long value; struct item *next; };
static long calls;
static struct item *items;

SYSCALL_DEFINE1(remember, long, value)
{
	struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->value = value;
	it->next = items;
	items = it;
	return ++calls;
}

SYSCALL_DEFINE0(recall)
{
	long sum = 0;
	struct item *it;
	for (it = items; it; it = it->next)
		sum = sum * 10 + it->value;
	printk(KERN_INFO "recall: %ld calls, digits %ld\\n", calls, sum);
	return sum;
}
`;

const TEST = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  if (argc > 1) printf("remember -> %ld\\n", syscall(SYS_remember, atol(argv[1])));
  else printf("recall -> %ld\\n", syscall(SYS_recall));
  return 0;
}
`;

beforeAll(() => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-kmem-'));
  expect(ksimCli(['init', 'm'], work).status).toBe(0);
  dir = path.join(work, 'm');
  fs.writeFileSync(path.join(dir, 'kernel', 'remember.c'), KERNEL);
  const tbl = path.join(dir, 'arch/x86/entry/syscalls/syscall_64.tbl');
  fs.appendFileSync(tbl, '548\tcommon\tremember\t\tsys_remember\n549\tcommon\trecall\t\t\tsys_recall\n');
  fs.writeFileSync(path.join(dir, 'test.c'), TEST);
  const b = ksim(['build']);
  expect(b.status, b.stderr).toBe(0);
  expect(ksim(['cc', '-o', 'test', 'test.c']).status).toBe(0);
}, 120_000);

describe('kernel memory across commands', () => {
  it('static variables and kmalloc\'d lists last until reboot', () => {
    expect(ksim(['run', './test', '3']).stdout).toBe('remember -> 1\n');
    expect(ksim(['run', './test', '1']).stdout).toBe('remember -> 2\n');
    expect(ksim(['run', './test', '4']).stdout).toBe('remember -> 3\n');
    expect(ksim(['run', './test']).stdout).toBe('recall -> 413\n');
    expect(ksim(['dmesg']).stdout).toMatch(/recall: 3 calls, digits 413\n$/);
    expect(ksim(['reboot']).status).toBe(0);
    expect(ksim(['run', './test']).stdout).toBe('recall -> 0\n');
    expect(ksim(['run', './test', '7']).stdout).toBe('remember -> 1\n');
  });

  it('a rebuilt kernel image starts from fresh memory (a build that changes nothing keeps it)', () => {
    expect(ksim(['run', './test', '8']).stdout).toBe('remember -> 2\n');
    fs.appendFileSync(path.join(dir, 'kernel', 'remember.c'), '/* a comment: the same image */\n');
    expect(ksim(['build']).status).toBe(0);
    expect(ksim(['run', './test']).stdout).toBe('recall -> 87\n');
    fs.appendFileSync(path.join(dir, 'kernel', 'remember.c'), 'static long unused_counter;\n');
    expect(ksim(['build']).status).toBe(0);
    expect(ksim(['run', './test']).stdout).toBe('recall -> 0\n');
  });
});

describe('FreeBSD: a loaded module keeps its variables', () => {
  it('the counter goes on across commands; unloading and loading again starts it afresh', () => {
    const example = path.resolve(import.meta.dirname, '../../examples/freebsd-syscall');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-kmem-fb-'));
    expect(ksimCli(['init', 'fb', '--os', 'freebsd'], work).status).toBe(0);
    const fb = path.join(work, 'fb');
    for (const f of ['Makefile', 'counter.c', 'use_counter.c']) fs.copyFileSync(path.join(example, f), path.join(fb, f));
    const k = (args: string[]) => ksimCli(args, fb);
    expect(k(['make']).status).toBe(0);
    expect(k(['cc', '-o', 'use_counter', 'use_counter.c']).status).toBe(0);
    expect(k(['kldload', './counter.ko']).stdout).toBe('counter loaded at 211\n');
    const heapBlocks = () => (JSON.parse(fs.readFileSync(path.join(fb, '.ksim/kmem.json'), 'utf8')) as { heap: { blocks: unknown[] } }).heap.blocks.length;
    expect(k(['run', './use_counter']).stdout).toBe('5\n42\n-1 Invalid argument\n');
    const blocks = heapBlocks();
    expect(k(['run', './use_counter']).stdout).toBe('47\n84\n-1 Invalid argument\n');
    // The processes' own kernel structures (struct thread) are not kept: the heap does not grow.
    expect(heapBlocks()).toBe(blocks);
    expect(k(['kldunload', 'counter']).stdout).toBe('counter unloaded\n');
    expect(k(['kldload', './counter.ko']).stdout).toBe('counter loaded at 211\n');
    expect(k(['run', './use_counter']).stdout).toBe('5\n42\n-1 Invalid argument\n');
    expect(k(['reboot']).status).toBe(0);
    expect(k(['run', './use_counter']).status).toBe(140); // unloaded by the reboot: nosys, SIGSYS
  }, 180_000);
});
