// kdump's output, byte for byte as FreeBSD's kdump prints it, for every record type and flag.
import { describe, expect, it } from 'vitest';
import { H, kdump, trace, u8 } from './helpers.js';
import type { KtrBody, KtrHeaderInit } from '../../src/ktrace/format.js';
import {
  ALL_POINTS, CAPFAIL_NAMEI, CAPFAIL_NOTCAPABLE, CAPFAIL_SIGNAL, CAPFAIL_SYSCALL, parseTracePoints,
} from '../../src/ktrace/format.js';
import { encodeCapRights } from '../../src/ktrace/sysdecode.js';
import { encodeFreebsdStat } from '../../src/ktrace/recorder.js';
import { TIMESTAMP_ABSOLUTE, TIMESTAMP_ELAPSED, TIMESTAMP_RELATIVE } from '../../src/ktrace/kdump.js';

const FREEBSD = 0x209; // SV_ABI_FREEBSD | SV_LP64
const LINUX = 0x203; // SV_ABI_LINUX | SV_LP64
const P = '  2345 test_mysyscall ';

type Rec = [Partial<KtrHeaderInit>, KtrBody, number?];
const names: Array<[number, string]> = [
  [3, 'read'], [4, 'write'], [5, 'open'], [7, 'wait4'], [15, 'chmod'], [33, 'access'], [37, 'kill'], [54, 'ioctl'],
  [74, 'mprotect'], [92, 'fcntl'], [97, 'socket'], [136, 'mkdir'], [340, 'sigprocmask'], [416, 'sigaction'],
  [477, 'mmap'], [478, 'lseek'], [499, 'openat'], [548, 'mysyscall'],
];
const prelude = (svFlags = FREEBSD): Rec[] => [
  [{}, { kind: 'procctor', svFlags }],
  ...names.map(([nr, name]): Rec => [{}, { kind: 'ksim_name', nr, name }]),
];
const call = (code: number, ...args: Array<number | bigint>): Rec => [{}, { kind: 'syscall', code, args }];
const ret = (code: number, retval: number | bigint, error = 0): Rec => [{}, { kind: 'sysret', code, eosys: 0, error, retval }];
const dump = (recs: Rec[], opts = {}, svFlags = FREEBSD): string => kdump(trace([...prelude(svFlags), ...recs]), opts).out;

describe('CALL and RET', () => {
  it('prints the reference example lines', () => {
    expect(dump([call(548, 0x2a), ret(548, 84)])).toBe(
      `${P}CALL  mysyscall(0x2a)\n${P}RET   mysyscall 84/0x54\n`);
  });

  it('prints small results without hex, negative and large ones with it', () => {
    expect(dump([ret(548, 0), ret(548, 9), ret(548, 10), ret(548, -1)])).toBe(
      `${P}RET   mysyscall 0\n${P}RET   mysyscall 9\n${P}RET   mysyscall 10/0xa\n` +
      `${P}RET   mysyscall -1/0xffffffffffffffff\n`);
  });

  it('prints errors with FreeBSD errno texts, RESTART and JUSTRETURN', () => {
    expect(dump([ret(5, 0, 2), ret(5, 0, 35), ret(5, 0, 93), ret(5, 0, 250), ret(5, 0, -1), ret(5, 0, -2)])).toBe(
      `${P}RET   open -1 errno 2 No such file or directory\n` +
      `${P}RET   open -1 errno 35 Resource temporarily unavailable\n` +
      `${P}RET   open -1 errno 93 Capabilities insufficient\n` +
      `${P}RET   open -1 errno 250 Unknown error: 250\n` +
      `${P}RET   open RESTART\n${P}RET   open JUSTRETURN\n`);
  });

  it('-n: no decoding, hex results, no errno text; -d: decimal', () => {
    const recs = [call(5, 0x1000, 0x601, 0o644), ret(548, 84), ret(548, 0), ret(5, 0, 2)];
    expect(dump(recs, { fancy: false })).toBe(
      `${P}CALL  open(0x1000,0x601,0x1a4)\n${P}RET   mysyscall 0x54\n${P}RET   mysyscall 0\n${P}RET   open -1 errno 2\n`);
    expect(dump(recs, { fancy: false, decimal: true })).toBe(
      `${P}CALL  open(4096,1537,420)\n${P}RET   mysyscall 84\n${P}RET   mysyscall 0\n${P}RET   open -1 errno 2\n`);
    expect(dump([call(477, 0, 4096, 3, 0x1002, -1, 0)], { decimal: true })).toBe(
      `${P}CALL  mmap(0,4096,0x3<PROT_READ|PROT_WRITE>,0x1002<MAP_PRIVATE|MAP_ANON>,-1,0)\n`);
  });

  it('-S adds numbers; unknown numbers print as [N]; no arguments print no parentheses', () => {
    expect(dump([call(548, 1), call(999, 1, 2), call(999)], { syscallNumbers: true })).toBe(
      `${P}CALL  mysyscall[548](0x1)\n${P}CALL  [999](0x1,0x2)\n${P}CALL  [999]\n`);
  });

  it('falls back to the caller\'s syscall table when the file has no name record', () => {
    const out = kdump(trace([[{}, { kind: 'procctor', svFlags: FREEBSD }], call(20), ret(20, 2345)]), {
      syscallName: (abi, nr) => (abi === 'freebsd' && nr === 20 ? 'getpid' : undefined),
    }).out;
    expect(out).toBe(`${P}CALL  getpid\n${P}RET   getpid 2345/0x929\n`);
  });
});

describe('decoded arguments (FreeBSD)', () => {
  const cases: Array<[string, Rec, string]> = [
    ['open O_RDONLY|O_CLOEXEC', call(5, 0x7fffffffe000, 0x100000, 0), 'open(0x7fffffffe000,0x100000<O_RDONLY|O_CLOEXEC>)'],
    ['open O_CREAT with mode', call(5, 0x1000, 0x601, 0o644), 'open(0x1000,0x601<O_WRONLY|O_CREAT|O_TRUNC>,0644<S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH>)'],
    ['openat AT_FDCWD', call(499, -100, 0x1000, 0x100000, 0), 'openat(AT_FDCWD,0x1000,0x100000<O_RDONLY|O_CLOEXEC>)'],
    ['openat on a descriptor', call(499, 3, 0x1000, 0x20002, 0), 'openat(0x3,0x1000,0x20002<O_RDWR|O_DIRECTORY>)'],
    ['access R_OK', call(33, 0x1000, 4), 'access(0x1000,0x4<R_OK>)'],
    ['access F_OK', call(33, 0x1000, 0), 'access(0x1000,0<F_OK>)'],
    ['access invalid', call(33, 0x1000, 8), 'access(0x1000,0x8<><invalid>8)'],
    ['chmod 0755', call(15, 0x1000, 0o755), 'chmod(0x1000,0755<S_IRWXU|S_IRGRP|S_IXGRP|S_IROTH|S_IXOTH>)'],
    ['mkdir 0', call(136, 0x1000, 0), 'mkdir(0x1000,0)'],
    ['mmap', call(477, 0, 4096, 3, 0x1002, 0xffffffff, 0), 'mmap(0,0x1000,0x3<PROT_READ|PROT_WRITE>,0x1002<MAP_PRIVATE|MAP_ANON>,0xffffffff,0)'],
    ['mmap PROT_NONE MAP_GUARD', call(477, 0, 4096, 0, 0x2000, 0xffffffff, 0), 'mmap(0,0x1000,0<PROT_NONE>,0x2000<MAP_GUARD>,0xffffffff,0)'],
    ['mprotect', call(74, 0x200000, 4096, 5), 'mprotect(0x200000,0x1000,0x5<PROT_READ|PROT_EXEC>)'],
    ['fcntl F_SETFD', call(92, 3, 2, 1), 'fcntl(0x3,F_SETFD,FD_CLOEXEC)'],
    ['fcntl F_GETFL', call(92, 3, 3, 0), 'fcntl(0x3,F_GETFL)'],
    ['fcntl F_SETFL', call(92, 3, 4, 4), 'fcntl(0x3,F_SETFL,0x4<O_RDONLY|O_NONBLOCK>)'],
    ['fcntl unknown', call(92, 3, 99, 7), 'fcntl(0x3,<invalid=0x63>,0x7)'],
    ['ioctl TIOCGETA', call(54, 1, 0x402c7413, 0x7fffffffe000), 'ioctl(0x1,TIOCGETA,0x7fffffffe000)'],
    ['ioctl unknown', call(54, 1, 0x1234, 0), 'ioctl(0x1,0x1234,0)'],
    ['kill', call(37, 100, 15), 'kill(0x64,SIGTERM)'],
    ['kill unknown signal', call(37, 100, 99), 'kill(0x64,SIG 99)'],
    ['sigaction', call(416, 2, 0x1000, 0), 'sigaction(SIGINT,0x1000,0)'],
    ['sigprocmask', call(340, 1, 0x1000, 0), 'sigprocmask(SIG_BLOCK,0x1000,0)'],
    ['wait4', call(7, 0xffffffff, 0x1000, 0, 0), 'wait4(0xffffffff,0x1000,0,0)'],
    ['wait4 WNOHANG', call(7, 0xffffffff, 0x1000, 1, 0), 'wait4(0xffffffff,0x1000,0x1<WNOHANG>,0)'],
    ['lseek', call(478, 3, 0, 2), 'lseek(0x3,0,SEEK_END)'],
    ['socket inet', call(97, 2, 1, 6), 'socket(PF_INET,0x1<SOCK_STREAM>,IPPROTO_TCP)'],
    ['socket local', call(97, 1, 0x10000001, 0), 'socket(PF_LOCAL,0x10000001<SOCK_STREAM|SOCK_CLOEXEC>,0)'],
  ];
  for (const [what, rec, text] of cases) {
    it(what, () => expect(dump([rec])).toBe(`${P}CALL  ${text}\n`));
  }

  it('-d prints plain numbers in decimal and keeps masks in hex', () => {
    expect(dump([call(5, 4096, 0x601, 0o644)], { decimal: true })).toBe(
      `${P}CALL  open(4096,0x601<O_WRONLY|O_CREAT|O_TRUNC>,0644<S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH>)\n`);
    expect(dump([call(92, 3, 99, 7)], { decimal: true })).toBe(`${P}CALL  fcntl(3,<invalid=99>,7)\n`);
  });
});

describe('NAMI, SCTL', () => {
  it('quotes the path', () => {
    expect(dump([[{}, { kind: 'namei', path: u8('/etc/passwd') }], [{}, { kind: 'sysctl', name: u8('kern.ostype') }]])).toBe(
      `${P}NAMI  "/etc/passwd"\n${P}SCTL  "kern.ostype"\n`);
  });
});

describe('GIO', () => {
  const gio = (data: Uint8Array, rw = 1, fd = 1): Rec => [{}, { kind: 'genio', fd, rw, data }];

  it('prints text vis-style between quotes (reference example)', () => {
    expect(dump([gio(u8('ktrace\n'))])).toBe(`${P}GIO   fd 1 wrote 7 bytes\n       "ktrace\n       "\n`);
  });

  it('starts continuation lines with a TAB and closes an unterminated line', () => {
    expect(dump([gio(u8('line1\nline2\nend'), 0, 0)])).toBe(
      `${P}GIO   fd 0 read 15 bytes\n       "line1\n\tline2\n\tend"\n`);
  });

  it('encodes \\r \\0 and backslash, passes TAB through', () => {
    expect(dump([gio(u8('a\tb\r\0c\\\n'))])).toBe(
      `${P}GIO   fd 1 wrote 8 bytes\n       "a\tb\\r\\0c\\\\\n       "\n`);
    expect(dump([gio(u8('\x001'))])).toBe(`${P}GIO   fd 1 wrote 2 bytes\n       "\\0001"\n`);
  });

  it('folds long lines at the screen width with a backslash', () => {
    const x = 'x'.repeat(100);
    expect(dump([gio(u8(x))])).toBe(`${P}GIO   fd 1 wrote 100 bytes\n       "${'x'.repeat(70)}\\\n\t${'x'.repeat(30)}"\n`);
    expect(dump([gio(u8(x))], { screenWidth: 40 })).toBe(
      `${P}GIO   fd 1 wrote 100 bytes\n       "${'x'.repeat(30)}\\\n\t${'x'.repeat(30)}\\\n\t${'x'.repeat(30)}\\\n\t${'x'.repeat(10)}"\n`);
  });

  it('prints binary data as a hex dump (reference example), with kdump\'s extra newline after a short last line', () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 0x68, 0x69]);
    expect(dump([gio(elf, 0, 3)])).toBe(
      `${P}GIO   fd 3 read 22 bytes\n` +
      '       0x0000 7f45 4c46 0201 0100 0000 0000 0000 0000  |.ELF............|\n' +
      '       0x0010 0300 3e00 6869                           |..>.hi|\n\n');
    const full = new Uint8Array(16).map((_, i) => (i === 0 ? 0x80 : 0x41 + i));
    expect(dump([gio(full)])).toBe(
      `${P}GIO   fd 1 wrote 16 bytes\n       0x0000 8042 4344 4546 4748 494a 4b4c 4d4e 4f50  |.BCDEFGHIJKLMNOP|\n`);
  });

  it('fits the hex dump to a wider terminal', () => {
    // At 100 columns 22 bytes fit on a line (kdump's width loop).
    const data = new Uint8Array(22).fill(0xff);
    const out = dump([gio(data)], { screenWidth: 100 });
    expect(out.split('\n').slice(1)).toEqual(['       0x0000 ' + 'ffff '.repeat(11).trimEnd() + '  |' + '.'.repeat(22) + '|', '']);
  });

  it('-s suppresses data; -m caps it; 1 byte is "byte"', () => {
    expect(dump([gio(u8('hello\n'))], { suppressData: true })).toBe(`${P}GIO   fd 1 wrote 6 bytes\n`);
    expect(dump([gio(u8('hello\n'))], { maxData: 3 })).toBe(`${P}GIO   fd 1 wrote 6 bytes\n       "hel"\n`);
    expect(dump([gio(u8('\n'))])).toBe(`${P}GIO   fd 1 wrote 1 byte\n       "\n       "\n`);
    expect(dump([gio(u8(''))])).toBe(`${P}GIO   fd 1 wrote 0 bytes\n       ""\n`);
  });
});

describe('PSIG, CSW, USER, PFLT, PRET', () => {
  it('PSIG default and caught', () => {
    expect(dump([
      [{}, { kind: 'psig', signo: 11, action: 0, code: 1, mask: [0, 0, 0, 0] }],
      [{}, { kind: 'psig', signo: 2, action: 0x401000, code: 0x10001, mask: [0x2, 0, 0, 0] }],
      [{}, { kind: 'psig', signo: 20, action: 0, code: 1, mask: [0, 0, 0, 0] }],
      [{}, { kind: 'psig', signo: 15, action: 0, code: 99, mask: [0, 0, 0, 0] }],
    ])).toBe(
      `${P}PSIG  SIGSEGV SIG_DFL code=SEGV_MAPERR\n` +
      `${P}PSIG  SIGINT caught handler=0x401000 mask=0x2 code=SI_USER\n` +
      `${P}PSIG  SIGCHLD SIG_DFL code=CLD_EXITED\n` +
      `${P}PSIG  SIGTERM SIG_DFL code=<invalid=0x63>\n`);
  });

  it('CSW, new and old layouts', () => {
    expect(dump([
      [{}, { kind: 'csw', out: 1, user: 0, wmesg: u8('piperd\0\0') }],
      [{}, { kind: 'csw', out: 0, user: 0, wmesg: u8('piperd\0\0') }],
      [{}, { kind: 'csw', out: 1, user: 1, wmesg: undefined }],
    ])).toBe(`${P}CSW   stop kernel "piperd"\n${P}CSW   resume kernel "piperd"\n${P}CSW   stop user\n`);
  });

  it('USER as bytes, -d decimal, malloc utrace records', () => {
    const m = new Uint8Array(24);
    const dv = new DataView(m.buffer);
    dv.setBigUint64(8, 32n, true);
    dv.setBigUint64(16, 0x801000n, true);
    expect(dump([[{}, { kind: 'user', data: u8('hi!') }], [{}, { kind: 'user', data: m }]])).toBe(
      `${P}USER  3  68 69 21\n${P}USER  0x801000 = malloc(32)\n`);
    expect(dump([[{}, { kind: 'user', data: u8('hi') }]], { decimal: true })).toBe(`${P}USER  2  104 105\n`);
  });

  it('PFLT and PRET', () => {
    expect(dump([
      [{}, { kind: 'fault', vaddr: 0xdeadb000, type: 2 }],
      [{}, { kind: 'faultend', result: 1 }],
      [{}, { kind: 'faultend', result: 77 }],
    ])).toBe(`${P}PFLT  0xdeadb000 0x2<VM_PROT_WRITE>\n${P}PRET  KERN_INVALID_ADDRESS\n${P}PRET  <invalid=77>\n`);
  });
});

describe('STRU', () => {
  const st = encodeFreebsdStat({
    dev: 92, ino: 1234, nlink: 1, mode: 0o100644, uid: 1001, gid: 0, rdev: 0,
    atime: { sec: 1700000000, nsec: 0 }, mtime: { sec: 1700000001, nsec: 5 }, ctime: { sec: 1700000002, nsec: 0 },
    birthtime: { sec: -1, nsec: 0 }, size: 4096, blocks: 8, blksize: 32768, flags: 0,
  });
  const stru = (name: string, data: Uint8Array): Rec => [{}, { kind: 'struct', raw: new Uint8Array([...u8(name), 0, ...data]) }];

  it('decodes struct stat', () => {
    expect(dump([stru('stat', st)])).toBe(
      `${P}STRU  struct stat {dev=92, ino=1234, mode=0100644, nlink=1, uid=1001, gid=0, rdev=0, ` +
      'atime=1700000000, mtime=1700000001.000000005, ctime=1700000002, birthtime=-1, ' +
      'size=4096, blksize=32768, blocks=8, flags=0x0 }\n');
  });

  it('-r resolves the mode and times', () => {
    expect(dump([stru('stat', st)], { resolve: true })).toContain(
      'mode=-rw-r--r-- , nlink=1, uid=1001, gid=0, rdev=0, atime="Nov 14 22:13:20 2023", ');
  });

  it('reports bad and unknown structs', () => {
    expect(dump([stru('stat', st.subarray(0, 100)), stru('frob', u8('x')), stru('bad name', u8('x'))])).toBe(
      `${P}STRU  invalid record\n${P}STRU  unknown structure\n${P}STRU  invalid record\n`);
  });
});

describe('CAP', () => {
  const cap = (capType: number, code: number, data: Uint8Array): Rec =>
    [{}, { kind: 'capfail', capType, code, svFlags: FREEBSD, data }];
  it('prints the kinds of capability failures', () => {
    const rights = new Uint8Array(1024);
    rights.set(encodeCapRights(['CAP_READ', 'CAP_SEEK']), 0);
    rights.set(encodeCapRights(['CAP_READ']), 16);
    const path = new Uint8Array(1024);
    path.set(u8('/etc/passwd'));
    const sig = new Uint8Array(1024);
    new DataView(sig.buffer).setInt32(0, 9, true);
    expect(dump([
      cap(CAPFAIL_NOTCAPABLE, 3, rights), cap(CAPFAIL_SYSCALL, 5, new Uint8Array(1024)),
      cap(CAPFAIL_NAMEI, 499, path), cap(CAPFAIL_SIGNAL, 37, sig),
    ])).toBe(
      `${P}CAP   operation requires CAP_READ,CAP_SEEK, descriptor holds CAP_READ\n` +
      `${P}CAP   system call not allowed: open\n` +
      `${P}CAP   openat: restricted VFS lookup: /etc/passwd\n` +
      `${P}CAP   kill: signal delivery not allowed: SIGKILL\n`);
  });
});

describe('header options', () => {
  const recs: Rec[] = [
    [{ sec: 1700000000, nsec: 500000000 }, { kind: 'syscall', code: 548, args: [1] }],
    [{ sec: 1700000001, nsec: 250000000 }, { kind: 'sysret', code: 548, eosys: 0, error: 0, retval: 0 }],
    [{ sec: 1700000001, nsec: 250000100 }, { kind: 'sysret', code: 548, eosys: 0, error: 0, retval: 0 }],
  ];
  it('-T absolute, -E elapsed, -R relative, in that order', () => {
    expect(dump(recs, { timestamps: TIMESTAMP_ABSOLUTE })).toBe(
      `${P}1700000000.500000000 CALL  mysyscall(0x1)\n${P}1700000001.250000000 RET   mysyscall 0\n` +
      `${P}1700000001.250000100 RET   mysyscall 0\n`);
    expect(dump(recs, { timestamps: TIMESTAMP_ELAPSED })).toBe(
      `${P}0.000000000 CALL  mysyscall(0x1)\n${P}0.750000000 RET   mysyscall 0\n${P}0.750000100 RET   mysyscall 0\n`);
    expect(dump(recs, { timestamps: TIMESTAMP_RELATIVE })).toBe(
      `${P}0.000000000 CALL  mysyscall(0x1)\n${P}0.750000000 RET   mysyscall 0\n${P}0.000000100 RET   mysyscall 0\n`);
    expect(dump(recs.slice(0, 1), { timestamps: TIMESTAMP_ABSOLUTE | TIMESTAMP_ELAPSED | TIMESTAMP_RELATIVE })).toBe(
      `${P}1700000000.500000000 0.000000000 0.000000000 CALL  mysyscall(0x1)\n`);
  });

  it('-H thread ids, -c cpu, -A ABI', () => {
    expect(dump(recs.slice(0, 1), { threads: true })).toBe('  2345 100123 test_mysyscall CALL  mysyscall(0x1)\n');
    expect(dump(recs.slice(0, 1), { cpu: true })).toBe(`${P}  1 CALL  mysyscall(0x1)\n`);
    expect(dump(recs.slice(0, 1), { abi: true })).toBe(`${P}CALL  F64  mysyscall(0x1)\n`);
    expect(dump(recs.slice(0, 1), { abi: true }, LINUX)).toBe(`${P}CALL  L64  mysyscall(0x1)\n`);
    expect(kdump(trace([recs[0]!]), { abi: true }).out).toBe(`${P}CALL  U00  [548](0x1)\n`);
  });

  it('pads short command names to 8 and pids to 6', () => {
    expect(kdump(trace([[{ pid: 7, comm: 'sh' }, { kind: 'namei', path: u8('/') }]])).out).toBe('     7 sh       NAMI  "/"\n');
  });
});

describe('filters', () => {
  const recs: Rec[] = [
    [{ pid: 10, tid: 100010 }, { kind: 'namei', path: u8('/a') }],
    [{ pid: 11, tid: 100011 }, { kind: 'namei', path: u8('/b') }],
    [{ pid: 11, tid: 100011 }, { kind: 'syscall', code: 548, args: [] }],
  ];
  it('-p matches the pid or the tid', () => {
    expect(dump(recs, { pid: 11 })).toBe('    11 test_mysyscall NAMI  "/b"\n    11 test_mysyscall CALL  mysyscall\n');
    expect(dump(recs, { pid: 100010 })).toBe('    10 test_mysyscall NAMI  "/a"\n');
  });
  it('-t selects record types', () => {
    expect(dump(recs, { trpoints: parseTracePoints('c') })).toBe('    11 test_mysyscall CALL  mysyscall\n');
    expect(dump(recs, { trpoints: parseTracePoints('n') })).toBe('    10 test_mysyscall NAMI  "/a"\n    11 test_mysyscall NAMI  "/b"\n');
  });
});

describe('dropped events and unknown types', () => {
  it('prints "Events dropped." once per run of dropped records', () => {
    const recs: Rec[] = [
      [{ drop: true }, { kind: 'namei', path: u8('/a') }],
      [{ drop: true, pid: 99 }, { kind: 'namei', path: u8('/b') }],
      [{ drop: true }, { kind: 'namei', path: u8('/c') }],
    ];
    // The drop notice comes before the -p filter; a notice is not repeated until a record prints.
    expect(dump(recs, { pid: 2345 })).toBe(
      `${P}Events dropped.\n${P}NAMI  "/a"\n    99 test_mysyscall Events dropped.\n${P}NAMI  "/c"\n`);
    expect(dump(recs.slice(0, 1), { threads: true })).toBe(
      '  2345 100123 test_mysyscall Events dropped.\n  2345 100123 test_mysyscall NAMI  "/a"\n');
  });

  it('skips types kdump has no trace point for, prints UNKNOWN(n) for the others', () => {
    const recs: Rec[] = [
      [{}, { kind: 'unknown', raw: u8('abc') }, 16],
      [{}, { kind: 'unknown', raw: u8('abc') }, 31],
      [{}, { kind: 'unknown', raw: u8('abc') }, 33],
      [{}, { kind: 'namei', path: u8('/after') }],
    ];
    expect(dump(recs)).toBe(`${P}UNKNOWN(33)  \n${P}NAMI  "/after"\n`);
    expect(ALL_POINTS & (1 << 16)).toBe(0);
  });
});

describe('Linux processes', () => {
  it('uses the file\'s names, Linux signal names and Linux errno texts', () => {
    const recs: Rec[] = [
      [{}, { kind: 'ksim_name', nr: 62, name: 'kill' }],
      [{}, { kind: 'ksim_name', nr: 257, name: 'openat' }],
      call(62, 100, 10), ret(62, 0, 3),
      call(257, -100, 0x1000, 0o2000101, 0o600), ret(257, 0, 16),
      [{}, { kind: 'psig', signo: 10, action: 0x401000, code: 0, mask: [0, 0, 0, 0] }],
    ];
    expect(kdump(trace([[{}, { kind: 'procctor', svFlags: LINUX }], ...recs])).out).toBe(
      `${P}CALL  kill(0x64,SIGUSR1)\n${P}RET   kill -1 errno 3 No such process\n` +
      `${P}CALL  openat(AT_FDCWD,0x1000,0x80041<O_WRONLY|O_CREAT|O_CLOEXEC>,0600<S_IRUSR|S_IWUSR>)\n` +
      `${P}RET   openat -1 errno 16 Device or resource busy\n` +
      `${P}PSIG  SIGUSR1 caught handler=0x401000 mask=0x0 code=SI_USER\n`);
  });
});

describe('--json', () => {
  it('prints one object per record with the kdump text', () => {
    const out = dump([call(548, 0x2a), ret(548, 84), [{}, { kind: 'genio', fd: 1, rw: 1, data: u8('hi') }]], { json: true });
    const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ pid: 2345, tid: 100123, comm: 'test_mysyscall', type: 'CALL', syscall: 'mysyscall', nr: 548, args: [42], text: 'mysyscall(0x2a)' });
    expect(lines[1]).toMatchObject({ type: 'RET', retval: 84, error: 0, text: 'mysyscall 84/0x54' });
    expect(lines[2]).toMatchObject({ type: 'GIO', fd: 1, rw: 'wrote', length: 2, hex: '6869' });
  });
});

describe('golden session', () => {
  it('matches tests/ktrace/golden/session.kdump', async () => {
    const { readFileSync } = await import('node:fs');
    const golden = new URL('./golden/session.kdump', import.meta.url);
    const expected = process.env.KSIM_UPDATE_GOLDEN ? '' : readFileSync(golden, 'utf8');
    const recs: Rec[] = [
      call(5, 0x7fffffffe9c0, 0x100000, 0), [{}, { kind: 'namei', path: u8('/etc/motd') }], ret(5, 3),
      call(3, 3, 0x7fffffffd000, 4096), [{}, { kind: 'genio', fd: 3, rw: 0, data: u8('Welcome to ksim!\n\tEnjoy.\n') }], ret(3, 25),
      call(4, 1, 0x7fffffffd000, 25), [{}, { kind: 'genio', fd: 1, rw: 1, data: u8('Welcome to ksim!\n\tEnjoy.\n') }], ret(4, 25),
      call(548, 0x2a), ret(548, 84), call(5, 0x1000, 0, 0), [{}, { kind: 'namei', path: u8('/nonexistent') }], ret(5, 0, 2),
    ];
    const timed = recs.map(([h, b], i): Rec => [{ ...h, nsec: 500000000 + i * 12345 }, b]);
    expect(dump(timed, { timestamps: TIMESTAMP_RELATIVE, threads: true })).toBe(expected);
    expect(H.pid).toBe(2345);
  });
});
