// The dmesg command line, parsed the way util-linux dmesg parses it (getopt_long with its option
// table, combined short flags, unique long-option prefixes, its exclusive-option groups and its
// error messages), into options for the formatter and the command. Also --since/--until time
// parsing (util-linux lib/timeutils.c) and FreeBSD dmesg's `-ac`. Core: imports nothing from Node.
import { LOG_FACILITY_NAMES, LOG_LEVEL_NAMES } from '../kernel/log.js';
import type { DmesgFormatOptions, DmesgTimeFormat } from './format.js';

export type ColorMode = 'auto' | 'always' | 'never';

export interface DmesgCliOptions {
  format: Omit<DmesgFormatOptions, 'color' | 'sinceSec' | 'untilSec'>;
  color: ColorMode;
  /** -C */
  clear: boolean;
  /** -c */
  readClear: boolean;
  /** -w / -W */
  follow: boolean;
  followNew: boolean;
  /** -F file (a syslog-format file such as `dmesg -r` output). */
  file?: string;
  /** --since / --until as given (resolved against a clock by resolveTimeFilters). */
  since?: string;
  until?: string;
  /** Warnings util-linux prints on stderr while still running. */
  warnings: string[];
}

/** What parsing produced: run, print something and exit, or fail. */
export type DmesgCliResult =
  | { kind: 'run'; options: DmesgCliOptions }
  | { kind: 'exit'; stdout: string; status: number }
  | { kind: 'error'; stderr: string; status: number };

interface LongOption {
  name: string;
  arg: 'none' | 'required' | 'optional';
  key: string;
}

const LONG_OPTIONS: LongOption[] = [
  { name: 'buffer-size', arg: 'required', key: 's' },
  { name: 'clear', arg: 'none', key: 'C' },
  { name: 'color', arg: 'optional', key: 'L' },
  { name: 'colour', arg: 'optional', key: 'L' },
  { name: 'console-level', arg: 'required', key: 'n' },
  { name: 'console-off', arg: 'none', key: 'D' },
  { name: 'console-on', arg: 'none', key: 'E' },
  { name: 'decode', arg: 'none', key: 'x' },
  { name: 'file', arg: 'required', key: 'F' },
  { name: 'facility', arg: 'required', key: 'f' },
  { name: 'follow', arg: 'none', key: 'w' },
  { name: 'follow-new', arg: 'none', key: 'W' },
  { name: 'human', arg: 'none', key: 'H' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'json', arg: 'none', key: 'J' },
  { name: 'kernel', arg: 'none', key: 'k' },
  { name: 'level', arg: 'required', key: 'l' },
  { name: 'since', arg: 'required', key: 'since' },
  { name: 'syslog', arg: 'none', key: 'S' },
  { name: 'raw', arg: 'none', key: 'r' },
  { name: 'read-clear', arg: 'none', key: 'c' },
  { name: 'reltime', arg: 'none', key: 'e' },
  { name: 'show-delta', arg: 'none', key: 'd' },
  { name: 'ctime', arg: 'none', key: 'T' },
  { name: 'noescape', arg: 'none', key: 'noescape' },
  { name: 'notime', arg: 'none', key: 't' },
  { name: 'nopager', arg: 'none', key: 'P' },
  { name: 'until', arg: 'required', key: 'until' },
  { name: 'userspace', arg: 'none', key: 'u' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'time-format', arg: 'required', key: 'time-format' },
  { name: 'force-prefix', arg: 'none', key: 'p' },
];

/** getopt short options: letter -> argument kind ("CcDdEeF:f:HhJkL::l:n:iPprSs:TtuVWwx"). */
const SHORT_OPTIONS: Record<string, 'none' | 'required' | 'optional'> = {
  C: 'none', c: 'none', D: 'none', d: 'none', E: 'none', e: 'none', F: 'required', f: 'required', H: 'none',
  h: 'none', J: 'none', k: 'none', L: 'optional', l: 'required', n: 'required', i: 'none', P: 'none', p: 'none',
  r: 'none', S: 'none', s: 'required', T: 'none', t: 'none', u: 'none', V: 'none', W: 'none', w: 'none', x: 'none',
};

/** util-linux's exclusive option groups (ul_excl_t), each in its ASCII order. */
const EXCLUSIVE_GROUPS: string[][] = [
  ['C', 'D', 'E', 'c', 'n', 'r'],
  ['H', 'r'],
  ['L', 'r'],
  ['S', 'w'],
  ['T', 'r'],
  ['d', 'r'],
  ['e', 'r'],
  ['r', 'x'],
  ['r', 't'],
];

const TRY_HELP = "Try 'dmesg --help' for more information.\n";

export const DMESG_VERSION_TEXT = 'dmesg from ksim (util-linux 2.38.1 compatible)\n';

/** The --help text: util-linux's, listing what ksim's dmesg does. */
export function dmesgHelpText(): string {
  const facilities = LOG_FACILITY_NAMES.map((name) => `  ${name.padStart(8)} - ${facilityDescription(name)}\n`).join('');
  const levelDescriptions = [
    'system is unusable',
    'action must be taken immediately',
    'critical conditions',
    'error conditions',
    'warning conditions',
    'normal but significant condition',
    'informational',
    'debug-level messages',
  ];
  const levels = LOG_LEVEL_NAMES.map((name, i) => `  ${name.padStart(6)} - ${levelDescriptions[i]}\n`).join('');
  return `
Usage:
 dmesg [options]

Display or control the kernel ring buffer.

Options:
 -C, --clear                 clear the kernel ring buffer
 -c, --read-clear            read and clear all messages
 -F, --file <file>           use the file instead of the kernel log buffer
 -f, --facility <list>       restrict output to defined facilities
 -H, --human                 human readable output
 -J, --json                  use JSON output format
 -k, --kernel                display kernel messages
 -L, --color[=<when>]        colorize messages (auto, always or never)
                               colors are enabled by default
 -l, --level <list>          restrict output to defined levels
 -P, --nopager               do not pipe output into a pager
 -p, --force-prefix          force timestamp output on each line of multi-line messages
 -r, --raw                   print the raw message buffer
     --noescape              don't escape unprintable character
 -S, --syslog                force to use syslog(2) rather than /dev/kmsg
 -s, --buffer-size <size>    buffer size to query the kernel ring buffer
 -u, --userspace             display userspace messages
 -w, --follow                wait for new messages
 -W, --follow-new            wait and print only new messages
 -x, --decode                decode facility and level to readable string
 -d, --show-delta            show time delta between printed messages
 -e, --reltime               show local time and time delta in readable format
 -T, --ctime                 show human-readable timestamp (may be inaccurate!)
 -t, --notime                don't show any timestamp with messages
     --time-format <format>  show timestamp using the given format:
                               [delta|reltime|ctime|notime|iso|raw]
Suspending/resume will make ctime and iso timestamps inaccurate.
     --since <time>          display the lines since the specified time
     --until <time>          display the lines until the specified time

 -h, --help                  display this help
 -V, --version               display version

Supported log facilities:
${facilities}
Supported log levels (priorities):
${levels}
A level may be followed by + (that level and all more severe ones: err+) or preceded by it
(that level and all less severe ones: +err).

For more details see dmesg(1).
`;
}

function facilityDescription(name: string): string {
  const descriptions: Record<string, string> = {
    kern: 'kernel messages',
    user: 'random user-level messages',
    mail: 'mail system',
    daemon: 'system daemons',
    auth: 'security/authorization messages',
    syslog: 'messages generated internally by syslogd',
    lpr: 'line printer subsystem',
    news: 'network news subsystem',
    uucp: 'UUCP subsystem',
    cron: 'clock daemon',
    authpriv: 'security/authorization messages (private)',
    ftp: 'FTP daemon',
  };
  return descriptions[name] ?? (name.startsWith('res') ? 'reserved' : 'local use');
}

class UsageError extends Error {
  constructor(
    readonly stderr: string,
    readonly status = 1,
  ) {
    super(stderr);
  }
}

/** Parses one level name or number (names case-insensitive); `rest` is what util-linux quotes on error. */
function parseLevelName(name: string, rest: string): number {
  if (/^[0-9]/.test(name)) {
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      if (n < LOG_LEVEL_NAMES.length) return n;
    }
  } else {
    const i = LOG_LEVEL_NAMES.findIndex((l) => l === name.toLowerCase());
    if (i >= 0) return i;
  }
  throw new UsageError(`dmesg: unknown level '${rest}'\n`);
}

function parseFacilityName(name: string, rest: string): number {
  if (/^[0-9]/.test(name)) {
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      if (n < LOG_FACILITY_NAMES.length) return n;
    }
  } else {
    const i = LOG_FACILITY_NAMES.findIndex((l) => l === name.toLowerCase());
    if (i >= 0) return i;
  }
  throw new UsageError(`dmesg: unknown facility '${rest}'\n`);
}

/**
 * util-linux string_to_bitarray: comma-separated names; with ranges allowed, `name+` adds every
 * more severe (lower) level and `+name` every less severe (higher) one.
 */
function parseList(list: string, into: Set<number>, parse: (name: string, rest: string) => number, rangeLimit: number): void {
  let begin = -1;
  for (let p = 0; p < list.length; p++) {
    let end = -1;
    if (begin < 0) begin = p;
    if (list[p] === ',') end = p;
    if (p + 1 === list.length) end = p + 1;
    if (end < 0) continue;
    if (end <= begin) throw new UsageError('');
    let nameBegin = begin;
    let nameEnd = end;
    let lower = false;
    let higher = false;
    if (rangeLimit > 0 && nameEnd - nameBegin > 1) {
      if (list[nameEnd - 1] === '+') {
        nameEnd--;
        lower = true;
      } else if (list[nameBegin] === '+') {
        nameBegin++;
        higher = true;
      }
    }
    const bit = parse(list.slice(nameBegin, nameEnd), list.slice(begin));
    into.add(bit);
    if (lower) for (let b = bit - 1; b >= 0; b--) into.add(b);
    if (higher) for (let b = bit + 1; b < rangeLimit; b++) into.add(b);
    begin = -1;
  }
}

function timeFormatFromName(name: string): DmesgTimeFormat {
  switch (name) {
    case 'notime':
      return 'none';
    case 'ctime':
      return 'ctime';
    case 'delta':
      return 'delta';
    case 'reltime':
      return 'reltime';
    case 'iso':
      return 'iso';
    case 'raw':
      return 'time';
  }
  throw new UsageError(`dmesg: unknown time format: ${name}\n`);
}

/** Parses dmesg's argv (without the program name) as util-linux does. */
export function parseDmesgArgs(argv: readonly string[]): DmesgCliResult {
  try {
    return parseOrThrow(argv);
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', stderr: e.stderr, status: e.status };
    throw e;
  }
}

function longName(key: string): string {
  return LONG_OPTIONS.find((o) => o.key === key)!.name;
}

function parseOrThrow(argv: readonly string[]): DmesgCliResult {
  const o: DmesgCliOptions = {
    format: { timeFormat: 'time', decode: false, raw: false, json: false, forcePrefix: false, noEscape: false },
    color: 'never',
    clear: false,
    readClear: false,
    follow: false,
    followNew: false,
    warnings: [],
  };
  let delta = false;
  let levels: Set<number> | undefined;
  let facilities: Set<number> | undefined;
  const exclusiveSeen = new Map<number, string>();
  const positional: string[] = [];

  const checkExclusive = (key: string): void => {
    EXCLUSIVE_GROUPS.forEach((group, i) => {
      if (!group.includes(key)) return;
      const seen = exclusiveSeen.get(i);
      if (seen === undefined) exclusiveSeen.set(i, key);
      else if (seen !== key) {
        throw new UsageError(`dmesg: mutually exclusive arguments:${group.map((k) => ` --${longName(k)}`).join('')}\n`);
      }
    });
  };

  const apply = (key: string, arg: string | undefined): DmesgCliResult | undefined => {
    checkExclusive(key);
    switch (key) {
      case 'C':
        o.clear = true;
        break;
      case 'c':
        o.readClear = true;
        break;
      case 'D':
      case 'E':
      case 'n':
        if (key === 'n') parseLevelName(arg!, arg!);
        throw new UsageError(`dmesg: --${longName(key)} is not supported: ksim has no console log level\n`);
      case 'd':
        delta = true;
        break;
      case 'e':
        o.format.timeFormat = 'reltime';
        break;
      case 'F':
        o.file = arg!;
        break;
      case 'f':
        facilities ??= new Set();
        parseList(arg!, facilities, parseFacilityName, 0);
        break;
      case 'H':
        o.format.timeFormat = 'reltime';
        o.color = 'auto';
        break;
      case 'h':
        return { kind: 'exit', stdout: dmesgHelpText(), status: 0 };
      case 'J':
        o.format.json = true;
        break;
      case 'k':
        facilities ??= new Set();
        facilities.add(0);
        break;
      case 'L':
        o.color = 'auto';
        if (arg !== undefined) {
          if (arg === 'auto' || arg === 'always' || arg === 'never') o.color = arg;
          else throw new UsageError(`dmesg: unsupported color mode: '${arg}'\n`);
        }
        break;
      case 'l':
        levels ??= new Set();
        parseList(arg!, levels, parseLevelName, LOG_LEVEL_NAMES.length);
        break;
      case 'P':
      case 'S':
      case 'i':
        break;
      case 'p':
        o.format.forcePrefix = true;
        break;
      case 'r':
        o.format.raw = true;
        break;
      case 's':
        if (!/^[0-9]+$/.test(arg!)) {
          const suffix = /^-[0-9]+$/.test(arg!) ? ': Numerical result out of range' : '';
          throw new UsageError(`dmesg: invalid buffer size argument: '${arg}'${suffix}\n`);
        }
        break;
      case 'T':
        o.format.timeFormat = 'ctime';
        break;
      case 't':
        o.format.timeFormat = 'none';
        break;
      case 'u':
        facilities ??= new Set();
        for (let f = 1; f < LOG_FACILITY_NAMES.length; f++) facilities.add(f);
        break;
      case 'V':
        return { kind: 'exit', stdout: DMESG_VERSION_TEXT, status: 0 };
      case 'W':
        o.followNew = true;
        break;
      case 'w':
        o.follow = true;
        break;
      case 'x':
        o.format.decode = true;
        break;
      case 'noescape':
        o.format.noEscape = true;
        break;
      case 'since':
      case 'until':
        if (parseTimestamp(arg!, 0, () => 0) === undefined) {
          throw new UsageError(`dmesg: invalid time value "${arg}"\n`);
        }
        o[key] = arg!;
        break;
      case 'time-format':
        o.format.timeFormat = timeFormatFromName(arg!);
        break;
    }
    return undefined;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const exact = LONG_OPTIONS.find((opt) => opt.name === name);
      let opt = exact;
      if (!opt) {
        const candidates = LONG_OPTIONS.filter((c) => c.name.startsWith(name));
        const distinct = new Set(candidates.map((c) => `${c.key}/${c.arg}`));
        if (candidates.length === 0) throw new UsageError(`dmesg: unrecognized option '${a}'\n${TRY_HELP}`);
        if (distinct.size > 1) {
          const seen = new Set<string>();
          const names = candidates.filter((c) => (seen.has(c.key) ? false : (seen.add(c.key), true)));
          throw new UsageError(`dmesg: option '${a.slice(0, eq >= 0 ? eq : a.length)}' is ambiguous; possibilities:${names.map((c) => ` '--${c.name}'`).join('')}\n${TRY_HELP}`);
        }
        opt = candidates[0]!;
      }
      let arg: string | undefined;
      if (opt.arg === 'none') {
        if (eq >= 0) throw new UsageError(`dmesg: option '--${opt.name}' doesn't allow an argument\n${TRY_HELP}`);
      } else if (eq >= 0) {
        arg = a.slice(eq + 1);
      } else if (opt.arg === 'required') {
        if (i + 1 >= argv.length) throw new UsageError(`dmesg: option '--${opt.name}' requires an argument\n${TRY_HELP}`);
        arg = argv[++i]!;
      }
      const r = apply(opt.key, arg);
      if (r) return r;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const kind = SHORT_OPTIONS[c];
        if (!kind) throw new UsageError(`dmesg: invalid option -- '${c}'\n${TRY_HELP}`);
        let arg: string | undefined;
        if (kind !== 'none') {
          if (j + 1 < a.length) arg = a.slice(j + 1);
          else if (kind === 'required') {
            if (i + 1 >= argv.length) throw new UsageError(`dmesg: option requires an argument -- '${c}'\n${TRY_HELP}`);
            arg = argv[++i]!;
          }
          j = a.length;
        }
        const r = apply(c, arg);
        if (r) return r;
      }
      continue;
    }
    positional.push(a);
  }
  if (positional.length > 0) throw new UsageError(`dmesg: bad usage\n${TRY_HELP}`);

  if (delta) {
    switch (o.format.timeFormat) {
      case 'ctime':
        o.format.timeFormat = 'ctime-delta';
        break;
      case 'time':
        o.format.timeFormat = 'time-delta';
        break;
      case 'iso':
        o.warnings.push('dmesg: --show-delta is ignored when used together with iso8601 time format\n');
        break;
      default:
        o.format.timeFormat = 'delta';
    }
  }
  if (levels) o.format.levels = levels;
  if (facilities) o.format.facilities = facilities;
  return { kind: 'run', options: o };
}

const USEC_PER_SEC = 1_000_000;
const TIME_UNITS: Array<[string, number]> = [
  ['seconds', USEC_PER_SEC],
  ['second', USEC_PER_SEC],
  ['sec', USEC_PER_SEC],
  ['s', USEC_PER_SEC],
  ['minutes', 60 * USEC_PER_SEC],
  ['minute', 60 * USEC_PER_SEC],
  ['min', 60 * USEC_PER_SEC],
  ['msec', 1000],
  ['ms', 1000],
  ['m', 60 * USEC_PER_SEC],
  ['hours', 3600 * USEC_PER_SEC],
  ['hour', 3600 * USEC_PER_SEC],
  ['hr', 3600 * USEC_PER_SEC],
  ['h', 3600 * USEC_PER_SEC],
  ['days', 86400 * USEC_PER_SEC],
  ['day', 86400 * USEC_PER_SEC],
  ['d', 86400 * USEC_PER_SEC],
  ['weeks', 7 * 86400 * USEC_PER_SEC],
  ['week', 7 * 86400 * USEC_PER_SEC],
  ['w', 7 * 86400 * USEC_PER_SEC],
  ['usec', 1],
  ['us', 1],
];

/** util-linux parse_sec: "5min", "1h 30min", "1.5h"; every number needs a unit. */
export function parseTimeSpanUsec(text: string): number | undefined {
  let p = text;
  let total = 0;
  do {
    const m = /^[ \t\n\r]*([0-9]+)(?:\.([0-9]+))?[ \t\n\r]*/.exec(p);
    if (!m) return undefined;
    p = p.slice(m[0].length);
    const unit = TIME_UNITS.find(([suffix]) => p.startsWith(suffix));
    if (!unit) return undefined;
    p = p.slice(unit[0].length);
    total += Number(m[1]) * unit[1];
    if (m[2]) total += Math.floor(Number(`0.${m[2]}`) * unit[1]);
  } while (p.length > 0);
  return total;
}

const WEEKDAY_NAMES: Array<[string, number]> = [
  ['Sunday', 0], ['Sun', 0], ['Monday', 1], ['Mon', 1], ['Tuesday', 2], ['Tue', 2], ['Wednesday', 3], ['Wed', 3],
  ['Thursday', 4], ['Thu', 4], ['Friday', 5], ['Fri', 5], ['Saturday', 6], ['Sat', 6],
];

/**
 * util-linux parse_timestamp: `YYYY-MM-DD HH:MM:SS` (also with T, without seconds or time, or a
 * two-digit year), `HH:MM[:SS]`, `YYYYMMDDHHMMSS`, an optional weekday in front, `now`, `today`,
 * `yesterday`, `tomorrow`, `+5min`, `-5min`, `5min ago`. Returns epoch microseconds, or undefined.
 * `utcOffsetMinutes` gives the local zone for a moment (minutes east of UTC).
 */
export function parseTimestamp(text: string, nowUsec: number, utcOffsetMinutes: (epochMs: number) => number): number | undefined {
  const nowSec = Math.floor(nowUsec / USEC_PER_SEC);
  const offsetNow = utcOffsetMinutes(nowSec * 1000);
  const local = new Date((nowSec + offsetNow * 60) * 1000);
  let tm = {
    y: local.getUTCFullYear(),
    mo: local.getUTCMonth(),
    d: local.getUTCDate(),
    h: local.getUTCHours(),
    mi: local.getUTCMinutes(),
    s: local.getUTCSeconds(),
  };
  let plus = 0;
  let minus = 0;
  let weekday = -1;
  let t = text;
  const finish = (): number | undefined => {
    // mktime with the local zone: guess with the current offset, then correct once.
    const naive = Date.UTC(tm.y, tm.mo, tm.d, tm.h, tm.mi, tm.s) / 1000;
    let sec = naive - utcOffsetMinutes(naive * 1000) * 60;
    sec = naive - utcOffsetMinutes(sec * 1000) * 60;
    if (weekday >= 0 && new Date(naive * 1000).getUTCDay() !== weekday) return undefined;
    const ret = sec * USEC_PER_SEC + plus;
    return ret > minus ? ret - minus : 0;
  };
  if (t === 'now') return finish();
  if (t === 'today' || t === 'yesterday' || t === 'tomorrow') {
    tm = { ...tm, d: tm.d + (t === 'yesterday' ? -1 : t === 'tomorrow' ? 1 : 0), h: 0, mi: 0, s: 0 };
    return finish();
  }
  if (t.startsWith('+') || t.startsWith('-')) {
    const span = parseTimeSpanUsec(t.slice(1));
    if (span === undefined) return undefined;
    if (t.startsWith('+')) plus = span;
    else minus = span;
    return finish();
  }
  if (t.endsWith(' ago')) {
    const span = parseTimeSpanUsec(t.slice(0, -4));
    if (span === undefined) return undefined;
    minus = span;
    return finish();
  }
  for (const [name, nr] of WEEKDAY_NAMES) {
    if (t.slice(0, name.length).toLowerCase() === name.toLowerCase() && t[name.length] === ' ') {
      weekday = nr;
      t = t.slice(name.length + 1);
      break;
    }
  }
  const num = '([0-9]+)';
  const forms: Array<[RegExp, (m: RegExpExecArray) => void]> = [
    [new RegExp(`^([0-9]{1,2})-${num}-${num} ${num}:${num}:${num}$`), (m) => setDate(m, true, true)],
    [new RegExp(`^${num}-${num}-${num} ${num}:${num}:${num}$`), (m) => setDate(m, false, true)],
    [new RegExp(`^${num}-${num}-${num}T${num}:${num}:${num}$`), (m) => setDate(m, false, true)],
    [new RegExp(`^([0-9]{1,2})-${num}-${num} ${num}:${num}$`), (m) => setDate(m, true, false)],
    [new RegExp(`^${num}-${num}-${num} ${num}:${num}$`), (m) => setDate(m, false, false)],
    [new RegExp(`^${num}-${num}-${num}T${num}:${num}$`), (m) => setDate(m, false, false)],
    [new RegExp(`^([0-9]{1,2})-${num}-${num}$`), (m) => setDate(m, true, false, true)],
    [new RegExp(`^${num}-${num}-${num}$`), (m) => setDate(m, false, false, true)],
    [new RegExp(`^${num}:${num}:${num}$`), (m) => setTime(Number(m[1]), Number(m[2]), Number(m[3]))],
    [new RegExp(`^${num}:${num}$`), (m) => setTime(Number(m[1]), Number(m[2]), 0)],
    // %Y%m%d%H%M%S; util-linux then sets the seconds to 0.
    [/^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/, (m) => {
      tm = { y: Number(m[1]), mo: Number(m[2]) - 1, d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]), s: 0 };
    }],
  ];
  let valid = true;
  function setTime(h: number, mi: number, s: number): void {
    if (h > 23 || mi > 59 || s > 61) valid = false;
    tm = { ...tm, h, mi, s };
  }
  function setDate(m: RegExpExecArray, twoDigitYear: boolean, withSeconds: boolean, dateOnly = false): void {
    let y = Number(m[1]);
    if (twoDigitYear) y += y < 69 ? 2000 : 1900;
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) valid = false;
    tm = { y, mo: mo - 1, d, h: 0, mi: 0, s: 0 };
    if (!dateOnly) setTime(Number(m[4]), Number(m[5]), withSeconds ? Number(m[6]) : 0);
  }
  for (const [re, apply] of forms) {
    const m = re.exec(t);
    if (!m) continue;
    valid = true;
    apply(m);
    if (valid) return finish();
  }
  return undefined;
}

/** Resolves --since/--until to epoch seconds against the current time. */
export function resolveTimeFilters(
  options: DmesgCliOptions,
  nowUsec: number,
  utcOffsetMinutes: (epochMs: number) => number,
): { sinceSec?: number; untilSec?: number } {
  const out: { sinceSec?: number; untilSec?: number } = {};
  if (options.since !== undefined) out.sinceSec = Math.floor(parseTimestamp(options.since, nowUsec, utcOffsetMinutes)! / USEC_PER_SEC);
  if (options.until !== undefined) out.untilSec = Math.floor(parseTimestamp(options.until, nowUsec, utcOffsetMinutes)! / USEC_PER_SEC);
  return out;
}

/** FreeBSD dmesg's options (getopt "acM:N:"). */
export type FreebsdDmesgCliResult =
  | { kind: 'run'; all: boolean; clear: boolean }
  | { kind: 'error'; stderr: string; status: number };

export const FREEBSD_DMESG_USAGE = 'usage: dmesg [-ac] [-M core [-N system]]\n';

/** Parses FreeBSD dmesg's argv; -M/-N (reading a crash dump) are refused, as ksim has no core files. */
export function parseFreebsdDmesgArgs(argv: readonly string[]): FreebsdDmesgCliResult {
  let all = false;
  let clear = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      if (i + 1 < argv.length) return { kind: 'error', stderr: FREEBSD_DMESG_USAGE, status: 1 };
      break;
    }
    if (!a.startsWith('-') || a.length < 2) return { kind: 'error', stderr: FREEBSD_DMESG_USAGE, status: 1 };
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'a') all = true;
      else if (c === 'c') clear = true;
      else if (c === 'M' || c === 'N') {
        return { kind: 'error', stderr: 'dmesg: -M and -N (crash dumps) are not supported by ksim\n', status: 1 };
      } else {
        return { kind: 'error', stderr: `dmesg: illegal option -- ${c}\n${FREEBSD_DMESG_USAGE}`, status: 1 };
      }
    }
  }
  return { kind: 'run', all, clear };
}
