// ktrace's and kdump's command lines: FreeBSD's getopt behaviour, usage texts and errors, and the
// kdump command reading ktrace.out from the current directory.
import { describe, expect, it } from 'vitest';
import { KDUMP_USAGE, KTRACE_USAGE, parseKdumpArgs, parseKtraceArgs } from '../../src/ktrace/cli.js';
import { ALL_POINTS, DEF_POINTS, parseTracePoints } from '../../src/ktrace/format.js';
import { TIMESTAMP_ABSOLUTE, TIMESTAMP_RELATIVE } from '../../src/ktrace/kdump.js';
import { kdumpCli, trace, u8 } from './helpers.js';

describe('kdump argv', () => {
  it('parses grouped flags, attached and separate arguments', () => {
    const a = parseKdumpArgs(['-dnHTR', '-fout.kt', '-m', '32', '-p2345', '-t', 'cn', '-s', '-S', '-A', '-c', '-l', '-r', '--json']);
    expect(a).toMatchObject({
      ok: true, file: 'out.kt', follow: true,
      options: {
        decimal: true, fancy: false, threads: true, timestamps: TIMESTAMP_ABSOLUTE | TIMESTAMP_RELATIVE, maxData: 32,
        pid: 2345, trpoints: parseTracePoints('cn'), suppressData: true, syscallNumbers: true, abi: true, cpu: true,
        resolve: true, json: true,
      },
    });
    expect(parseKdumpArgs([])).toMatchObject({ ok: true, file: 'ktrace.out', follow: false, options: { trpoints: ALL_POINTS } });
  });

  it('reports errors as FreeBSD does', () => {
    expect(parseKdumpArgs(['-x'])).toEqual({ ok: false, stderr: `kdump: illegal option -- x\n${KDUMP_USAGE}`, status: 1 });
    expect(parseKdumpArgs(['-f'])).toEqual({ ok: false, stderr: `kdump: option requires an argument -- f\n${KDUMP_USAGE}`, status: 1 });
    expect(parseKdumpArgs(['-t', 'cz'])).toEqual({ ok: false, stderr: 'kdump: unknown trace point in cz\n', status: 1 });
    expect(parseKdumpArgs(['extra'])).toEqual({ ok: false, stderr: KDUMP_USAGE, status: 1 });
    expect(KDUMP_USAGE).toBe('usage: kdump [-dEnlHRrSsTA] [-f trfile] [-m maxdata] [-p pid] [-t trstr]\n');
  });

  it('uses atoi for -m and -p', () => {
    expect(parseKdumpArgs(['-p', 'abc', '-m', '12x'])).toMatchObject({ options: { pid: 0, maxData: 12 } });
  });
});

describe('ktrace argv', () => {
  it('parses a command to run', () => {
    expect(parseKtraceArgs(['-i', '-t', 'cn', '-f', 'x.out', './test', '-v'])).toEqual({
      ok: true, append: false, clear: 'none', descend: false, file: 'x.out', inherit: true,
      points: parseTracePoints('cn'), command: ['./test', '-v'],
    });
    expect(parseKtraceArgs(['ls'])).toMatchObject({ points: DEF_POINTS, file: 'ktrace.out', command: ['ls'] });
  });

  it('parses -p, -g, -C, -c, -a, -d', () => {
    expect(parseKtraceArgs(['-adp', '42'])).toMatchObject({ ok: true, append: true, descend: true, pid: 42, command: [] });
    expect(parseKtraceArgs(['-g', '7'])).toMatchObject({ ok: true, pgrp: 7 });
    expect(parseKtraceArgs(['-C'])).toMatchObject({ ok: true, clear: 'all', points: ALL_POINTS });
    expect(parseKtraceArgs(['-c'])).toMatchObject({ ok: true, clear: 'clear' });
  });

  it('reports errors and usage', () => {
    expect(parseKtraceArgs([])).toEqual({ ok: false, stderr: KTRACE_USAGE, status: 1 });
    expect(parseKtraceArgs(['-p', '1', 'ls'])).toEqual({ ok: false, stderr: KTRACE_USAGE, status: 1 });
    expect(parseKtraceArgs(['-p', '1', '-g', '2'])).toEqual({ ok: false, stderr: `ktrace: only one -g or -p flag is permitted.\n${KTRACE_USAGE}`, status: 1 });
    expect(parseKtraceArgs(['-t', 'q', 'ls'])).toEqual({ ok: false, stderr: `ktrace: unknown facility in q\n${KTRACE_USAGE}`, status: 1 });
    expect(parseKtraceArgs(['-z'])).toEqual({ ok: false, stderr: `ktrace: illegal option -- z\n${KTRACE_USAGE}`, status: 1 });
    expect(KTRACE_USAGE).toBe(
      'usage: ktrace [-aCcdi] [-f trfile] [-g pgrp | -p pid] [-t trstr]\n' +
      '       ktrace [-adi] [-f trfile] [-t trstr] command\n');
  });
});

describe('the kdump command', () => {
  const file = trace([[{}, { kind: 'namei', path: u8('/etc/passwd') }]]);

  it('reads ktrace.out in the current directory', () => {
    expect(kdumpCli([], file)).toEqual({ out: '  2345 test_mysyscall NAMI  "/etc/passwd"\n', err: '', status: 0 });
    expect(kdumpCli(['-f', '/work/ktrace.out', '--json'], file).out).toContain('"path":"/etc/passwd"');
  });

  it('reports a missing file like err(3)', () => {
    expect(kdumpCli([])).toEqual({ out: '', err: 'kdump: ktrace.out: No such file or directory\n', status: 1 });
  });

  it('prints usage for bad options', () => {
    expect(kdumpCli(['-q'], file)).toEqual({ out: '', err: `kdump: illegal option -- q\n${KDUMP_USAGE}`, status: 1 });
  });

  it('reports a torn file after its good records', () => {
    expect(kdumpCli([], file.subarray(0, file.length - 3))).toMatchObject({ out: '', status: 1 });
  });
});
