// The typed signatures of Linux i386 syscalls (syscall_32.tbl), for strace, D args[] and
// `ksim syscalls` on an i386 machine. Where the i386 call has the x86_64 call's prototype (write,
// exit, openat...) the row is derived by name from the x86_64 signatures; the calls that exist only
// on i386 or differ there (old mmap, mmap2, socketcall, ipc, _llseek, the *64 stat and truncate
// calls, 16-bit and 32-bit uid calls, waitpid, signal, sigaction...) are declared here with the
// prototypes of arch/x86 and include/linux/syscalls.h. strace decodes struct stat64 and the other
// structs with their i386 layouts (src/strace/decode/structs.ts).
import type { ArgDirection, ArgFormat, ArgSpec, RetFormat, SyscallClass } from '../syscall-row.js';
import { linuxSignature, type SyscallSignature } from './signatures.js';

function arg(dir: ArgDirection, ctype: string, name: string, fmt: ArgFormat): ArgSpec {
  return { name, ctype, fmt, dir };
}
const i = (ctype: string, name: string, fmt: ArgFormat): ArgSpec => arg('in', ctype, name, fmt);
const o = (ctype: string, name: string, fmt: ArgFormat): ArgSpec => arg('out', ctype, name, fmt);
const io = (ctype: string, name: string, fmt: ArgFormat): ArgSpec => arg('inout', ctype, name, fmt);

function sys(name: string, ret: RetFormat, classes: SyscallClass[], args: ArgSpec[]): SyscallSignature {
  return { name, args, ret, classes };
}

/** Same prototype as another call (the 32-bit uid calls are the x86_64 ones under a new name). */
function alias(name: string, of: string): SyscallSignature | undefined {
  const s = linuxSignature(of);
  return s ? { ...s, name } : undefined;
}

const uid16 = (name: string, args: ArgSpec[]) => sys(name, 'int', ['creds'], args);

/** Calls whose i386 prototype differs from x86_64's, or that x86_64 does not have. */
export const LINUX_I386_SIGNATURES: readonly SyscallSignature[] = [
  sys('waitpid', 'int', ['process'], [i('pid_t', 'pid', 'pid'), o('int __user *', 'stat_addr', 'wstatus'), i('int', 'options', 'flags:wait')]),
  sys('time', 'int', ['clock'], [o('old_time32_t __user *', 'tloc', 'ptr')]),
  sys('stime', 'int', ['clock'], [i('old_time32_t __user *', 'tptr', 'ptr')]),
  sys('oldstat', 'int', ['file', 'stat'], [i('const char __user *', 'filename', 'path'), o('struct __old_kernel_stat __user *', 'statbuf', 'ptr')]),
  sys('oldfstat', 'int', ['desc', 'fstat'], [i('unsigned int', 'fd', 'fd'), o('struct __old_kernel_stat __user *', 'statbuf', 'ptr')]),
  sys('oldlstat', 'int', ['file', 'lstat'], [i('const char __user *', 'filename', 'path'), o('struct __old_kernel_stat __user *', 'statbuf', 'ptr')]),
  sys('signal', 'hex', ['signal'], [i('int', 'sig', 'signo'), i('__sighandler_t', 'handler', 'ptr')]),
  sys('sigaction', 'int', ['signal'], [i('int', 'sig', 'signo'), i('const struct old_sigaction __user *', 'act', 'struct:old_sigaction'), o('struct old_sigaction __user *', 'oact', 'struct:old_sigaction')]),
  sys('sgetmask', 'int', ['signal'], []),
  sys('ssetmask', 'int', ['signal'], [i('int', 'newmask', 'hex')]),
  sys('sigsuspend', 'int', ['signal'], [i('int', 'unused1', 'int'), i('int', 'unused2', 'int'), i('old_sigset_t', 'mask', 'hex')]),
  sys('sigpending', 'int', ['signal'], [o('old_sigset_t __user *', 'uset', 'ptr')]),
  sys('sigprocmask', 'int', ['signal'], [i('int', 'how', 'int'), i('old_sigset_t __user *', 'nset', 'ptr'), o('old_sigset_t __user *', 'oset', 'ptr')]),
  sys('sigreturn', 'int', ['signal'], []),
  sys('mmap', 'hex', ['memory'], [i('struct mmap_arg_struct __user *', 'arg', 'ptr')]),
  sys('mmap2', 'hex', ['desc', 'memory'], [
    i('unsigned long', 'addr', 'ptr'), i('unsigned long', 'len', 'ulong'), i('unsigned long', 'prot', 'flags:prot'),
    i('unsigned long', 'flags', 'flags:mmap'), i('unsigned long', 'fd', 'fd'), i('unsigned long', 'pgoff', 'hex'),
  ]),
  sys('_llseek', 'int', ['desc'], [
    i('unsigned int', 'fd', 'fd'), i('unsigned long', 'offset_high', 'ulong'), i('unsigned long', 'offset_low', 'ulong'),
    o('loff_t __user *', 'result', 'int64ptr'), i('unsigned int', 'whence', 'enum:whence'),
  ]),
  sys('_newselect', 'int', ['desc'], [
    i('int', 'n', 'int'), io('fd_set __user *', 'inp', 'fdset:0'), io('fd_set __user *', 'outp', 'fdset:0'), io('fd_set __user *', 'exp', 'fdset:0'),
    io('struct __kernel_old_timeval __user *', 'tvp', 'struct:timeval'),
  ]),
  sys('select', 'int', ['desc'], [i('struct sel_arg_struct __user *', 'arg', 'ptr')]),
  sys('stat64', 'int', ['file', 'stat'], [i('const char __user *', 'filename', 'path'), o('struct stat64 __user *', 'statbuf', 'struct:stat64')]),
  sys('lstat64', 'int', ['file', 'lstat'], [i('const char __user *', 'filename', 'path'), o('struct stat64 __user *', 'statbuf', 'struct:stat64')]),
  sys('fstat64', 'int', ['desc', 'fstat'], [i('unsigned long', 'fd', 'fd'), o('struct stat64 __user *', 'statbuf', 'struct:stat64')]),
  sys('fstatat64', 'int', ['desc', 'file', 'stat'], [
    i('int', 'dfd', 'dirfd'), i('const char __user *', 'filename', 'path'), o('struct stat64 __user *', 'statbuf', 'struct:stat64'), i('int', 'flag', 'flags:at'),
  ]),
  sys('truncate64', 'int', ['file'], [i('const char __user *', 'path', 'path'), i('unsigned long', 'length_low', 'ulong'), i('unsigned long', 'length_high', 'ulong')]),
  sys('ftruncate64', 'int', ['desc'], [i('unsigned int', 'fd', 'fd'), i('unsigned long', 'length_low', 'ulong'), i('unsigned long', 'length_high', 'ulong')]),
  sys('fcntl64', 'int', ['desc'], [i('unsigned int', 'fd', 'fd'), i('unsigned int', 'cmd', 'enum:fcntl'), i('unsigned long', 'arg', 'fcntlarg:1')]),
  sys('socketcall', 'int', ['network'], [i('int', 'call', 'int'), i('unsigned long __user *', 'args', 'ptr')]),
  sys('ipc', 'int', ['ipc'], [
    i('unsigned int', 'call', 'uint'), i('int', 'first', 'int'), i('unsigned long', 'second', 'ulong'), i('unsigned long', 'third', 'ulong'),
    i('void __user *', 'ptr', 'ptr'), i('long', 'fifth', 'long'),
  ]),
  sys('oldolduname', 'int', [], [o('struct oldold_utsname __user *', 'name', 'ptr')]),
  sys('olduname', 'int', [], [o('struct old_utsname __user *', 'name', 'ptr')]),
  sys('nice', 'int', [], [i('int', 'increment', 'int')]),
  sys('vm86old', 'int', [], [i('struct vm86_struct __user *', 'user_vm86', 'ptr')]),
  sys('vm86', 'int', [], [i('unsigned long', 'cmd', 'ulong'), i('unsigned long', 'arg', 'hex')]),
  sys('readdir', 'int', ['desc'], [i('unsigned int', 'fd', 'fd'), o('struct old_linux_dirent __user *', 'dirent', 'ptr'), i('unsigned int', 'count', 'uint')]),
  sys('ugetrlimit', 'int', [], [i('unsigned int', 'resource', 'enum:rlimit'), o('struct rlimit __user *', 'rlim', 'struct:rlimit')]),
  sys('sendfile64', 'int', ['desc', 'network'], [i('int', 'out_fd', 'fd'), i('int', 'in_fd', 'fd'), i('loff_t __user *', 'offset', 'int64ptr'), i('size_t', 'count', 'ulong')]),
  sys('statfs64', 'int', ['file', 'statfs'], [i('const char __user *', 'path', 'path'), i('size_t', 'sz', 'ulong'), o('struct statfs64 __user *', 'buf', 'ptr')]),
  sys('fstatfs64', 'int', ['desc'], [i('unsigned int', 'fd', 'fd'), i('size_t', 'sz', 'ulong'), o('struct statfs64 __user *', 'buf', 'ptr')]),
  sys('set_thread_area', 'int', [], [i('struct user_desc __user *', 'u_info', 'ptr')]),
  sys('get_thread_area', 'int', [], [i('struct user_desc __user *', 'u_info', 'ptr')]),
  sys('fadvise64_64', 'int', ['desc'], [
    i('int', 'fd', 'fd'), i('unsigned int', 'offset_low', 'uint'), i('unsigned int', 'offset_high', 'uint'), i('unsigned int', 'len_low', 'uint'), i('unsigned int', 'len_high', 'uint'), i('int', 'advice', 'int'),
  ]),
  uid16('lchown', [i('const char __user *', 'filename', 'path'), i('old_uid_t', 'user', 'uid'), i('old_gid_t', 'group', 'uid')]),
  uid16('fchown', [i('unsigned int', 'fd', 'fd'), i('old_uid_t', 'user', 'uid'), i('old_gid_t', 'group', 'uid')]),
  uid16('chown', [i('const char __user *', 'filename', 'path'), i('old_uid_t', 'user', 'uid'), i('old_gid_t', 'group', 'uid')]),
];

const BY_NAME = new Map<string, SyscallSignature>(LINUX_I386_SIGNATURES.map((s) => [s.name, s]));

/** The 32-bit uid calls of i386 (getuid32...) have the prototypes of the x86_64 calls without the suffix. */
const SUFFIX32 = /^(getuid|geteuid|getgid|getegid|setuid|setgid|setreuid|setregid|setresuid|getresuid|setresgid|getresgid|getgroups|setgroups|chown|lchown|fchown|setfsuid|setfsgid)32$/;

/** The typed signature of an i386 syscall by name. */
export function linuxI386Signature(name: string): SyscallSignature | undefined {
  const own = BY_NAME.get(name);
  if (own) return own;
  const m = SUFFIX32.exec(name);
  if (m) return alias(name, m[1]!);
  return linuxSignature(name);
}
