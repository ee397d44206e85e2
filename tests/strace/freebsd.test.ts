// strace on a FreeBSD machine: arguments decoded from FreeBSD's constants (open and mmap flags,
// signal numbers, struct stat and struct sigaction as FreeBSD lays them out, wait status, fcntl),
// errno names and texts FreeBSD's. The program (freebsd/calls.c) runs on an emulated FreeBSD
// kernel; the trace must equal freebsd/calls.expected byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootFb, compileFb, makeFreebsd, runFb } from '../freebsd/harness.js';
import { parseStraceArgs, Strace } from '../../src/strace/index.js';
import { stockRows } from './helpers.js';

const DIR = join(import.meta.dirname, 'freebsd');

function traceOnFreebsd(argv: string[]): { trace: string; status: number } {
  const m = makeFreebsd();
  const b = bootFb(m);
  compileFb(b, '/calls', readFileSync(join(DIR, 'calls.c'), 'utf8'));
  const parsed = parseStraceArgs([...argv, '/calls'], { syscallNames: b.machine.rows.map((r) => r.name) });
  if (!('options' in parsed)) throw new Error(`bad strace arguments: ${JSON.stringify(parsed)}`);
  let trace = '';
  const strace = new Strace(parsed.options, b.machine.rows, { stderr: (t) => (trace += t) });
  // The rows tell: FreeBSD's carry syscalls.master's type column.
  expect(strace.abi).toBe('freebsd');
  b.machine.kernel.attach(strace);
  const r = runFb(b, ['/calls']);
  strace.finish();
  return { trace, status: r.status };
}

describe('strace on a FreeBSD machine', () => {
  it('knows a Linux table from a FreeBSD one by the rows', () => {
    const parsed = parseStraceArgs(['/x'], { syscallNames: [] });
    if (!('options' in parsed)) throw new Error('bad strace arguments');
    expect(new Strace(parsed.options, stockRows(), { stderr: () => {} }).abi).toBe('linux');
  });

  it('decodes arguments with FreeBSD constants and structs', () => {
    const { trace, status } = traceOnFreebsd(['-f']);
    expect(status).toBe(0);
    expect(trace).toBe(readFileSync(join(DIR, 'calls.expected'), 'utf8'));
  });

  it('-v: the whole FreeBSD struct stat; -X raw: numbers', () => {
    const verbose = traceOnFreebsd(['-v', '-e', 'trace=fstat']).trace.split('\n')[0]!;
    // The machine runs on a virtual clock: the times are the same every run.
    const t = (name: string, ns: number) => `st_${name}=1700000001 /* 2023-11-14T22:13:21.000000${ns}+0000 */, st_${name}_nsec=${ns}`;
    expect(verbose).toBe('fstat(3, {st_dev=makedev(0, 0x14), st_ino=21, st_mode=S_IFREG|0640, st_nlink=1, st_uid=0, st_gid=0, ' +
      `st_blksize=4096, st_blocks=8, st_size=6, ${t('atime', 256)}, ${t('mtime', 512)}, ${t('ctime', 512)}, ${t('birthtime', 512)}, ` +
      'st_flags=0, st_gen=0}) = 0');
    const raw = traceOnFreebsd(['-X', 'raw', '-e', 'trace=openat,kill,mmap']).trace.split('\n');
    expect(raw.slice(0, 2)).toEqual([
      'openat(-100, "/tmp/calls.txt", 0x100601, 0640) = 3',
      `${'openat(-100, "/nonexistent", 0x20000) '.padEnd(40)}= -1 ENOENT (No such file or directory)`,
    ]);
    expect(raw[2]).toMatch(/^mmap\(NULL, 8192, 0x3, 0x1002, -1, 0\) += 0x[0-9a-f]+$/);
    expect(raw[3]).toMatch(/^kill\(\d+, 30\) += 0$/);
  });
});
