// Golden tests of strace's line format and decoded types, fed with synthetic kernel events and a
// fake task whose memory is a Map of bytes. Expected lines are what strace 6.1 prints for the same
// calls on x86_64 (checked against the host's strace).
import { describe, expect, it } from 'vitest';
import { FakeTask, Harness, row } from './helpers.js';
import type { SyscallRow } from '../../src/kernel/syscall-row.js';
import { LINUX_X86_64_SIGNATURES } from '../../src/kernel/linux/signatures.js';
import { LINUX_X86_64_TABLE } from '../../src/kernel/linux/tables.js';

const AT_FDCWD = -100;

describe('line format', () => {
  it('aligns = at column 40 and writes errors with their names and texts', () => {
    const h = new Harness();
    const t = new FakeTask(100);
    const buf = t.zeros(16);
    h.call(t, 'read', [3, buf, 10], 3, { during: () => t.poke(buf, 'vm\n') });
    const path = t.cstr('/nonexistent');
    h.call(t, 'openat', [AT_FDCWD, path, 0], 0, { errno: 2 });
    expect(h.stderr).toBe(
      'read(3, "vm\\n", 10)                     = 3\n' +
      'openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)\n',
    );
  });

  it('prints exit_group as = ? and the exit and kill notices', () => {
    const h = new Harness();
    const t = new FakeTask(100);
    h.enter(t, 'exit_group', [0]);
    h.strace.exit({ task: t, code: 0, coreDumped: false, timeNs: 0 });
    expect(h.stderr).toBe('exit_group(0)                           = ?\n+++ exited with 0 +++\n');
    const h2 = new Harness();
    const t2 = new FakeTask(7);
    h2.call(t2, 'getpid', [], 7);
    h2.strace.signalDeliver({ task: t2, signo: 11, info: { code: 1, addr: 0 }, handler: 0, mask: 0, timeNs: 0 });
    h2.strace.exit({ task: t2, signo: 11, coreDumped: true, timeNs: 0 });
    expect(h2.stderr).toBe(
      'getpid()                                = 7\n' +
      '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---\n' +
      '+++ killed by SIGSEGV (core dumped) +++\n',
    );
  });

  it('writes unknown errnos, unknown syscalls with six hex args, and custom rows from their signature', () => {
    const stephen: SyscallRow = {
      nr: 548, name: 'stephen', abi: 'common', entry: 'sys_stephen', ret: 'int', support: 'full', note: '',
      classes: [], custom: true, args: [{ name: 'msg', ctype: 'const char __user *', fmt: 'str', dir: 'in' }],
    };
    const h = new Harness({}, [row('getpid'), stephen]);
    const t = new FakeTask(5);
    h.call(t, 'getpid', [], 0, { errno: 200 });
    h.call(t, 0x1c8, [1, 2, 3, 0, 0x7f6b94c226d0, 0x7ffeadaa5bb8], 0, { errno: 38 });
    h.call(t, 'stephen', [t.cstr('hi')], 0);
    expect(h.stderr).toBe(
      'getpid()                                = -1 (errno 200)\n' +
      'syscall_0x1c8(0x1, 0x2, 0x3, 0, 0x7f6b94c226d0, 0x7ffeadaa5bb8) = -1 ENOSYS (Function not implemented)\n' +
      'stephen("hi")                           = 0\n',
    );
  });

  it('interleaves processes with [pid N] prefixes, unfinished and resumed lines (-f)', () => {
    // The shape of strace -f's output for fork + exit_group(3) + wait4 (see fmt.c in the notes).
    const h = new Harness({ followForks: true });
    const parent = new FakeTask(11597);
    const child = new FakeTask(11598, 11597);
    const tidptr = 0x7f8663a3fa10;
    const cloneArgs = [0x1200011, 0, 0, tidptr, 0];
    h.enter(parent, 'clone', cloneArgs);
    h.strace.fork({ task: parent, child, timeNs: 0 });
    h.call(child, 'set_robust_list', [0x7f8663a3fa20, 24], 0);
    h.enter(child, 'exit_group', [3]);
    h.exit(parent, 'clone', cloneArgs, 11598);
    const status = parent.zeros(4);
    h.enter(parent, 'wait4', [11598, status, 0, 0]);
    h.strace.exit({ task: child, code: 3, coreDumped: false, timeNs: 0 });
    parent.setU32(status, 3 << 8);
    h.exit(parent, 'wait4', [11598, status, 0, 0], 11598);
    expect(h.stderr).toBe(
      'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 11598 attached\n' +
      ' <unfinished ...>\n' +
      '[pid 11598] set_robust_list(0x7f8663a3fa20, 24) = 0\n' +
      '[pid 11598] exit_group(3 <unfinished ...>\n' +
      '[pid 11597] <... clone resumed>, child_tidptr=0x7f8663a3fa10) = 11598\n' +
      '[pid 11597] wait4(11598,  <unfinished ...>\n' +
      '[pid 11598] <... exit_group resumed>)   = ?\n' +
      '[pid 11598] +++ exited with 3 +++\n' +
      '<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 11598\n',
    );
  });

  it('prints SIGCHLD siginfo', () => {
    const h = new Harness();
    const t = new FakeTask(10);
    h.call(t, 'getpid', [], 10);
    h.strace.signalDeliver({ task: t, signo: 17, info: { code: 1, pid: 11, uid: 0, status: 0 }, handler: 0x401136, mask: 0, timeNs: 0 });
    expect(h.stderr.split('\n')[1]).toBe(
      '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=11, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---',
    );
  });
});

describe('strings', () => {
  const bytes = [1, 0x38, 1, 0x37, 1, 0x39, 0x61, 0xff, 0x22, 0x5c, 0x7f, 0x1b, 0];
  function writeWith(args: string[]): string {
    const h = new Harness(args);
    const t = new FakeTask(1);
    h.call(t, 'write', [1, t.put(bytes), 13], 13);
    h.call(t, 'write', [1, t.put('abc'), 3], 3);
    return h.stderr;
  }

  it('escapes as strace does, octal three digits only before an octal digit', () => {
    expect(writeWith([])).toBe(
      'write(1, "\\18\\0017\\19a\\377\\"\\\\\\177\\33\\0", 13) = 13\n' +
      'write(1, "abc", 3)                      = 3\n',
    );
  });

  it('-x hex-quotes strings with non-printables, -xx every string, -s cuts with ...', () => {
    expect(writeWith(['-x'])).toBe(
      'write(1, "\\x01\\x38\\x01\\x37\\x01\\x39\\x61\\xff\\x22\\x5c\\x7f\\x1b\\x00", 13) = 13\n' +
      'write(1, "abc", 3)                      = 3\n',
    );
    expect(writeWith(['-xx']).split('\n')[1]).toBe('write(1, "\\x61\\x62\\x63", 3)             = 3');
    expect(writeWith(['-s', '2'])).toBe('write(1, "\\18"..., 13)                  = 13\nwrite(1, "ab"..., 3)                    = 3\n');
  });

  it('never cuts paths; cuts str arguments at -s', () => {
    const h = new Harness(['-s', '4']);
    const t = new FakeTask(1);
    h.call(t, 'mkdir', [t.cstr('/tmp/x/y/z'), 0o755], 0, { errno: 2 });
    h.call(t, 'memfd_create', [t.cstr('longname'), 1], 3);
    expect(h.stderr).toBe(
      'mkdir("/tmp/x/y/z", 0755)               = -1 ENOENT (No such file or directory)\n' +
      'memfd_create("long"..., MFD_CLOEXEC)    = 3\n',
    );
  });

  it('prints the address of unreadable memory', () => {
    const h = new Harness();
    const t = new FakeTask(1);
    h.call(t, 'write', [1, 0x1000, 5], 0, { errno: 14 });
    h.call(t, 'chdir', [0xdead0], 0, { errno: 14 });
    expect(h.stderr).toBe(
      'write(1, 0x1000, 5)                     = -1 EFAULT (Bad address)\n' +
      'chdir(0xdead0)                          = -1 EFAULT (Bad address)\n',
    );
  });
});

describe('decoded types', () => {
  function one(fn: (h: Harness, t: FakeTask) => void, args: string[] = []): string {
    const h = new Harness(args);
    const t = new FakeTask(1);
    fn(h, t);
    return h.stderr;
  }

  function statBuf(t: FakeTask, mode: number, size: number): number {
    const b = new Uint8Array(144);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, 0xfe00n, true);
    dv.setBigUint64(8, 612n, true);
    dv.setBigUint64(16, 1n, true);
    dv.setUint32(24, mode, true);
    dv.setBigInt64(48, BigInt(size), true);
    dv.setBigInt64(56, 4096n, true);
    dv.setBigInt64(64, 8n, true);
    dv.setBigInt64(72, 1795376028n, true);
    dv.setBigInt64(80, 739529156n, true);
    dv.setBigInt64(88, 1795375445n, true);
    dv.setBigInt64(104, 1795375445n, true);
    return t.put(b);
  }

  it('stat, abbreviated and with -v', () => {
    const f = (h: Harness, t: FakeTask) => {
      const st = statBuf(t, 0o100755, 3);
      h.call(t, 'newfstatat', [AT_FDCWD, t.cstr('/etc/hostname'), st, 0], 0);
      h.call(t, 'newfstatat', [AT_FDCWD, t.cstr('/nonexist'), 0x7ffc82638810, 0x100], 0, { errno: 2 });
    };
    expect(one(f)).toBe(
      'newfstatat(AT_FDCWD, "/etc/hostname", {st_mode=S_IFREG|0755, st_size=3, ...}, 0) = 0\n' +
      'newfstatat(AT_FDCWD, "/nonexist", 0x7ffc82638810, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)\n',
    );
    expect(one(f, ['-v']).split('\n')[0]).toBe(
      'newfstatat(AT_FDCWD, "/etc/hostname", {st_dev=makedev(0xfe, 0), st_ino=612, st_mode=S_IFREG|0755, st_nlink=1, ' +
      'st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=3, st_atime=1795376028 /* 2026-11-22T19:33:48.739529156+0000 */, ' +
      'st_atime_nsec=739529156, st_mtime=1795375445 /* 2026-11-22T19:24:05+0000 */, st_mtime_nsec=0, ' +
      'st_ctime=1795375445 /* 2026-11-22T19:24:05+0000 */, st_ctime_nsec=0}, 0) = 0',
    );
  });

  it('utsname, sigaction, sigsets', () => {
    const out = one((h, t) => {
      const u = new Uint8Array(390);
      ['Linux', 'vm', '6.18.44', '#1 SMP', 'x86_64', '(none)'].forEach((s, i) => u.set(new TextEncoder().encode(s), i * 65));
      const ub = t.zeros(390);
      h.call(t, 'uname', [ub], 0, { during: () => t.poke(ub, u) });
      const act = t.words(0x555908f01399, 0x14000000, 0x7f8663a7e050, 1n << 14n);
      h.call(t, 'rt_sigaction', [2, act, 0, 8], 0);
      const set = t.words((1n << 1n) | (1n << 33n));
      h.call(t, 'rt_sigprocmask', [0, set, 0, 8], 0);
      const full = t.words(~((1n << 8n) | (1n << 31n) | (1n << 32n)));
      const old = t.words(0);
      h.call(t, 'rt_sigprocmask', [2, full, old, 8], 0, { during: () => t.setU64(old, (1n << 1n) | (1n << 33n)) });
    });
    expect(out).toBe(
      'uname({sysname="Linux", nodename="vm", ...}) = 0\n' +
      'rt_sigaction(SIGINT, {sa_handler=0x555908f01399, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f8663a7e050}, NULL, 8) = 0\n' +
      'rt_sigprocmask(SIG_BLOCK, [INT RT_2], NULL, 8) = 0\n' +
      'rt_sigprocmask(SIG_SETMASK, ~[KILL RTMIN RT_1], [INT RT_2], 8) = 0\n',
    );
  });

  it('timespec, iovec, rlimit, pipe fds, fcntl, ioctl, getrandom, access, umask, lseek, mmap', () => {
    const out = one((h, t) => {
      h.call(t, 'clock_nanosleep', [0, 0, t.words(0, 1000), 0], 0);
      const iov = t.words(t.put('ab\n'), 3, t.put([1, 2, 0x7a, 0x7a, 9, 0x39, 0x22]), 7);
      h.call(t, 'writev', [1, iov, 2], 10);
      const rl = t.zeros(16);
      h.call(t, 'prlimit64', [0, 3, 0, rl], 0, { during: () => t.poke(rl, new Uint8Array(new BigUint64Array([8192n * 1024n, 0xffffffffffffffffn]).buffer)) });
      const fds = t.zeros(8);
      h.call(t, 'pipe2', [fds, 0o2000000], 0, { during: () => { t.setU32(fds, 3); t.setU32(fds + 4, 4); } });
      h.call(t, 'dup2', [4, 10], 10);
      h.call(t, 'fcntl', [10, 2, 1], 0);
      h.call(t, 'fcntl', [10, 3], 1);
      h.call(t, 'ioctl', [1, 0x5413, 0x7ffc826384a0], 0, { errno: 25 });
      const n = t.zeros(4);
      h.call(t, 'ioctl', [3, 0x541b, n], 0);
      const rnd = t.zeros(8);
      h.call(t, 'getrandom', [rnd, 8, 1], 8, { during: () => t.poke(rnd, [0xea, 0xd7, 0x55, 0x16, 0x86, 0x5a, 0x58, 0x71]) });
      h.call(t, 'access', [t.cstr('/etc'), 6], 0);
      h.call(t, 'umask', [0o22], 0o22);
      h.call(t, 'lseek', [0, 0, 2], 0);
      h.call(t, 'mmap', [0, 4096, 5, 0x22, -1, 0], 0x7f8663c2c000);
    });
    expect(out).toBe([
      'clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0',
      'writev(1, [{iov_base="ab\\n", iov_len=3}, {iov_base="\\1\\2zz\\t9\\"", iov_len=7}], 2) = 10',
      'prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0',
      'pipe2([3, 4], O_CLOEXEC)                = 0',
      'dup2(4, 10)                             = 10',
      'fcntl(10, F_SETFD, FD_CLOEXEC)          = 0',
      'fcntl(10, F_GETFL)                      = 0x1 (flags O_WRONLY)',
      'ioctl(1, TIOCGWINSZ, 0x7ffc826384a0)    = -1 ENOTTY (Inappropriate ioctl for device)',
      'ioctl(3, FIONREAD, [0])                 = 0',
      'getrandom("\\xea\\xd7\\x55\\x16\\x86\\x5a\\x58\\x71", 8, GRND_NONBLOCK) = 8',
      'access("/etc", R_OK|W_OK)               = 0',
      'umask(022)                              = 022',
      'lseek(0, 0, SEEK_END)                   = 0',
      'mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f8663c2c000',
      '',
    ].join('\n'));
  });

  it('flags with unknown bits and unknown constants', () => {
    const out = one((h, t) => {
      h.call(t, 'openat', [AT_FDCWD, t.cstr('/x'), 0x7fffffff, 0], 0, { errno: 2 });
      h.call(t, 'openat', [AT_FDCWD, t.cstr('/x'), 0o20200002, 0o600], 0, { errno: 2 });
      h.call(t, 'openat', [AT_FDCWD, t.cstr('/x'), 0o4010000 | 0o1 | 0o100 | 0o1000 | 0o2000 | 0o4000, 0o644], 3);
      h.call(t, 'lseek', [1, 4294967291, 7], 0, { errno: 22 });
      h.call(t, 'clock_gettime', [77, 0], 0, { errno: 22 });
      h.call(t, 'wait4', [-1, 0, 0xffffffff, 0], 0, { errno: 22 });
      h.call(t, 'kill', [1, 64], 0);
      h.call(t, 'kill', [1, 65], 0, { errno: 22 });
      h.call(t, 'fcntl', [1, 0x4444, 0], 0, { errno: 22 });
      h.call(t, 'ioctl', [1, 0xdeadbeef, 0], 0, { errno: 25 });
      h.call(t, 'prlimit64', [0, 99, 0, 0], 0, { errno: 22 });
      h.call(t, 'socket', [2, 0x80801, 0], 4);
      h.call(t, 'futex', [0, 0x81, 1], 0);
    });
    expect(out).toBe([
      'openat(AT_FDCWD, "/x", O_ACCMODE|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0x7f80003c, 000) = -1 ENOENT (No such file or directory)',
      'openat(AT_FDCWD, "/x", O_RDWR|O_TMPFILE, 0600) = -1 ENOENT (No such file or directory)',
      'openat(AT_FDCWD, "/x", O_WRONLY|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC, 0644) = 3',
      'lseek(1, 4294967291, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)',
      'clock_gettime(0x4d /* CLOCK_??? */, NULL) = -1 EINVAL (Invalid argument)',
      'wait4(-1, NULL, WNOHANG|WSTOPPED|WEXITED|WCONTINUED|WNOWAIT|__WNOTHREAD|__WALL|__WCLONE|0x1efffff0, NULL) = -1 EINVAL (Invalid argument)',
      'kill(1, SIGRT_32)                       = 0',
      'kill(1, 65)                             = -1 EINVAL (Invalid argument)',
      'fcntl(1, 0x4444 /* F_??? */, 0)         = -1 EINVAL (Invalid argument)',
      'ioctl(1, _IOC(_IOC_READ|_IOC_WRITE, 0xbe, 0xef, 0x1ead), 0) = -1 ENOTTY (Inappropriate ioctl for device)',
      'prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, NULL) = -1 EINVAL (Invalid argument)',
      'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 4',
      'futex(NULL, FUTEX_WAKE_PRIVATE, 1)      = 0',
      '',
    ].join('\n'));
  });

  it('execve argv and envp, wait statuses', () => {
    const out = one((h, t) => {
      const argv = t.words(t.cstr('./test'), t.cstr('hi'), 0);
      const envs = Array.from({ length: 12 }, (_, i) => t.cstr(`V${i}=1`));
      const envp = t.words(...envs, 0);
      h.call(t, 'execve', [t.cstr('./test'), argv, envp], 0);
      const st = t.zeros(4);
      h.call(t, 'wait4', [-1, st, 0, 0], 12, { during: () => t.setU32(st, 9) });
      h.call(t, 'wait4', [-1, st, 0, 0], 13, { during: () => t.setU32(st, 0x8b) });
      h.call(t, 'wait4', [-1, st, 1, 0], 0);
    });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^execve\("\.\/test", \["\.\/test", "hi"\], 0x[0-9a-f]+ \/\* 12 vars \*\/\) = 0$/);
    expect(lines.slice(1)).toEqual([
      'wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 12',
      'wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 13',
      expect.stringMatching(/^wait4\(-1, 0x[0-9a-f]+, WNOHANG, NULL\) +\= 0$/),
      '',
    ]);
  });
});

describe('signatures', () => {
  it('cover 0..334 and 424..450 in the kernel table order', () => {
    const names = LINUX_X86_64_TABLE.filter((r) => (r.nr <= 334 || (r.nr >= 424 && r.nr <= 450)) && r.abi !== 'x32').map((r) => r.name);
    expect(LINUX_X86_64_SIGNATURES.map((s) => s.name)).toEqual(names);
  });

  it('use only the ArgFormat vocabulary and valid argument references', () => {
    const known = /^(int|uint|long|ulong|hex|uid|fd|dirfd|pid|signo|mode|dev|path|str|ostr|ptr|intptr|int64ptr|fds2|argv|envp|wstatus|(buf|obuf|obufx|iovec|sigset|sockaddr|pollfd|fdset|cpuset|ioctlarg|fcntlarg):[0-5]|(flags|enum|struct):[a-z0-9_]+|struct:[a-z0-9_]+:ifrestart)$/;
    for (const s of LINUX_X86_64_SIGNATURES) {
      expect(s.args.length).toBeLessThanOrEqual(6);
      for (const a of s.args) {
        expect(a.fmt, `${s.name}.${a.name}`).toMatch(known);
        const ref = /:(\d)$/.exec(a.fmt);
        if (ref) expect(Number(ref[1]), `${s.name}.${a.name}`).toBeLessThan(s.args.length);
      }
    }
  });
});
