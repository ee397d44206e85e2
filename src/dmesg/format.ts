// dmesg output: turns kernel log records into the exact bytes util-linux dmesg prints (every time
// format, -x decoding, -r raw, -J JSON, colours, filters, escaping, multi-line indent) and what
// FreeBSD's dmesg prints. Stateful, because deltas and -H minute breaks depend on earlier lines;
// follow mode feeds it records as they come. Core: imports nothing from Node.
import { LOG_FACILITY_NAMES, LOG_LEVEL_NAMES, LOG_NEWLINE, type LogRecord } from '../kernel/log.js';

export type DmesgTimeFormat = 'time' | 'time-delta' | 'delta' | 'ctime' | 'ctime-delta' | 'reltime' | 'iso' | 'none';

/** What the output looks like and which records it shows (the parsed dmesg command line). */
export interface DmesgFormatOptions {
  timeFormat: DmesgTimeFormat;
  /** -x */
  decode: boolean;
  /** -r */
  raw: boolean;
  /** -J */
  json: boolean;
  /** Colour escapes (already resolved from --color and the terminal). */
  color: boolean;
  /** -p: every line of a multi-line message gets the prefix. */
  forcePrefix: boolean;
  /** --noescape */
  noEscape: boolean;
  /** Levels to show (undefined: all). */
  levels?: ReadonlySet<number>;
  /** Facilities to show (undefined: all). */
  facilities?: ReadonlySet<number>;
  /** --since / --until, seconds since the epoch. */
  sinceSec?: number;
  untilSec?: number;
}

/** Where the records sit in wall time. */
export interface DmesgClock {
  /** Wall-clock time of boot, microseconds since the epoch. */
  bootWallUsec: number;
  /** Local time zone offset east of UTC in minutes for a moment (default: the JS runtime's zone). */
  utcOffsetMinutes?: (epochMs: number) => number;
}

export const DEFAULT_FORMAT_OPTIONS: DmesgFormatOptions = {
  timeFormat: 'time',
  decode: false,
  raw: false,
  json: false,
  color: false,
  forcePrefix: false,
  noEscape: false,
};

/** util-linux's default colour scheme (lib/colors.h codes). */
export const DMESG_COLORS = {
  subsys: '\x1b[33m',
  time: '\x1b[32m',
  timebreak: '\x1b[32m\x1b[1m',
  alert: '\x1b[7m\x1b[31m',
  crit: '\x1b[1m\x1b[31m',
  err: '\x1b[31m',
  warn: '\x1b[1m',
  segfault: '\x1b[2m\x1b[31m',
  reset: '\x1b[0m',
} as const;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Broken-down local time (struct tm). */
export interface LocalTime {
  year: number;
  /** 0..11 */
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  /** 0 = Sunday */
  wday: number;
  /** 0..365 */
  yday: number;
  /** Minutes east of UTC. */
  offsetMin: number;
}

function defaultUtcOffsetMinutes(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}

/** localtime_r for a whole number of epoch seconds. */
export function localTime(epochSec: number, utcOffsetMinutes: (epochMs: number) => number = defaultUtcOffsetMinutes): LocalTime {
  const offsetMin = utcOffsetMinutes(epochSec * 1000);
  const d = new Date((epochSec + offsetMin * 60) * 1000);
  const year = d.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    wday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - startOfYear) / 86_400_000),
    offsetMin,
  };
}

const pad = (n: number, width: number, fill = '0'): string => String(n).padStart(width, fill);

/** strftime "%a %b %e %H:%M:%S %Y" */
export function ctimeString(t: LocalTime): string {
  return `${WEEKDAYS[t.wday]} ${MONTHS[t.month]} ${pad(t.day, 2, ' ')} ${pad(t.hour, 2)}:${pad(t.min, 2)}:${pad(t.sec, 2)} ${t.year}`;
}

/** strftime "%b%d %H:%M" (dmesg's short_ctime) */
function shortCtime(t: LocalTime): string {
  return `${MONTHS[t.month]}${pad(t.day, 2)} ${pad(t.hour, 2)}:${pad(t.min, 2)}`;
}

/** printf("%5ld.%06ld") of a microsecond count. */
function secUsec(usec: number): string {
  const sec = Math.floor(usec / 1e6);
  return `${pad(sec, 5, ' ')}.${pad(usec - sec * 1e6, 6)}`;
}

/** printf("%12.06f") and friends for a delta in microseconds. */
function fixed6(usec: number, width: number, sign = false): string {
  const neg = usec < 0;
  const abs = Math.abs(usec);
  const s = `${Math.floor(abs / 1e6)}.${pad(abs % 1e6, 6)}`;
  const signed = neg ? `-${s}` : sign ? `+${s}` : s;
  return signed.padStart(width, ' ');
}

/**
 * Escapes a message as util-linux's safe_fwrite does in a UTF-8 locale: bytes that are not
 * printable and not white space become `\xNN` (lower-case hex), per byte of their UTF-8 encoding.
 */
export function escapeMessage(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const printable =
      cp === 0x09 || cp === 0x0a || cp === 0x0b || cp === 0x0c || cp === 0x0d || (cp >= 0x20 && cp < 0x7f) ||
      (cp >= 0xa0 && !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0xfffe && cp !== 0xffff);
    if (printable) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** JSON string as util-linux's ul_jsonwrt writes it: only `"`, `\` and control characters escaped. */
export function jsonQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20) out += ch;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

/** Where the subsystem prefix ends ("usb 1-1: " up to and including ": "), or -1. */
function subsysEnd(text: string): number {
  let from = 0;
  for (;;) {
    const colon = text.indexOf(':', from);
    if (colon < 0 || colon + 1 >= text.length) return -1;
    const next = text[colon + 1];
    if (next === ' ' || next === '\t') return colon + 2;
    from = colon + 1;
  }
}

function levelColor(level: number, text: string): string | undefined {
  switch (level) {
    case 1:
      return DMESG_COLORS.alert;
    case 2:
      return DMESG_COLORS.crit;
    case 3:
      return DMESG_COLORS.err;
    case 4:
      return DMESG_COLORS.warn;
  }
  return text.includes('segfault at') ? DMESG_COLORS.segfault : undefined;
}

/** util-linux dmesg's printing of records, one call per record. */
export class DmesgFormatter {
  private lastUsec = 0;
  private lastTm = { min: 0, hour: 0, yday: 0 };
  private jsonStarted = false;
  private readonly offset: (epochMs: number) => number;

  constructor(
    readonly options: DmesgFormatOptions,
    readonly clock: DmesgClock,
  ) {
    this.offset = clock.utcOffsetMinutes ?? defaultUtcOffsetMinutes;
  }

  /** Whether a record passes the level, facility, --since and --until filters. */
  accepts(rec: LogRecord): boolean {
    const o = this.options;
    if (o.levels && !o.levels.has(rec.level)) return false;
    if (o.facilities && !o.facilities.has(rec.facility)) return false;
    if (o.sinceSec !== undefined || o.untilSec !== undefined) {
      const t = this.recordTimeSec(rec);
      if (o.sinceSec !== undefined && o.sinceSec >= t) return false;
      if (o.untilSec !== undefined && o.untilSec <= t) return false;
    }
    return true;
  }

  /** boot seconds + record seconds, as dmesg's record_time() (both parts truncated). */
  private recordTimeSec(rec: LogRecord): number {
    return Math.floor(this.clock.bootWallUsec / 1e6) + Math.floor(rec.tsUsec / 1e6);
  }

  /** dmesg's record_count_delta: 0 while the previous printed record was at 0.000000. */
  private countDelta(rec: LogRecord): number {
    const delta = this.lastUsec !== 0 ? rec.tsUsec - this.lastUsec : 0;
    this.lastUsec = rec.tsUsec;
    return delta;
  }

  private iso(rec: LogRecord): string {
    const bootSec = Math.floor(this.clock.bootWallUsec / 1e6);
    const bootUsec = this.clock.bootWallUsec - bootSec * 1e6;
    const recSec = Math.floor(rec.tsUsec / 1e6);
    const usec = bootUsec + (rec.tsUsec - recSec * 1e6);
    const t = localTime(bootSec + recSec, this.offset);
    const off = Math.abs(t.offsetMin);
    return (
      `${pad(t.year, 4)}-${pad(t.month + 1, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.min, 2)}:${pad(t.sec, 2)},${pad(usec, 6)}` +
      `${t.offsetMin < 0 ? '-' : '+'}${pad(Math.floor(off / 60), 2)}:${pad(off % 60, 2)}`
    );
  }

  /** The output for one record ('' when it is filtered out). */
  format(rec: LogRecord): string {
    const o = this.options;
    if (!this.accepts(rec)) return '';
    if (rec.text.length === 0) return o.json ? '' : '\n';

    let out = '';
    if (o.json) {
      out += this.jsonStarted ? ',{\n' : '{\n   "dmesg": [\n      {\n';
      this.jsonStarted = true;
    }

    let tsbuf = '';
    let fpbuf = '';
    let timebreak = false;
    if (o.raw && !o.json) {
      tsbuf = `<${(rec.facility << 3) | rec.level}>[${secUsec(rec.tsUsec)}] `;
    } else {
      if (o.decode && rec.level >= 0 && rec.level < 8 && rec.facility >= 0 && rec.facility < LOG_FACILITY_NAMES.length) {
        fpbuf = `${LOG_FACILITY_NAMES[rec.facility]!.padEnd(6)}:${LOG_LEVEL_NAMES[rec.level]!.padEnd(6)}: `;
      }
      const timeFormat = o.json ? 'time' : o.timeFormat;
      switch (timeFormat) {
        case 'none':
          break;
        case 'ctime':
          tsbuf = `[${ctimeString(localTime(this.recordTimeSec(rec), this.offset))}] `;
          break;
        case 'ctime-delta': {
          const ct = ctimeString(localTime(this.recordTimeSec(rec), this.offset));
          tsbuf = `[${ct} <${fixed6(this.countDelta(rec), 12)}>] `;
          break;
        }
        case 'time':
          tsbuf = o.json ? secUsec(rec.tsUsec) : `[${secUsec(rec.tsUsec)}] `;
          break;
        case 'time-delta':
          tsbuf = `[${secUsec(rec.tsUsec)} <${fixed6(this.countDelta(rec), 12)}>] `;
          break;
        case 'delta':
          tsbuf = `[<${fixed6(this.countDelta(rec), 12)}>] `;
          break;
        case 'reltime': {
          const cur = localTime(this.recordTimeSec(rec), this.offset);
          const delta = this.countDelta(rec);
          if (cur.min !== this.lastTm.min || cur.hour !== this.lastTm.hour || cur.yday !== this.lastTm.yday) {
            timebreak = true;
            tsbuf = `[${shortCtime(cur)}] `;
          } else if (delta < 10e6) {
            tsbuf = `[  ${fixed6(delta, 8, true)}] `;
          } else {
            tsbuf = `[ ${fixed6(delta, 9, true)}] `;
          }
          this.lastTm = { min: cur.min, hour: cur.hour, yday: cur.yday };
          break;
        }
        case 'iso':
          tsbuf = `${this.iso(rec)} `;
          break;
      }
    }

    if (o.json) {
      if (fpbuf) {
        out += `         "fac": ${jsonQuote(LOG_FACILITY_NAMES[rec.facility]!)},\n`;
        out += `         "pri": ${jsonQuote(LOG_LEVEL_NAMES[rec.level]!)},\n`;
      } else {
        out += `         "pri": ${(rec.facility << 3) | rec.level},\n`;
      }
      out += `         "time": ${tsbuf},\n`;
      out += `         "msg": ${jsonQuote(rec.text)}\n      }`;
      return out;
    }

    const indent = tsbuf.length + fpbuf.length;
    const lines = o.forcePrefix ? rec.text.split('\n').filter((l, i) => i === 0 || l.length > 0) : [rec.text];
    lines.forEach((line, i) => {
      if (i > 0) out += '\n';
      out += fpbuf;
      if (tsbuf) {
        const stamp = i > 0 && o.timeFormat === 'reltime' && !o.raw ? '[  +0.000000] ' : tsbuf;
        out += o.color ? `${timebreak && i === 0 ? DMESG_COLORS.timebreak : DMESG_COLORS.time}${stamp}${DMESG_COLORS.reset}` : stamp;
      }
      out += this.body(rec, line, o.forcePrefix ? 0 : indent);
    });
    return out + '\n';
  }

  private body(rec: LogRecord, text: string, indent: number): string {
    const write = (s: string): string => {
      const escaped = this.options.noEscape ? s : escapeMessage(s);
      if (!indent) return escaped;
      // A newline followed by more text is followed by the indent.
      return escaped.replace(/\n(?=[\s\S])/g, `\n${' '.repeat(indent)}`);
    };
    if (!this.options.color) return write(text);
    let out = '';
    let rest = text;
    const end = subsysEnd(text);
    if (end > 0) {
      out += `${DMESG_COLORS.subsys}${write(text.slice(0, end))}${DMESG_COLORS.reset}`;
      rest = text.slice(end);
    }
    const color = levelColor(rec.level, rest);
    return color ? `${out}${color}${write(rest)}${DMESG_COLORS.reset}` : out + write(rest);
  }

  /** What ends the output (the JSON closing brackets; '' otherwise). */
  finish(): string {
    if (this.options.json && this.jsonStarted) return '\n   ]\n}\n';
    return '';
  }
}

/** Formats a whole list of records. */
export function formatDmesg(records: readonly LogRecord[], options: DmesgFormatOptions, clock: DmesgClock): string {
  const formatter = new DmesgFormatter(options, clock);
  let out = '';
  for (const rec of records) out += formatter.format(rec);
  return out + formatter.finish();
}

/** FreeBSD dmesg: kernel-facility lines (all with -a), no stamps, non-printables vis(3)-encoded. */
export function formatFreebsdDmesg(records: readonly LogRecord[], options: { all: boolean }): string {
  let out = '';
  for (const rec of records) {
    if (rec.facility !== 0 && !options.all) continue;
    out += visEncode(rec.text) + (rec.flags & LOG_NEWLINE ? '\n' : '');
  }
  return out;
}

/** vis(3) with no flags, as FreeBSD dmesg's strvisx(…, 0): `\^A` controls, `\M-x` meta, `\^?` DEL. */
export function visEncode(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    let c = byte;
    let s = '';
    if (c === 0x09 || c === 0x0a || c === 0x20 || (c > 0x20 && c < 0x7f && c !== 0x5c)) {
      out += String.fromCharCode(c);
      continue;
    }
    if (c === 0x5c) {
      out += '\\\\';
      continue;
    }
    if (c & 0x80) {
      s += '\\M';
      c &= 0x7f;
      if (c === 0x20 || (c > 0x20 && c < 0x7f)) {
        out += `${s}-${String.fromCharCode(c)}`;
        continue;
      }
    } else s += '\\';
    if (c === 0x7f) out += `${s}^?`;
    else if (c < 0x20) out += `${s}^${String.fromCharCode(c + 0x40)}`;
    else out += `${s}-${String.fromCharCode(c)}`;
  }
  return out;
}
