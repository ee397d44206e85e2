// dmesg output byte for byte: golden files made by util-linux dmesg 2.38.1 itself from
// golden/records.syslog (see make-golden.sh), plus the clock-dependent formats, JSON, raw,
// multi-line, escaping and FreeBSD checked against hand-computed util-linux output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDmesgArgs, resolveTimeFilters } from '../../src/dmesg/cli.js';
import { DmesgFormatter, formatFreebsdDmesg } from '../../src/dmesg/format.js';
import { parseSyslogBuffer } from '../../src/dmesg/run.js';
import { LOG_NEWLINE, LOG_NOLEVEL, type LogRecord } from '../../src/kernel/log.js';

const golden = (name: string): string => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');
const records = parseSyslogBuffer(golden('records.syslog'));
/** Fri Feb 13 23:31:30 2009 UTC */
const BOOT = 1234567890 * 1e6;
const utc = (): number => 0;

function render(argv: string[], recs: readonly LogRecord[] = records, bootWallUsec = BOOT, nowUsec = BOOT + 200_000e6): string {
  const parsed = parseDmesgArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`unexpected ${parsed.kind}`);
  const o = parsed.options;
  const f = new DmesgFormatter(
    { ...o.format, color: o.color === 'always', ...resolveTimeFilters(o, nowUsec, utc) },
    { bootWallUsec, utcOffsetMinutes: utc },
  );
  return recs.map((r) => f.format(r)).join('') + f.finish();
}

describe('formats util-linux itself produced', () => {
  const cases: Array<[string, string[]]> = [
    ['default', []],
    ['decode', ['-x']],
    ['delta', ['-d']],
    ['notime', ['-t']],
    ['notime-delta', ['-t', '-d']],
    ['decode-notime', ['-x', '-t']],
    ['level-err-warn', ['--level=err,warn']],
    ['level-numeric', ['-l', '0,7']],
    ['facility-kern', ['-k']],
    ['facility-user', ['-u']],
    ['facility-daemon-user', ['--facility=daemon,user']],
    ['decode-level', ['-xl', 'info']],
    ['color-notime', ['-t', '--color=always']],
    ['color-delta', ['-d', '--color=always']],
    ['color-decode', ['-x', '--color=always']],
  ];
  for (const [name, argv] of cases) {
    it(`dmesg ${argv.join(' ')} matches golden/${name}.txt`, () => {
      expect(render(argv)).toBe(golden(`${name}.txt`));
    });
  }
});

describe('clock-dependent formats', () => {
  const few = records.slice(0, 4).concat(records[7]!);
  it('-T prints ctime of boot + uptime seconds', () => {
    expect(render(['-T'], few)).toBe(
      '[Fri Feb 13 23:31:30 2009] Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\n' +
        '[Fri Feb 13 23:31:30 2009] Command line: console=ttyS0\n' +
        '[Fri Feb 13 23:31:30 2009] usb 1-1: new high-speed USB device\n' +
        '[Fri Feb 13 23:31:31 2009] EXT4-fs error: bad block\n' +
        '[Fri Feb 13 23:32:40 2009] init[1]: user space says hi\n',
    );
  });
  it('-T pads the day of the month with a space (%e)', () => {
    const rec: LogRecord = { seq: 0, tsUsec: 0, level: 6, facility: 0, flags: LOG_NEWLINE, text: 'x' };
    expect(render(['-T'], [rec], Date.UTC(2024, 2, 5, 7, 8, 9) * 1000)).toBe('[Tue Mar  5 07:08:09 2024] x\n');
  });
  it('-H / -e print the minute on a break, then deltas', () => {
    const expected =
      '[Feb13 23:31] Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\n' +
      '[  +0.000000] Command line: console=ttyS0\n' +
      '[  +0.000000] usb 1-1: new high-speed USB device\n' +
      '[  +1.496000] EXT4-fs error: bad block\n' +
      '[Feb13 23:32] init[1]: user space says hi\n';
    expect(render(['-e'], few)).toBe(expected);
    expect(render(['--time-format', 'reltime'], few)).toBe(expected);
    expect(render(['-H', '--color=never'], few)).toBe(expected);
  });
  it('-H uses [ +%9.06f] for deltas of 10 s and more', () => {
    const recs = [0, 5e6, 17e6].map((t, seq): LogRecord => ({ seq, tsUsec: t + 1, level: 6, facility: 0, flags: 2, text: `m${seq}` }));
    expect(render(['-e'], recs)).toBe('[Feb13 23:31] m0\n[  +5.000000] m1\n[ +12.000000] m2\n');
  });
  it('-H colours the minute break bold green', () => {
    expect(render(['-H', '--color=always'], records.slice(0, 2))).toBe(
      '\x1b[32m\x1b[1m[Feb13 23:31] \x1b[0mLinux version 6.1.0-ksim (ksim@ksim) #1 SMP\n' +
        '\x1b[32m[  +0.000000] \x1b[0m\x1b[33mCommand line: \x1b[0mconsole=ttyS0\n',
    );
  });
  it('--color=always before -H is undone by -H (auto), as in util-linux', () => {
    expect(render(['--color=always', '-H'], records.slice(0, 1))).toBe('[Feb13 23:31] Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\n');
  });
  it('--time-format iso', () => {
    expect(render(['--time-format=iso'], few.slice(3))).toBe(
      '2009-02-13T23:31:31,500000+00:00 EXT4-fs error: bad block\n2009-02-13T23:32:40,000000+00:00 init[1]: user space says hi\n',
    );
  });
  it('iso shows the zone offset', () => {
    const f = new DmesgFormatter({ ...parseRun(['--time-format=iso']).format, color: false }, { bootWallUsec: BOOT, utcOffsetMinutes: () => 330 });
    expect(f.format(records[3]!)).toBe('2009-02-14T05:01:31,500000+05:30 EXT4-fs error: bad block\n');
  });
  it('-T -d and --time-format delta', () => {
    expect(render(['-T', '-d'], few.slice(2, 4))).toBe(
      '[Fri Feb 13 23:31:30 2009 <    0.000000>] usb 1-1: new high-speed USB device\n' +
        '[Fri Feb 13 23:31:31 2009 <    1.496000>] EXT4-fs error: bad block\n',
    );
    expect(render(['--time-format', 'delta'], few.slice(2, 4))).toBe(
      '[<    0.000000>] usb 1-1: new high-speed USB device\n[<    1.496000>] EXT4-fs error: bad block\n',
    );
  });
  it('--since and --until compare whole seconds of boot + uptime, exclusively', () => {
    expect(render(['-t', '--since', '2009-02-13 23:31:30'], few)).toBe('EXT4-fs error: bad block\ninit[1]: user space says hi\n');
    expect(render(['-t', '--until', '2009-02-13 23:31:31'], few)).toBe(
      'Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\nCommand line: console=ttyS0\nusb 1-1: new high-speed USB device\n',
    );
    // now = boot + 100 s: "-1min" is boot + 40 s.
    expect(render(['-t', '--since', '-1min'], few, BOOT, BOOT + 100e6)).toBe('init[1]: user space says hi\n');
    expect(render(['-t', '--since', '1min ago'], few, BOOT, BOOT + 100e6)).toBe('init[1]: user space says hi\n');
    expect(render(['-t', '--until', 'now'], few, BOOT, BOOT + 2e6)).toBe(
      'Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\nCommand line: console=ttyS0\nusb 1-1: new high-speed USB device\nEXT4-fs error: bad block\n',
    );
  });
});

function parseRun(argv: string[]) {
  const r = parseDmesgArgs(argv);
  if (r.kind !== 'run') throw new Error('not run');
  return r.options;
}

describe('raw, JSON, levels with +', () => {
  it('-r prints <(facility<<3)|level> then the stamp', () => {
    expect(render(['-r'], [records[0]!, records[7]!, records[11]!])).toBe(
      '<6>[    0.000000] Linux version 6.1.0-ksim (ksim@ksim) #1 SMP\n<14>[   70.000000] init[1]: user space says hi\n<30>[110592.000000] systemd[1]: daemon message\n',
    );
  });
  it('-J prints util-linux JSON (time always as seconds)', () => {
    const recs: LogRecord[] = [
      records[0]!,
      { seq: 1, tsUsec: 70_000_000, level: 6, facility: 1, flags: 2, text: 'say "hi" \\ tab\there\x01' },
      { seq: 2, tsUsec: 71_000_000, level: 6, facility: 1, flags: 2, text: '' },
    ];
    const expected =
      '{\n   "dmesg": [\n      {\n         "pri": 6,\n         "time":     0.000000,\n         "msg": "Linux version 6.1.0-ksim (ksim@ksim) #1 SMP"\n' +
      '      },{\n         "pri": 14,\n         "time":    70.000000,\n         "msg": "say \\"hi\\" \\\\ tab\\there\\u0001"\n      }\n   ]\n}\n';
    expect(render(['-J'], recs)).toBe(expected);
    expect(render(['-J', '-T'], recs)).toBe(expected);
    expect(render(['-J', '-x'], recs.slice(0, 1))).toBe(
      '{\n   "dmesg": [\n      {\n         "fac": "kern",\n         "pri": "info",\n         "time":     0.000000,\n         "msg": "Linux version 6.1.0-ksim (ksim@ksim) #1 SMP"\n      }\n   ]\n}\n',
    );
  });
  it('-J with nothing to print prints nothing', () => {
    expect(render(['-J', '-l', 'debug'], records.slice(0, 2))).toBe('');
  });
  it('err+ means err and more severe, +err err and less severe', () => {
    const levelsOf = (argv: string[]) => [...(parseRun(argv).format.levels ?? [])].sort();
    expect(levelsOf(['--level=err+'])).toEqual([0, 1, 2, 3]);
    expect(levelsOf(['--level=+err'])).toEqual([3, 4, 5, 6, 7]);
    expect(levelsOf(['-l', 'debug,crit+'])).toEqual([0, 1, 2, 7]);
    expect(render(['-t', '-l', 'crit+'])).toBe('alert: disk on fire\ncrit thing\nKernel panic - not syncing\n');
  });
});

describe('message text', () => {
  const rec = (text: string, level = 6): LogRecord => ({ seq: 0, tsUsec: 1_500_000, level, facility: 0, flags: LOG_NEWLINE, text });
  it('indents continuation lines of a multi-line message to the prefix width', () => {
    expect(render([], [rec('first\nsecond\nthird')])).toBe('[    1.500000] first\n               second\n               third\n');
    expect(render(['-x'], [rec('a\nb')])).toBe('kern  :info  : [    1.500000] a\n                              b\n');
    expect(render(['-t'], [rec('a\nb')])).toBe('a\nb\n');
  });
  it('-p repeats the prefix on every line', () => {
    expect(render(['-p'], [rec('a\nb')])).toBe('[    1.500000] a\n[    1.500000] b\n');
  });
  it('escapes non-printable characters as \\xNN, keeps white space and printable UTF-8', () => {
    expect(render([], [rec('t\x01ab\x7f\x1b é tab\there')])).toBe('[    1.500000] t\\x01ab\\x7f\\x1b é tab\there\n');
    expect(render(['--noescape'], [rec('a\x01b')])).toBe('[    1.500000] a\x01b\n');
  });
  it('an empty message prints an empty line', () => {
    expect(render([], [rec('')])).toBe('\n');
  });
});

describe('FreeBSD dmesg', () => {
  const rec = (text: string, facility = 0, flags = LOG_NEWLINE | LOG_NOLEVEL): LogRecord => ({ seq: 0, tsUsec: 0, level: 6, facility, flags, text });
  it('prints kernel lines without stamps; -a adds other facilities; vis-encodes', () => {
    const recs = [rec('Copyright (c) 1992-2023 The FreeBSD Project.'), rec('user stuff', 1), rec('ctl\x01 \\ \x7f'), rec('no newline yet', 0, LOG_NOLEVEL)];
    expect(formatFreebsdDmesg(recs, { all: false })).toBe('Copyright (c) 1992-2023 The FreeBSD Project.\nctl\\^A \\\\ \\^?\nno newline yet');
    expect(formatFreebsdDmesg(recs, { all: true })).toBe(
      'Copyright (c) 1992-2023 The FreeBSD Project.\nuser stuff\nctl\\^A \\\\ \\^?\nno newline yet',
    );
  });
});
