// The fbt provider on booted machines: `dtrace -l` listings of the kernel's functions (the syscall
// path named by the release, kernel C built by `ksim build`, the copy helpers), filtered by
// -n/-P/-m/-f/-i; entry/return firing with arguments and return offsets/values; stack() chains of
// the entry path (x86_64 6.12 and 4.7.1, i386 2.6.32); -F flow indentation; what stays untouched
// while no fbt probe is enabled.
import { describe, expect, test } from 'vitest';
import { makeMachine, boot, compileInto, appendRow, addKernelSource, build } from '../helpers/machine.js';
import { bootArch, assembleInto } from '../i386/harness.js';
import { KernelProbes } from '../../src/dtrace/kernel-provider.js';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { bootFb, compileFb, compileModule, makeFreebsd } from '../freebsd/harness.js';
import { kernelProcess, loadModule } from '../../src/kernel/freebsd/kld.js';
import { CALL211, TRIPLE_MODULE } from '../freebsd/fixtures.js';
import { dtraceOn } from './fbt-helpers.js';

// The tutorial's syscall, with a helper of its own (a second kernel C function to see nesting).
const STEPHEN_C = `static long shout(const char *s, long n)
{
  printk(KERN_INFO "%s!\\n", s);
  return n;
}

SYSCALL_DEFINE1(stephen, char *, msg)
{
  char buf[256];
  long copied = strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  printk(KERN_INFO "stephen syscall called with \\"%s\\"\\n", buf);
  return shout(buf, copied);
}
`;

const TEST_C = `#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) { return syscall(329, argv[1]) == 2 ? 0 : 1; }
`;

const READER_C = `#include <unistd.h>
int main(void) { char buf[8]; return (int)read(0, buf, sizeof(buf)); }
`;

function stephenMachine() {
  const m = makeMachine({ release: '4.7.1' });
  appendRow(m, '329\tcommon\tstephen\tsys_stephen');
  addKernelSource(m, 'stephen.c', STEPHEN_C);
  const built = build(m);
  if (!built.built) throw new Error(built.text);
  const b = boot(m, built.built);
  compileInto(b, '/bin/test', TEST_C);
  return b.machine;
}

function readerMachine(release: string) {
  const b = boot(makeMachine({ release }));
  compileInto(b, '/bin/reader', READER_C);
  return b.machine;
}

const HELLO_I386 = `  .data
hello: .string "hi\\n"
  .text
  .globl _start
_start:
  movl $3, %eax          # read(0, hello, 4)
  movl $0, %ebx
  movl $hello, %ecx
  movl $4, %edx
  int $0x80
  movl $4, %eax          # write(1, hello, 3)
  movl $1, %ebx
  movl $hello, %ecx
  movl $3, %edx
  int $0x80
  movl $1, %eax          # exit(0)
  movl $0, %ebx
  int $0x80
`;

const HELLO_X86_64 = `  .globl _start
_start:
  movq $1, %rax
  movq $1, %rdi
  leaq msg(%rip), %rsi
  movq $3, %rdx
  syscall
  movq $60, %rax
  xorq %rdi, %rdi
  syscall
  .data
msg: .ascii "hi\\n"
`;

describe('dtrace -l: the fbt catalog', () => {
  const machine = stephenMachine();

  test('-n with a glob: the kernel C function and its row wrapper (SyS_ on 4.7.1), entry and return', () => {
    const r = dtraceOn(machine, ['-l', '-n', 'fbt::*_stephen:']);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      '  922        fbt           vmlinux                       SyS_stephen entry\n' +
      '  923        fbt           vmlinux                       SyS_stephen return\n' +
      '  928        fbt           vmlinux                       sys_stephen entry\n' +
      '  929        fbt           vmlinux                       sys_stephen return\n',
    );
  });

  test('-f, -i, the copy helpers and printk', () => {
    expect(dtraceOn(machine, ['-l', '-f', 'vfs_read']).out).toBe(
      "   ID   PROVIDER            MODULE                          FUNCTION NAME\n" +
      "  680        fbt           vmlinux                          vfs_read entry\n" +
      "  681        fbt           vmlinux                          vfs_read return\n",
    );
    expect(dtraceOn(machine, ['-l', '-i', '928']).out).toBe(
      "   ID   PROVIDER            MODULE                          FUNCTION NAME\n" +
      "  928        fbt           vmlinux                       sys_stephen entry\n",
    );
    expect(dtraceOn(machine, ['-l', '-n', 'fbt::*_user:entry']).out).toBe(
      "   ID   PROVIDER            MODULE                          FUNCTION NAME\n" +
      "  930        fbt           vmlinux                 strncpy_from_user entry\n" +
      "  932        fbt           vmlinux                      strnlen_user entry\n" +
      "  934        fbt           vmlinux                    copy_from_user entry\n" +
      "  936        fbt           vmlinux                      copy_to_user entry\n" +
      "  938        fbt           vmlinux                        clear_user entry\n",
    );
    expect(dtraceOn(machine, ['-l', '-n', 'fbt::printk:']).out).toBe(
      "   ID   PROVIDER            MODULE                          FUNCTION NAME\n" +
      "  674        fbt           vmlinux                            printk entry\n" +
      "  940        fbt           vmlinux                            printk return\n",
    );
  });

  test('-P fbt lists only fbt probes, all in module vmlinux; -m that names no module is an error', () => {
    const lines = dtraceOn(machine, ['-l', '-P', 'fbt']).out.trimEnd().split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(200);
    for (const l of lines) expect(l).toMatch(/^ +[0-9]+        fbt           vmlinux +[A-Za-z_0-9]+ (entry|return)$/);
    expect(lines.slice(0, 4)).toEqual([
      '  674        fbt           vmlinux                            printk entry',
      '  675        fbt           vmlinux                  entry_SYSCALL_64 entry',
      '  676        fbt           vmlinux                     do_syscall_64 entry',
      '  677        fbt           vmlinux                     do_syscall_64 return',
    ]);
    const r = dtraceOn(machine, ['-l', '-P', 'fbt', '-m', 'nosuch']);
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      "dtrace: invalid probe specifier nosuch: probe description :nosuch:: does not match any probes\n",
    );
  });
});

describe('fbt entry and return', () => {
  test('kernel C: arguments at entry (a user pointer, a kernel buffer), return offset and value, the helpers it calls, stack()', () => {
    const machine = stephenMachine();
    const r = dtraceOn(machine, ['-q', '-n', [
      'fbt::sys_stephen:entry { printf("entry %s\\n", copyinstr(arg0)); stack(); }',
      'fbt::sys_stephen:return { printf("return %x %d\\n", arg0, arg1); }',
      'fbt::shout:entry { printf("shout %c%c %d\\n", *(char *)arg0, *((char *)arg0 + 1), arg1); stack(); }',
      'fbt::strncpy_from_user:return { printf("copied %d\\n", arg1); }',
    ].join(' ')], ['/bin/test', 'hi']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      "entry hi\n" +
      "\n" +
      "              vmlinux`SyS_stephen+0x1d\n" +
      "              vmlinux`do_syscall_64+0x5d\n" +
      "              vmlinux`entry_SYSCALL64_slow_path+0x25\n" +
      "copied 2\n" +
      "shout hi 2\n" +
      "\n" +
      "              vmlinux`sys_stephen+0x1\n" +
      "              vmlinux`SyS_stephen+0x1d\n" +
      "              vmlinux`do_syscall_64+0x5d\n" +
      "              vmlinux`entry_SYSCALL64_slow_path+0x25\n" +
      "return 2 2\n" +
      "\n",
    );
  });

  test('kernel C entry probes have typed args[] from the parameters; so do the copy helpers', () => {
    const machine = stephenMachine();
    const r = dtraceOn(machine, ['-q', '-n', [
      'fbt::sys_stephen:entry { printf("%s\\n", copyinstr((uintptr_t)args[0])); }',
      'fbt::shout:entry { printf("%c %d\\n", *args[0], args[1]); }',
      'fbt::strncpy_from_user:entry { printf("%d\\n", args[2]); }',
    ].join(' ')], ['/bin/test', 'hi']);
    expect(r.err).toBe('');
    expect(r.out).toBe('hi\n256\nh 2\n\n');
    const bad = dtraceOn(machine, ['-n', 'fbt::shout:entry { trace(args[2]); }']);
    expect(bad.err).toBe('dtrace: invalid probe specifier fbt::shout:entry { trace(args[2]); }: index 2 is out of range for fbt:vmlinux:shout:entry args[ ]\n');
  });

  test('-F indents entries and unindents returns (=> and <= for the syscall provider)', () => {
    const machine = stephenMachine();
    const only = ['stephen', 'do_syscall_64', 'entry_SYSCALL_64', 'strncpy_from_user', 'printk', 'shout', 'sys_stephen', 'SyS_stephen'].map((f) => `probefunc == "${f}"`).join(' || ');
    const r = dtraceOn(machine, ['-F', '-n', `fbt:::entry,fbt:::return,syscall::stephen:entry,syscall::stephen:return /execname == "test" && (${only})/ {}`], ['/bin/test', 'hi']);
    expect(r.out).toBe(
      "CPU FUNCTION                                 \n" +
      "  0  <- do_syscall_64                         \n" +
      "  0  -> entry_SYSCALL_64                      \n" +
      "  0    -> do_syscall_64                       \n" +
      "  0      => stephen                           \n" +
      "  0        -> SyS_stephen                     \n" +
      "  0          -> sys_stephen                   \n" +
      "  0            -> strncpy_from_user           \n" +
      "  0            <- strncpy_from_user           \n" +
      "  0            -> printk                      \n" +
      "  0            <- printk                      \n" +
      "  0            -> shout                       \n" +
      "  0              -> printk                    \n" +
      "  0              <- printk                    \n" +
      "  0            <- shout                       \n" +
      "  0          <- sys_stephen                   \n" +
      "  0        <- SyS_stephen                     \n" +
      "  0      <= stephen                           \n" +
      "  0    <- do_syscall_64                       \n" +
      "  0    -> entry_SYSCALL_64                    \n" +
      "  0      -> do_syscall_64                     \n" +
      "\n",
    );
  });

  test('-F on an assembly program: the execve in progress returns, write and exit go down the path', () => {
    const b = bootArch('x86_64', '6.12');
    assembleInto(b, '/work/hello', HELLO_X86_64);
    const r = dtraceOn(b.machine, ['-F', '-n', 'fbt:::entry,fbt:::return,syscall::write:entry,syscall::write:return /execname == "hello"/ {}'], ['/work/hello']);
    expect(r.out).toBe(
      "CPU FUNCTION                                 \n" +
      "  0  <- do_execve                             \n" +
      "  0  <- __x64_sys_execve                      \n" +
      "  0  <- do_syscall_64                         \n" +
      "  0  -> entry_SYSCALL_64                      \n" +
      "  0    -> do_syscall_64                       \n" +
      "  0      => write                             \n" +
      "  0        -> __x64_sys_write                 \n" +
      "  0          -> ksys_write                    \n" +
      "  0            -> vfs_write                   \n" +
      "  0            <- vfs_write                   \n" +
      "  0          <- ksys_write                    \n" +
      "  0        <- __x64_sys_write                 \n" +
      "  0      <= write                             \n" +
      "  0    <- do_syscall_64                       \n" +
      "  0    -> entry_SYSCALL_64                    \n" +
      "  0      -> do_syscall_64                     \n" +
      "  0        -> __x64_sys_exit                  \n" +
      "  0          -> do_exit                       \n" +
      "\n",
    );
  });
});

describe('stack(): the entry path named by the release', () => {
  test('x86_64 6.12: entry_SYSCALL_64 -> do_syscall_64 -> __x64_sys_read -> ksys_read -> vfs_read', () => {
    const r = dtraceOn(readerMachine('6.12'), ['-n', 'fbt::vfs_read:entry { stack(); }', '-n', 'fbt::vfs_read:return { trace(arg0); trace(arg1); }'], ['/bin/reader']);
    expect(r.out).toBe(
      "CPU     ID                    FUNCTION:NAME\n" +
      "  0    770                   vfs_read:entry \n" +
      "              vmlinux`ksys_read+0x6f\n" +
      "              vmlinux`__x64_sys_read+0x1d\n" +
      "              vmlinux`do_syscall_64+0x5d\n" +
      "              vmlinux`entry_SYSCALL_64_after_hwframe+0x76\n" +
      "\n" +
      "  0    771                  vfs_read:return               420                0\n" +
      "\n",
    );
  });

  test('x86_64 4.7.1: the slow path into do_syscall_64, SyS_read calls vfs_read', () => {
    const r = dtraceOn(readerMachine('4.7.1'), ['-n', 'fbt::vfs_read:entry { stack(); }', '-n', 'fbt::vfs_read:return { trace(arg0); trace(arg1); }'], ['/bin/reader']);
    expect(r.out).toBe(
      "CPU     ID                    FUNCTION:NAME\n" +
      "  0    678                   vfs_read:entry \n" +
      "              vmlinux`SyS_read+0x1d\n" +
      "              vmlinux`do_syscall_64+0x5d\n" +
      "              vmlinux`entry_SYSCALL64_slow_path+0x25\n" +
      "\n" +
      "  0    679                  vfs_read:return               420                0\n" +
      "\n",
    );
  });

  test('i386 2.6.32: int $0x80 -> system_call -> sys_call_table[eax]; uregs[R_EAX] is the number, then the result', () => {
    const b = bootArch('i386', '2.6.32');
    assembleInto(b, '/work/hello', HELLO_I386);
    const r = dtraceOn(b.machine, ['-n', [
      'fbt::vfs_read:entry { stack(); }',
      'fbt::system_call:entry /execname == "hello"/ { trace(uregs[R_EAX]); }',
      'syscall::write:entry { printf("%d %d %x %d", uregs[R_EAX], uregs[R_EBX], uregs[R_ECX], uregs[R_EDX]); }',
      'syscall::write:return { trace(uregs[R_EAX]); trace(uregs[R_R0]); }',
    ].join(' ')], ['/work/hello']);
    expect(r.out).toBe(
      "CPU     ID                    FUNCTION:NAME\n" +
      "  0    681                system_call:entry                 3\n" +
      "  0    692                   vfs_read:entry \n" +
      "              vmlinux`sys_read+0x1d\n" +
      "              vmlinux`syscall_call+0x7\n" +
      "\n" +
      "  0    681                system_call:entry                 4\n" +
      "  0     12                      write:entry 4 1 8049000 3\n" +
      "  0     13                     write:return                 3                3\n" +
      "  0    681                system_call:entry                 1\n" +
      "\n",
    );
  });

  test('ustack() still walks the user frames', () => {
    const r = dtraceOn(readerMachine('6.12'), ['-n', 'syscall::read:entry { ustack(); }'], ['/bin/reader']);
    expect(r.out).toBe(
      "CPU     ID                    FUNCTION:NAME\n" +
      "  0      4                       read:entry \n" +
      "              main`read\n" +
      "              main`main\n" +
      "              main`_start\n" +
      "\n" +
      "\n",
    );
  });
});

describe('uregs[]', () => {
  test('x86_64: R_RAX..R_RDX and R_PC from the assembly program; i386 names read the 64-bit registers; a bad index is an illegal operation', () => {
    const b = bootArch('x86_64', '6.12');
    assembleInto(b, '/work/hello', HELLO_X86_64);
    const r = dtraceOn(b.machine, ['-n', 'syscall::write:entry { printf("%d %d %x %d %x %d", uregs[R_RAX], uregs[R_RDI], uregs[R_RSI], uregs[R_RDX], uregs[R_PC], uregs[R_EAX]); } syscall::write:return { trace(uregs[R_RAX]); trace(uregs[99]); }'], ['/work/hello']);
    expect(r.out).toBe(
      "CPU     ID                    FUNCTION:NAME\n" +
      "  0      6                      write:entry 1 1 402000 3 401021 1\n" +
      "\n",
    );
    expect(r.err).toBe(
      "dtrace: description 'syscall::write:entry ' matched 2 probes\n" +
      "dtrace: error on enabled probe ID 2 (ID 7: syscall:vmlinux:write:return): illegal operation in action #2 at DIF offset 0\n",
    );
  });

  test('R_RAX does not exist on i386', () => {
    const b = bootArch('i386', '2.6.32');
    const r = dtraceOn(b.machine, ['-n', 'syscall::exit:entry { trace(uregs[R_RAX]); }']);
    expect(r.status).toBe(1);
    expect(r.err).toBe('dtrace: invalid probe specifier syscall::exit:entry { trace(uregs[R_RAX]); }: failed to resolve R_RAX: Unknown variable name\n');
  });
});

describe('cost: nothing happens for what no probe enabled', () => {
  test('an fbt probe on vfs_read wants read-family syscalls only; kernel C runs unwrapped until enabled, and again after release', () => {
    const machine = stephenMachine();
    const k = machine.kernel;
    const probes = new KernelProbes(machine.rows, () => k.clock.uptimeNs(), { kernel: k, kc: machine.kc });
    const nr = (name: string) => machine.rows.find((r) => r.name === name)!.nr;
    const stephen = machine.kc.loaded!.byName('sys_stephen')!;
    const original = stephen.step;
    const bindTo = (script: string) => {
      const s = new DtraceSession({ catalog: probes.catalog, stdout: () => {}, stderr: () => {} });
      expect(s.compile([{ kind: 'script', name: 'x.d', text: script }], { macroArgs: ['x.d'] })).toBeUndefined();
      s.enable();
      probes.bind(s);
    };
    bindTo('fbt::vfs_read:entry {}');
    expect(probes.wantsSyscall(nr('read'))).toBe(true);
    expect(probes.wantsSyscall(nr('pread64'))).toBe(true);
    expect(probes.wantsSyscall(nr('getpid'))).toBe(false);
    expect(probes.wantsSyscall(nr('stephen'))).toBe(false);
    expect(stephen.step).toBe(original);
    bindTo('fbt::sys_stephen:entry {}');
    expect(stephen.step).not.toBe(original);
    probes.release();
    expect(stephen.step).toBe(original);
    bindTo('syscall::getpid:entry {}');
    expect(probes.wantsSyscall(nr('getpid'))).toBe(true);
    expect(probes.wantsSyscall(nr('read'))).toBe(false);
  });
});

describe('FreeBSD: module kernel, a kld module by its name', () => {
  test('fbt:triple:triple under amd64_syscall; dofilewrite under kern_writev and sys_write', () => {
    const b = bootFb(makeFreebsd());
    compileFb(b, '/bin/c', CALL211);
    const fb = b.machine.freebsd!;
    const mod = loadModule(fb, compileModule('triple', TRIPLE_MODULE), 'triple.ko', '/work/triple.ko', kernelProcess(fb, 'kldload'));
    if ('error' in mod) throw new Error(String(mod.error));
    const l = dtraceOn(b.machine, ['-l', '-m', 'triple']);
    expect(l.out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ' 2345        fbt            triple            syscall_module_handler entry\n' +
      ' 2346        fbt            triple            syscall_module_handler return\n' +
      ' 2347        fbt            triple                            triple entry\n' +
      ' 2348        fbt            triple                            triple return\n' +
      ' 2349        fbt            triple                           handler entry\n' +
      ' 2350        fbt            triple                           handler return\n',
    );
    const r = dtraceOn(b.machine, ['-q', '-n', 'fbt:triple:triple:entry { stack(); } fbt:triple:triple:return { printf("%d\\n", arg1); } fbt:kernel:dofilewrite:entry { stack(); }'], ['/bin/c']);
    // triple returns 0 (its result goes through td_retval); printf's output and the stacks.
    expect(r.out).toBe(
      '\n' +
      '              kernel`amd64_syscall+0x2d4\n' +
      '              kernel`fast_syscall_common+0x101\n' +
      '0\n' +
      '\n' +
      '              kernel`kern_writev+0x4c\n' +
      '              kernel`sys_write+0x1d\n' +
      '              kernel`amd64_syscall+0x2d4\n' +
      '              kernel`fast_syscall_common+0x101\n' +
      '\n',
    );
  });
});
