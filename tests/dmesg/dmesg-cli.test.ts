// dmesg argv parsing: util-linux 2.38.1's messages and exit statuses (recorded from the real tool),
// exclusive groups, time formats, --since forms, and FreeBSD's usage.
import { describe, expect, it } from 'vitest';
import { parseDmesgArgs, parseFreebsdDmesgArgs, parseTimestamp } from '../../src/dmesg/cli.js';

const err = (argv: string[]) => {
  const r = parseDmesgArgs(argv);
  return r.kind === 'error' ? [r.stderr, r.status] : r.kind;
};
const TRY = "Try 'dmesg --help' for more information.\n";

describe('util-linux errors', () => {
  it.each([
    [['-z'], `dmesg: invalid option -- 'z'\n${TRY}`],
    [['--foo'], `dmesg: unrecognized option '--foo'\n${TRY}`],
    [['-l'], `dmesg: option requires an argument -- 'l'\n${TRY}`],
    [['--level'], `dmesg: option '--level' requires an argument\n${TRY}`],
    [['--clear=1'], `dmesg: option '--clear' doesn't allow an argument\n${TRY}`],
    [['--co'], `dmesg: option '--co' is ambiguous; possibilities: '--color' '--console-level' '--console-off' '--console-on'\n${TRY}`],
    [['--level=foo'], "dmesg: unknown level 'foo'\n"],
    [['-l', 'err,bogus'], "dmesg: unknown level 'bogus'\n"],
    [['-l', 'bogus,err'], "dmesg: unknown level 'bogus,err'\n"],
    [['-l', 'err,'], "dmesg: unknown level 'err,'\n"],
    [['-l', '8'], "dmesg: unknown level '8'\n"],
    [['-f', 'foo'], "dmesg: unknown facility 'foo'\n"],
    [['--since=xyz'], 'dmesg: invalid time value "xyz"\n'],
    [['--since', '-1'], 'dmesg: invalid time value "-1"\n'],
    [['--since', '-5mins'], 'dmesg: invalid time value "-5mins"\n'],
    [['-C', '-c'], 'dmesg: mutually exclusive arguments: --clear --console-off --console-on --read-clear --console-level --raw\n'],
    [['-x', '-r'], 'dmesg: mutually exclusive arguments: --raw --decode\n'],
    [['-H', '-r'], 'dmesg: mutually exclusive arguments: --human --raw\n'],
    [['-rL'], 'dmesg: mutually exclusive arguments: --color --raw\n'],
    [['--time-format=foo'], 'dmesg: unknown time format: foo\n'],
    [['--color=foo'], "dmesg: unsupported color mode: 'foo'\n"],
    [['-s', 'abc'], "dmesg: invalid buffer size argument: 'abc'\n"],
    [['extra'], `dmesg: bad usage\n${TRY}`],
    [['-z', '-h'], `dmesg: invalid option -- 'z'\n${TRY}`],
  ])('%j', (argv, message) => {
    expect(err(argv)).toEqual([message, 1]);
  });
  it('an empty list item fails silently with status 1', () => {
    expect(err(['-l', ',err'])).toEqual(['', 1]);
  });
  it('--help and -V exit 0; --help lists what ksim supports', () => {
    const help = parseDmesgArgs(['-h', '-z']);
    expect(help.kind).toBe('exit');
    if (help.kind === 'exit') {
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^\nUsage:\n dmesg \[options\]\n/);
      expect(help.stdout).toContain(' -w, --follow                wait for new messages\n');
      expect(help.stdout).toContain('    kern - kernel messages\n');
      expect(help.stdout).toContain('   emerg - system is unusable\n');
    }
    expect(parseDmesgArgs(['-V']).kind).toBe('exit');
  });
});

describe('options', () => {
  const run = (argv: string[]) => {
    const r = parseDmesgArgs(argv);
    if (r.kind !== 'run') throw new Error(JSON.stringify(r));
    return r.options;
  };
  it('combines short flags and attached arguments', () => {
    const o = run(['-xkTlerr,warn']);
    expect(o.format.decode).toBe(true);
    expect(o.format.timeFormat).toBe('ctime');
    expect([...o.format.levels!].sort()).toEqual([3, 4]);
    expect([...o.format.facilities!]).toEqual([0]);
  });
  it('the last time option wins; -d combines with it at the end', () => {
    expect(run(['-T', '-t']).format.timeFormat).toBe('none');
    expect(run(['-t', '-T']).format.timeFormat).toBe('ctime');
    expect(run(['-d', '-t']).format.timeFormat).toBe('delta');
    expect(run(['-d']).format.timeFormat).toBe('time-delta');
    expect(run(['-d', '-T']).format.timeFormat).toBe('ctime-delta');
    expect(run(['--time-format', 'raw']).format.timeFormat).toBe('time');
    expect(run(['-d', '--time-format=iso']).warnings).toEqual(['dmesg: --show-delta is ignored when used together with iso8601 time format\n']);
  });
  it('accepts unique long prefixes and --colour', () => {
    expect(run(['--lev=err']).format.levels).toEqual(new Set([3]));
    expect(run(['--colour=always']).color).toBe('always');
    expect(run(['-L']).color).toBe('auto');
    expect(run(['-Lnever']).color).toBe('never');
  });
  it('-u selects every facility but kern', () => {
    expect(run(['-u']).format.facilities!.has(0)).toBe(false);
    expect(run(['-u']).format.facilities!.size).toBe(23);
  });
  it('-w, -W, -c, -C, -F', () => {
    const o = run(['-w', '-F', 'f.txt']);
    expect([o.follow, o.file]).toEqual([true, 'f.txt']);
    expect(run(['-W']).followNew).toBe(true);
    expect(run(['-c']).readClear).toBe(true);
    expect(run(['-C']).clear).toBe(true);
  });
});

describe('--since/--until times (util-linux parse_timestamp)', () => {
  const now = Date.UTC(2009, 1, 13, 23, 31, 30) * 1000;
  const at = (s: string) => {
    const v = parseTimestamp(s, now, () => 0);
    return v === undefined ? undefined : new Date(v / 1000).toISOString();
  };
  it.each([
    ['now', '2009-02-13T23:31:30.000Z'],
    ['today', '2009-02-13T00:00:00.000Z'],
    ['yesterday', '2009-02-12T00:00:00.000Z'],
    ['tomorrow', '2009-02-14T00:00:00.000Z'],
    ['-5min', '2009-02-13T23:26:30.000Z'],
    ['+1h 30min', '2009-02-14T01:01:30.000Z'],
    ['-1.5h', '2009-02-13T22:01:30.000Z'],
    ['2 days ago', '2009-02-11T23:31:30.000Z'],
    ['2024-03-05 07:08:09', '2024-03-05T07:08:09.000Z'],
    ['2024-03-05T07:08:09', '2024-03-05T07:08:09.000Z'],
    ['24-03-05 07:08:09', '2024-03-05T07:08:09.000Z'],
    ['2024-03-05 07:08', '2024-03-05T07:08:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['12:00', '2009-02-13T12:00:00.000Z'],
    ['12:00:01', '2009-02-13T12:00:01.000Z'],
    ['20240305070809', '2024-03-05T07:08:00.000Z'],
    ['Fri 2009-02-13 10:00:00', '2009-02-13T10:00:00.000Z'],
    ['Mon 2009-02-13 10:00:00', undefined],
    ['+1', undefined],
    ['@1', undefined],
    ['NOW', undefined],
    ['12:00:00:00', undefined],
  ])('%s', (text, expected) => {
    expect(at(text)).toBe(expected);
  });
});

describe('FreeBSD dmesg argv', () => {
  it('takes -a and -c; anything else prints the usage', () => {
    expect(parseFreebsdDmesgArgs(['-ac'])).toEqual({ kind: 'run', all: true, clear: true });
    expect(parseFreebsdDmesgArgs(['-x'])).toEqual({
      kind: 'error',
      stderr: 'dmesg: illegal option -- x\nusage: dmesg [-ac] [-M core [-N system]]\n',
      status: 1,
    });
    expect(parseFreebsdDmesgArgs(['file'])).toEqual({ kind: 'error', stderr: 'usage: dmesg [-ac] [-M core [-N system]]\n', status: 1 });
  });
});
