// The userland (sh, ls, cat, wc... compiled for i386 by ksim's cc, as scripts/build-userland.js
// builds dist/userland/i386-linux) on an i386 Linux 2.6.32 machine: command lines through
// /bin/sh -c with pipes, redirections and exit statuses, and the i386 calls the programs make.
import { describe, expect, it } from 'vitest';
import { bootArch, run, type Booted } from './harness.js';
import { userlandImage, userlandNames } from '../userland/helpers.js';

function bootI386(): Booted {
  const b = bootArch('i386');
  for (const n of userlandNames('linux', 'i386')) b.machine.vfs.writeFile(`/bin/${n}`, userlandImage(n, 'linux', 'i386'), 0o755);
  return b;
}

/** Runs `sh -c line`; stdout/stderr are this run's output only. */
function sh(b: Booted, line: string, trace?: string[]) {
  const before = { out: b.console.stdoutText().length, err: b.console.stderrText().length };
  const r = run(b, ['/bin/sh', '-c', line], trace ? { trace: true, straceArgs: trace } : {});
  return { ...r, stdout: r.stdout.slice(before.out), stderr: r.stderr.slice(before.err) };
}

describe('the userland on an i386 machine', () => {
  const b = bootI386();

  it('gets the Linux programs, the ksim_tool tracers included', () => {
    expect(userlandNames('linux', 'i386')).toEqual([
      'cat', 'cp', 'dmesg', 'dtrace', 'echo', 'env', 'false', 'grep', 'head', 'kdump', 'kill', 'ktrace', 'ls', 'mkdir', 'mv', 'ps', 'pwd', 'rm', 'sh',
      'sleep', 'sort', 'strace', 'tail', 'true', 'uname', 'wc',
    ]);
  });

  it('runs a pipeline, uname and cat through sh', () => {
    expect(sh(b, 'echo hi | wc -c')).toMatchObject({ status: 0, stdout: '3\n', stderr: '' });
    expect(sh(b, 'uname -r; uname -s')).toMatchObject({ status: 0, stdout: '2.6.32\nLinux\n' });
    expect(sh(b, 'echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; wc -l < /tmp/f')).toMatchObject({ status: 0, stdout: 'one\ntwo\n2\n' });
    expect(sh(b, 'sort -r /tmp/f | head -1; tail -1 /tmp/f | grep -c w')).toMatchObject({ status: 0, stdout: 'two\n1\n' });
  });

  it('gives exit statuses as sh sees them', () => {
    expect(sh(b, 'false; echo $?; true; echo $?')).toMatchObject({ status: 0, stdout: '1\n0\n' });
    expect(sh(b, 'exit 7').status).toBe(7);
    expect(sh(b, 'cat /nonexistent')).toMatchObject({ status: 1, stdout: '', stderr: 'cat: /nonexistent: No such file or directory\n' });
    expect(sh(b, 'nosuchcmd')).toMatchObject({ status: 127, stderr: 'sh: nosuchcmd: command not found\n' });
  });

  it('lists directories with getdents64 and lstat64, and copies, moves and removes files', () => {
    expect(sh(b, 'ls /')).toMatchObject({ status: 0, stdout: 'bin\ndev\netc\nhome\nproc\nsys\ntmp\nwork\n' });
    b.machine.vfs.writeFile('/tmp/f', new TextEncoder().encode('one\ntwo\n'), 0o644);
    const r = sh(b, 'mkdir /tmp/d && cp /tmp/f /tmp/d/g && mv /tmp/d/g /tmp/d/h && ls -l /tmp/d && rm -r /tmp/d && ls /tmp', ['-f', '-e', 'trace=getdents64,lstat64,stat64']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('-rw-r--r-- 1 0 0        8 Nov 14 22:13 h\nf\n');
    // ls -l /tmp/d: stat64 of the operand, the directory read with getdents64, lstat64 of each entry.
    const calls = r.strace.replace(/^\[pid +\d+\] /gm, '').replace(/0x[0-9a-f]+/g, 'PTR');
    expect(calls).toContain([
      'stat64("/tmp/d", {st_mode=S_IFDIR|0755, st_size=4096, ...}) = 0',
      'getdents64(3, PTR, 4096) = 72',
      'getdents64(3, PTR, 4096) = 0',
      'lstat64("/tmp/d/h", {st_mode=S_IFREG|0644, st_size=8, ...}) = 0',
      '+++ exited with 0 +++',
    ].join('\n'));
  });

  it('runs ps, env, sleep, kill and dmesg', () => {
    expect(sh(b, 'ps')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^ +PID TTY +TIME CMD\n +\d+ pts\/0 +00:00:00 sh\n +\d+ pts\/0 +00:00:00 ps\n$/) });
    expect(sh(b, 'env | grep -c PATH=; sleep 1; echo slept')).toMatchObject({ status: 0, stdout: '1\nslept\n' });
    expect(sh(b, 'kill -TERM $$; echo not reached')).toMatchObject({ status: 143, stdout: '' });
    // sleep waits (nanosleep with an i386 timespec); a background sleep killed by kill gives wait 143.
    const slept = sh(b, 'sleep 2; sleep 5 & kill $!; wait $!; echo "wait=$?"', ['-f', '-e', 'trace=nanosleep']);
    expect(slept).toMatchObject({ status: 0, stdout: 'wait=143\n' });
    expect(slept.strace).toMatch(/^\[pid +\d+\] nanosleep\(\{tv_sec=2, tv_nsec=0\}, NULL\) += 0$/m);
    b.machine.log.printk('\x016i386 says hello\n');
    expect(sh(b, 'dmesg -t | tail -1')).toMatchObject({ status: 0, stdout: 'i386 says hello\n' });
  });
});
