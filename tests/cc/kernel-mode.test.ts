// Kernel-mode compilation: the same compiler with kernel text addresses, kernel API calls as
// intrinsics (host functions H.name(P, ...), variadic ones with their slot address), and code
// running on a kernel stack through the SMAP view of memory.
import { describe, expect, it } from 'vitest';
import { compileC, linkProgram } from '../../src/cc/compile.js';
import { loadImage } from '../../src/cc/image.js';
import { registerIntrinsic } from '../../src/cc/intrinsics.js';
import { Cpu } from '../../src/runtime/cpu.js';
import { AddressSpace, KernelMemoryView, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';
import { parseC } from './harness.js';

registerIntrinsic({ name: 'test_strncpy_from_user', ret: 'long', params: ['char *', 'const char *', 'long'], modes: ['kernel'] });
registerIntrinsic({ name: 'test_printk', ret: 'int', params: ['const char *'], variadic: true, modes: ['kernel'] });

const SRC = `
#define EFAULT 14
long test_strncpy_from_user(char *dst, const char *src, long count);
int test_printk(const char *fmt, ...);
long sys_stephen(char *msg)
{
  char buf[256];
  long copied = test_strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  test_printk("stephen syscall called with \\"%s\\" (%d)\\n", buf, (int)copied);
  return 0;
}
`;

describe('kernel mode', () => {
  it('compiles a syscall with kernel addresses and calls the kernel API as intrinsics', () => {
    const c = compileC({ file: 'kernel/sys.c', text: SRC }, { target: { arch: 'x86_64', os: 'linux' }, mode: 'kernel', parse: parseC });
    expect(c.diagnostics).toEqual([]);
    const l = linkProgram(c.objects!, { module: 'vmlinux' });
    expect(l.diagnostics).toEqual([]);
    const log: string[] = [];
    const dec = new TextDecoder();
    const userStrings = new Map<number, string>([[0x1000, 'hello kernel']]);
    const host = {
      test_strncpy_from_user(P: Cpu, dst: number, src: number, count: number): number {
        const s = userStrings.get(src);
        if (s === undefined) return -14;
        const bytes = new TextEncoder().encode(s + '\0').subarray(0, count);
        P.mem.write(dst, bytes);
        return Math.min(s.length, count);
      },
      test_printk(P: Cpu, fmt: number, va: number): number {
        const f = dec.decode(P.mem.cstring(fmt, 1024));
        let slot = va;
        const out = f.replace(/%[sd]/g, (m) => {
          const v = P.mem.i64(slot) as number;
          slot += 8;
          return m === '%s' ? dec.decode(P.mem.cstring(v, 1024)) : String(v | 0);
        });
        log.push(out);
        return out.length;
      },
    };
    const image = loadImage(l.text!, host as never, 'vmlinux');
    const fn = image.byName('sys_stephen')!;
    expect(fn.addr).toBe(-0x7f000000); // 0xffffffff81000000
    expect(image.paramTypes('sys_stephen')).toEqual(['char *']);

    const kmem = new AddressSpace();
    for (const s of image.segments) {
      kmem.map(s.addr, Math.max(s.size, 1), PROT_READ | PROT_WRITE, s.name);
      if (s.bytes.length) kmem.write(s.addr, s.bytes);
    }
    const stackTop = -0x370000000000 + 16384;
    kmem.map(stackTop - 16384, 16384, PROT_READ | PROT_WRITE, '[kstack]');
    const cpu = new Cpu(new KernelMemoryView(kmem), { sp: stackTop, stackLimit: stackTop - 16384, lookup: image.lookup });
    cpu.start(fn, [0x1000]);
    expect(cpu.run()).toBe('exit');
    expect(cpu.rv).toBe(0);
    expect(log).toEqual(['stephen syscall called with "hello kernel" (12)\n']);

    cpu.start(fn, [0x2000]);
    expect(cpu.run()).toBe('exit');
    expect(cpu.rv).toBe(-14);

    // Touching user memory directly from kernel C faults (SMAP), with a stack trace.
    const bad = compileC({ file: 'kernel/bad.c', text: 'long sys_peek(char *p) { return *p; }' }, { target: { arch: 'x86_64', os: 'linux' }, mode: 'kernel', parse: parseC });
    const badImage = loadImage(linkProgram(bad.objects!, {}).text!, {}, 'vmlinux');
    const cpu2 = new Cpu(new KernelMemoryView(kmem), { sp: stackTop, stackLimit: stackTop - 16384, lookup: badImage.lookup });
    cpu2.start(badImage.byName('sys_peek')!, [0x1000]);
    expect(cpu2.run()).toBe('fault');
    expect(cpu2.fault!.signal).toBe('SIGSEGV');
    expect(cpu2.fault!.stack[0]).toMatchObject({ name: 'sys_peek', file: 'kernel/bad.c', line: 1, module: 'vmlinux' });
  });
});
