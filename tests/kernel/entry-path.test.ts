// The kernel's entry path as Linux names it release by release (src/kernel/entry-path.ts): the
// table's function (sys_NAME, SyS_NAME, __x64_sys_NAME, __ia32_sys_NAME, sys_ni_syscall), the
// functions behind read/open/exit/clone, the assembly entry and C dispatcher, and the same names at
// the bottom of a kernel C Oops.
import { describe, expect, it } from 'vitest';
import { syscallPath, tableFunctionName, oopsEntryFrames, type PathIdentity } from '../../src/kernel/entry-path.js';
import type { SyscallRow } from '../../src/kernel/syscall-row.js';
import { addKernelSource, appendRow, boot, build, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const row = (name: string, entry = `sys_${name}`, nargs = 3): SyscallRow => ({ nr: 0, name, entry, abi: 'common', args: new Array(nargs).fill({ name: 'a', ctype: 'long' }), ret: 'long', support: 'full' } as unknown as SyscallRow);
const linux = (arch: 'x86_64' | 'i386', release: string): PathIdentity => ({ os: 'linux', arch, release });
const names = (id: PathIdentity, name: string, implemented = true) => {
  const p = syscallPath(id, row(name), implemented, false);
  return [...p.outer, ...p.inner].map((f) => f.name);
};

describe('names by release', () => {
  it('x86_64: sys_ before 3.10, SyS_ until 4.17, __x64_sys_ after; unimplemented rows reach sys_ni_syscall', () => {
    expect(['2.6.32', '3.10', '4.7.1', '4.17', '6.12'].map((r) => tableFunctionName(linux('x86_64', r), row('read'), true)))
      .toEqual(['sys_read', 'SyS_read', 'SyS_read', '__x64_sys_read', '__x64_sys_read']);
    expect(tableFunctionName(linux('x86_64', '4.7.1'), row('kexec_file_load'), false)).toBe('sys_ni_syscall');
    // SYSCALL_DEFINE0 makes no SyS_ alias; from 4.17 its wrapper is __x64_sys_ like the others.
    expect(['4.7.1', '6.12'].map((r) => tableFunctionName(linux('x86_64', r), row('getpid', 'sys_getpid', 0), true))).toEqual(['sys_getpid', '__x64_sys_getpid']);
    expect(tableFunctionName(linux('x86_64', '6.12'), row('kexec_file_load'), false)).toBe('__x64_sys_ni_syscall');
  });

  it('i386: sys_, SyS_, __se_sys_ (4.17), __ia32_sys_ (5.7)', () => {
    expect(['2.6.32', '4.7.1', '5.4', '6.12'].map((r) => tableFunctionName(linux('i386', r), row('write'), true)))
      .toEqual(['sys_write', 'SyS_write', '__se_sys_write', '__ia32_sys_write']);
  });

  it('the path of read, open, exit_group and clone', () => {
    expect(names(linux('x86_64', '6.12'), 'read')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', '__x64_sys_read', 'ksys_read', 'vfs_read']);
    expect(names(linux('x86_64', '4.7.1'), 'read')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', 'SyS_read', 'vfs_read']);
    expect(names(linux('x86_64', '4.2'), 'read')).toEqual(['entry_SYSCALL_64', 'SyS_read', 'vfs_read']);
    expect(names(linux('x86_64', '2.6.32'), 'read')).toEqual(['system_call', 'sys_read', 'vfs_read']);
    expect(names(linux('i386', '2.6.32'), 'read')).toEqual(['system_call', 'sys_read', 'vfs_read']);
    expect(names(linux('i386', '6.12'), 'read')).toEqual(['entry_INT80_32', 'do_int80_syscall_32', '__ia32_sys_read', 'ksys_read', 'vfs_read']);
    expect(names(linux('x86_64', '6.12'), 'openat')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', '__x64_sys_openat', 'do_sys_open', 'do_sys_openat2']);
    expect(names(linux('x86_64', '4.7.1'), 'open')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', 'SyS_open', 'do_sys_open']);
    expect(names(linux('x86_64', '6.12'), 'exit_group')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', '__x64_sys_exit_group', 'do_group_exit', 'do_exit']);
    expect(names(linux('x86_64', '6.12'), 'clone')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', '__x64_sys_clone', 'kernel_clone']);
    expect(names(linux('x86_64', '4.7.1'), 'clone')).toEqual(['entry_SYSCALL_64', 'do_syscall_64', 'SyS_clone', '_do_fork']);
    expect(names(linux('x86_64', '2.6.32'), 'vfork')).toEqual(['system_call', 'sys_vfork', 'do_fork']);
    expect(names({ os: 'freebsd', arch: 'x86_64', release: '14.2' }, 'read')).toEqual(['fast_syscall_common', 'amd64_syscall', 'sys_read', 'kern_readv', 'dofileread']);
  });

  it('do_exit never returns: neither it nor the table function has a return probe', () => {
    const p = syscallPath(linux('x86_64', '6.12'), row('exit'), true, false);
    expect(p.inner.map((f) => [f.name, f.retOffset])).toEqual([['__x64_sys_exit', undefined], ['do_exit', undefined]]);
  });

  it('kernel C is its own level: under its wrapper where the release wraps, alone where it does not', () => {
    expect(syscallPath(linux('x86_64', '6.12'), row('stephen'), true, true).inner.map((f) => f.name)).toEqual(['__x64_sys_stephen']);
    expect(syscallPath(linux('x86_64', '2.6.32'), row('stephen'), true, true).inner).toEqual([]);
  });
});

describe('an Oops in kernel C ends its call trace with the entry path of the release', () => {
  it('the frames by release and architecture', () => {
    expect(oopsEntryFrames(linux('x86_64', '6.12'))).toEqual([' do_syscall_64+0x5d/0x170', ' entry_SYSCALL_64_after_hwframe+0x76/0x7e']);
    expect(oopsEntryFrames(linux('x86_64', '4.7.1'))).toEqual([' do_syscall_64+0x5d/0x170', ' entry_SYSCALL64_slow_path+0x25/0x25']);
    expect(oopsEntryFrames(linux('x86_64', '2.6.32'))).toEqual([' system_call_fastpath+0x16/0x1b']);
    expect(oopsEntryFrames(linux('i386', '2.6.32'))).toEqual([' syscall_call+0x7/0xb']);
  });

  it('a NULL dereference on 4.7.1', () => {
    const m = makeMachine({ release: '4.7.1' });
    appendRow(m, '329\tcommon\tcrash\tsys_crash');
    addKernelSource(m, 'crash.c', 'SYSCALL_DEFINE0(crash)\n{\n  int *p = 0;\n  return *p;\n}\n');
    const built = build(m);
    if (!built.built) throw new Error(built.text);
    const b = boot(m, built.built);
    compileInto(b, '/bin/crash', '#include <unistd.h>\nint main(void) { return (int)syscall(329); }\n');
    const r = runProgram(b.machine, ['/bin/crash']);
    expect(r.signo).toBe(11);
    const text = b.machine.log.records().map((l) => l.text);
    const at = text.indexOf('Call Trace:');
    expect(text.slice(at, at + 5)).toEqual(['Call Trace:', ' <TASK>', ' do_syscall_64+0x5d/0x170', ' entry_SYSCALL64_slow_path+0x25/0x25', ' </TASK>']);
  });
});
