// Golden tests of strace's options (-c -C -S -T -t -tt -ttt -r -y -X -o -f -ff -z -Z -e trace/
// signal/status -P -k -q -qq -a -v) and of the command-line parser's results and errors.
import { describe, expect, it } from 'vitest';
import { FakeTask, Harness } from './helpers.js';
import { parseStraceArgs } from '../../src/strace/cli.js';

const AT_FDCWD = -100;

function workload(h: Harness, t: FakeTask): void {
  const p = t.cstr('/etc/hostname');
  h.call(t, 'openat', [AT_FDCWD, p, 0o2000000], 3, { durationNs: 15_000 });
  h.call(t, 'openat', [AT_FDCWD, t.cstr('/nope'), 0], 0, { errno: 2, durationNs: 47_000 });
  const buf = t.zeros(16);
  h.call(t, 'read', [3, buf, 16], 3, { durationNs: 10_000, during: () => t.poke(buf, 'vm\n') });
  h.call(t, 'close', [3], 0, { durationNs: 5_000 });
  h.call(t, 'getpid', [], 1, { durationNs: 0 });
}

describe('summary', () => {
  it('-c prints only the table, sorted by time', () => {
    const h = new Harness(['-c']);
    const t = new FakeTask(1);
    workload(h, t);
    h.enter(t, 'exit_group', [0]);
    h.strace.exit({ task: t, code: 0, coreDumped: false, timeNs: h.time });
    expect(h.stderr).toBe(
      '% time     seconds  usecs/call     calls    errors syscall\n' +
      '------ ----------- ----------- --------- --------- ----------------\n' +
      ' 80.52    0.000062          31         2         1 openat\n' +
      ' 12.99    0.000010          10         1           read\n' +
      '  6.49    0.000005           5         1           close\n' +
      '  0.00    0.000000           0         1           getpid\n' +
      '------ ----------- ----------- --------- --------- ----------------\n' +
      '100.00    0.000077          15         5         1 total\n',
    );
  });

  it('-C prints the trace and the table; -S name sorts by name', () => {
    const h = new Harness(['-C', '-S', 'name']);
    const t = new FakeTask(1);
    workload(h, t);
    h.strace.exit({ task: t, code: 0, coreDumped: false, timeNs: h.time });
    const lines = h.stderr.split('\n');
    expect(lines[0]).toBe('openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3');
    expect(lines[5]).toBe('+++ exited with 0 +++');
    expect(lines.slice(8, 12).map((l) => l.split(' ').pop())).toEqual(['close', 'getpid', 'openat', 'read']);
  });
});

describe('time stamps', () => {
  it('-T, -t, -tt, -ttt, -r', () => {
    const base = Date.UTC(2009, 1, 13, 23, 31, 30) * 1e6;
    const run = (args: string[]) => {
      const h = new Harness(args, undefined, base);
      const t = new FakeTask(1);
      h.call(t, 'getpid', [], 1, { timeNs: 123_456_789, durationNs: 36_000 });
      h.call(t, 'getppid', [], 0, { timeNs: 200_000_000 });
      return h.stderr;
    };
    expect(run(['-T'])).toBe('getpid()                                = 1 <0.000036>\ngetppid()                               = 0 <0.000000>\n');
    expect(run(['-t']).split('\n')[0]).toBe('23:31:30 getpid()                       = 1');
    expect(run(['-tt']).split('\n')[0]).toBe('23:31:30.123456 getpid()                = 1');
    expect(run(['-ttt']).split('\n')[0]).toBe('1234567890.123456 getpid()              = 1');
    expect(run(['-r'])).toBe('     0.000000 getpid()                  = 1\n     0.076543 getppid()                 = 0\n');
  });
});

describe('decoding options', () => {
  it('-y shows fd paths, -X raw and -X verbose change constants', () => {
    const run = (args: string[]) => {
      const h = new Harness(args);
      const t = new FakeTask(1);
      t.fds.set(3, '/etc/hostname');
      h.call(t, 'openat', [AT_FDCWD, t.cstr('/tmp'), 0x30000], 3);
      h.call(t, 'close', [3], 0);
      return h.stderr;
    };
    expect(run(['-y'])).toBe('openat(AT_FDCWD, "/tmp", O_RDONLY|O_NOFOLLOW|O_DIRECTORY) = 3</etc/hostname>\nclose(3</etc/hostname>)                 = 0\n');
    expect(run(['-X', 'raw']).split('\n')[0]).toBe('openat(-100, "/tmp", 0x30000)           = 3');
    expect(run(['-X', 'verbose']).split('\n')[0]).toBe('openat(-100 /* AT_FDCWD */, "/tmp", 0x30000 /* O_RDONLY|O_NOFOLLOW|O_DIRECTORY */) = 3');
  });

  it('-a sets the column; -v shows every environment variable', () => {
    const h = new Harness(['-a', '20', '-v']);
    const t = new FakeTask(1);
    h.call(t, 'getpid', [], 1);
    const envp = t.words(t.cstr('A=1'), 0);
    h.call(t, 'execve', [t.cstr('/bin/x'), t.words(t.cstr('x'), 0), envp], 0);
    expect(h.stderr).toBe('getpid()            = 1\nexecve("/bin/x", ["x"], ["A=1"]) = 0\n');
  });

  it('-k prints the user stack under each call', () => {
    const h = new Harness(['-k']);
    const t = new FakeTask(1);
    t.stack = [
      { func: 'getpid', addr: 0x401a20, module: '/lib/libc.a' },
      { func: 'main', addr: 0x4011d6, module: '/home/u/test', file: 'test.c', line: 7 },
    ];
    h.call(t, 'getpid', [], 1);
    expect(h.stderr).toBe(
      'getpid()                                = 1\n' +
      ' > /lib/libc.a(getpid) [0x401a20]\n' +
      ' > /home/u/test(main) [0x4011d6] test.c:7\n',
    );
  });
});

describe('filters', () => {
  function traced(args: string[]): string[] {
    const h = new Harness(args);
    const t = new FakeTask(1);
    workload(h, t);
    return h.stderr.trim().split('\n').map((l) => l.slice(0, l.indexOf('(')));
  }

  it('-e trace= names, !names, /regex, %classes', () => {
    expect(traced(['-e', 'trace=read,close'])).toEqual(['read', 'close']);
    expect(traced(['-e', 'trace=!openat'])).toEqual(['read', 'close', 'getpid']);
    expect(traced(['-e', '/^.pen'])).toEqual(['openat', 'openat']);
    expect(traced(['-e', 'trace=%file'])).toEqual(['openat', 'openat']);
    expect(traced(['-e', 'trace=%desc'])).toEqual(['openat', 'openat', 'read', 'close']);
    expect(traced(['-e', 'trace=%pure'])).toEqual(['getpid']);
  });

  it('-z, -Z and -e status=', () => {
    expect(traced(['-Z'])).toEqual(['openat']);
    expect(traced(['-z'])).toEqual(['openat', 'read', 'close', 'getpid']);
    expect(traced(['-e', 'status=!successful'])).toEqual(['openat']);
  });

  it('-P traces only calls that touch the path', () => {
    const h = new Harness(['-P', '/etc/hostname']);
    const t = new FakeTask(1);
    t.fds.set(3, '/etc/hostname');
    workload(h, t);
    expect(h.stderr.trim().split('\n').map((l) => l.slice(0, l.indexOf('(')))).toEqual(['openat', 'read', 'close']);
  });

  it('-e signal= filters signal lines; -qq drops exit notices; -q drops attach messages', () => {
    const h = new Harness(['-e', 'signal=!SIGCHLD', '-qq', '-f', '-q']);
    const t = new FakeTask(1);
    h.call(t, 'getpid', [], 1);
    h.strace.signalDeliver({ task: t, signo: 17, info: { code: 1, pid: 2, status: 0 }, handler: 0, mask: 0, timeNs: 0 });
    h.strace.signalDeliver({ task: t, signo: 10, info: { code: 0, pid: 2, uid: 0 }, handler: 0x401000, mask: 0, timeNs: 0 });
    h.strace.fork({ task: t, child: new FakeTask(2, 1), timeNs: 0 });
    h.strace.exit({ task: t, code: 0, coreDumped: false, timeNs: 0 });
    expect(h.stderr).toBe('getpid()                                = 1\n--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=2, si_uid=0} ---\n');
  });
});

describe('output files', () => {
  it('-o FILE with -f prefixes each line with the pid; -ff writes FILE.PID', () => {
    const h = new Harness(['-f', '-o', 'trace.txt']);
    const t = new FakeTask(5186);
    h.call(t, 'brk', [0], 0x562a9b8aa000);
    expect(h.files.get('trace.txt')).toBe('5186  brk(NULL)                         = 0x562a9b8aa000\n');
    expect(h.stderr).toBe('');
    const h2 = new Harness(['-ff', '-o', 'tr']);
    const p = new FakeTask(10);
    const c = new FakeTask(11, 10);
    h2.call(p, 'getpid', [], 10);
    h2.strace.fork({ task: p, child: c, timeNs: 0 });
    h2.call(c, 'getpid', [], 11);
    expect(h2.files.get('tr.10')).toBe('getpid()                                = 10\n');
    expect(h2.files.get('tr.11')).toBe('getpid()                                = 11\n');
    expect(h2.stderr).toBe('strace: Process 11 attached\n');
  });

  it('without -f children are not traced', () => {
    const h = new Harness([]);
    const p = new FakeTask(10);
    const c = new FakeTask(11, 10);
    h.strace.fork({ task: p, child: c, timeNs: 0 });
    h.call(p, 'getpid', [], 10);
    h.call(c, 'getpid', [], 11);
    expect(h.stderr).toBe('getpid()                                = 10\n');
  });
});

describe('command line', () => {
  it('parses combined short options, attached arguments and the command', () => {
    const r = parseStraceArgs(['-fftts64', '-eread,write', '-o', 'out', '-X', 'verbose', '--', './prog', '-f']);
    if (!('options' in r)) throw new Error(JSON.stringify(r));
    expect(r.command).toEqual(['./prog', '-f']);
    expect(r.options.followForksSeparately).toBe(true);
    expect(r.options.timestamps).toBe(2);
    expect(r.options.strsize).toBe(64);
    expect(r.options.outputFile).toBe('out');
    expect(r.options.xlat).toBe('verbose');
    expect(r.options.trace?.items).toEqual([{ kind: 'name', name: 'read' }, { kind: 'name', name: 'write' }]);
    const stop = parseStraceArgs(['./prog', '-x']);
    expect('options' in stop && stop.command).toEqual(['./prog', '-x']);
  });

  it('reports errors in strace words with exit code 1', () => {
    const err = (argv: string[]) => {
      const r = parseStraceArgs(argv);
      return 'error' in r ? [r.error, r.exitCode] : r;
    };
    const TRY = "Try 'strace -h' for more information.\n";
    expect(err([])).toEqual([`strace: must have PROG [ARGS] or -p PID\n${TRY}`, 1]);
    expect(err(['-j', 'true'])).toEqual([`strace: invalid option -- 'j'\n${TRY}`, 1]);
    expect(err(['-o'])).toEqual([`strace: option requires an argument -- 'o'\n${TRY}`, 1]);
    expect(err(['-e', 'trace=foo', 'true'])).toEqual(["strace: invalid system call 'foo'\n", 1]);
    expect(err(['-e', 'trace=%bogus', 'true'])).toEqual(["strace: invalid system call '%bogus'\n", 1]);
    expect(err(['-s', 'abc', 'true'])).toEqual([`strace: invalid -s argument: 'abc'\n${TRY}`, 1]);
    expect(err(['-X', 'bad', 'true'])).toEqual([`strace: invalid -X argument: 'bad'\n${TRY}`, 1]);
    expect(err(['-S', 'foo', 'true'])).toEqual([`strace: invalid sortby: 'foo'\n${TRY}`, 1]);
    expect(err(['-e', 'signal=FOO', 'true'])).toEqual(["strace: invalid signal 'FOO'\n", 1]);
    expect(err(['-e', 'status=bad', 'true'])).toEqual(["strace: invalid status 'bad'\n", 1]);
    expect(err(['-a', 'x', 'true'])).toEqual([`strace: invalid -a argument: 'x'\n${TRY}`, 1]);
  });

  it('the last -e trace= wins, as in strace', () => {
    const r = parseStraceArgs(['-e', 'trace=write', '-e', 'trace=read', 'x']);
    expect('options' in r && r.options.trace?.items).toEqual([{ kind: 'name', name: 'read' }]);
  });

  it('-h and -V print usage and version', () => {
    const h = parseStraceArgs(['-h']);
    expect('output' in h && h.output.startsWith('Usage: strace [-ACdffhikqqrtttTvVwxxyyzZ]')).toBe(true);
    const v = parseStraceArgs(['-V']);
    expect('output' in v && v.output.split('\n')[0]).toBe('strace -- version 6.1');
  });
});
