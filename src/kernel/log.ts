// The kernel log (printk and the log buffer): parses Linux printk level prefixes and KERN_CONT
// continuations into records, keeps them in a byte-bounded ring with sequence numbers, and hands
// every finished record to an optional sink (the machine's .ksim/kmsg.ndjson). Also the FreeBSD
// flavour: kernel printf without levels, log(9) with a priority. Core: imports nothing from Node.

/** KERN_SOH, the start-of-header byte of a printk level prefix. */
export const KERN_SOH = '\x01';
export const KERN_EMERG = '\x010';
export const KERN_ALERT = '\x011';
export const KERN_CRIT = '\x012';
export const KERN_ERR = '\x013';
export const KERN_WARNING = '\x014';
export const KERN_NOTICE = '\x015';
export const KERN_INFO = '\x016';
export const KERN_DEBUG = '\x017';
export const KERN_CONT = '\x01c';
export const KERN_DEFAULT = '\x01d';

/** Syslog levels 0..7 (LOG_EMERG .. LOG_DEBUG). */
export const LOG_EMERG = 0;
export const LOG_ALERT = 1;
export const LOG_CRIT = 2;
export const LOG_ERR = 3;
export const LOG_WARNING = 4;
export const LOG_NOTICE = 5;
export const LOG_INFO = 6;
export const LOG_DEBUG = 7;

/** The level a printk without a level prefix gets (CONFIG_MESSAGE_LOGLEVEL_DEFAULT). */
export const MESSAGE_LOGLEVEL_DEFAULT = LOG_WARNING;

/** The level names util-linux dmesg uses, indexed by level. */
export const LOG_LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;

/** Syslog facility names, indexed by facility number (LOG_KERN = 0 ... LOG_LOCAL7 = 23). */
export const LOG_FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'res0', 'res1', 'res2', 'res3', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6',
  'local7',
] as const;

export const LOG_KERN = 0;
export const LOG_USER = 1;

/** Record flags (Linux enum printk_info_flags, plus ksim's own). */
/** The record was terminated by a newline. */
export const LOG_NEWLINE = 2;
/** The record began as a KERN_CONT fragment (/dev/kmsg shows flag `c`). */
export const LOG_CONT = 8;
/** FreeBSD kernel printf: the text had no priority (the level field is only nominal). */
export const LOG_NOLEVEL = 0x100;

/** One finished kernel log record. */
export interface LogRecord {
  /** Sequence number: unique and increasing per machine. */
  seq: number;
  /** Microseconds of kernel uptime when the record was started. */
  tsUsec: number;
  /** Syslog level 0..7. */
  level: number;
  /** Syslog facility 0..23 (0 = kern). */
  facility: number;
  /** LOG_NEWLINE | LOG_CONT | LOG_NOLEVEL. */
  flags: number;
  /** Who logged it, like Linux's caller id (`T123` for a task, `C0` for a CPU). */
  caller?: string;
  /** The emulated process id of the logging task, when there was one. */
  pid?: number;
  /** The message, without the level prefix and without the terminating newline. */
  text: string;
}

/** A finished record before it has a sequence number. */
export type LogEntry = Omit<LogRecord, 'seq'>;

/** Where finished records go; assigns the sequence number (a persistent store does this under a lock). */
export interface LogSink {
  append(entry: LogEntry): LogRecord;
  /** Forgets every record so far (dmesg -C). */
  clear?(): void;
}

export interface PrintkOptions {
  /** Syslog facility (default LOG_KERN). */
  facility?: number;
  /** The caller id; KERN_CONT continues the pending record only when the caller matches. */
  caller?: string;
  /** The emulated pid of the logging task. */
  pid?: number;
}

export interface KernelLogOptions {
  /** The kernel's uptime in microseconds (continues across ksim invocations until reboot). */
  uptimeUsec: () => number;
  /** 'linux' (printk) or 'freebsd' (printf/log(9)); default 'linux'. */
  flavour?: 'linux' | 'freebsd';
  /** Ring capacity in bytes, like log_buf (default 128 KiB, CONFIG_LOG_BUF_SHIFT=17). */
  capacityBytes?: number;
  /** The first sequence number when there is no sink (default 0). */
  firstSeq?: number;
  /** Receives each finished record and assigns its seq. */
  sink?: LogSink;
}

/** What one record costs in the ring: its text plus a fixed header (struct printk_info-like). */
const RECORD_OVERHEAD_BYTES = 16;

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A printk prefix parsed off a message (printk_parse_prefix). */
export interface ParsedPrefix {
  /** The level from a digit prefix, or undefined when none (KERN_DEFAULT counts as none). */
  level?: number;
  cont: boolean;
  /** The text after the prefixes. */
  body: string;
}

/** Strips every leading KERN_SOH prefix, as Linux's printk_parse_prefix does: the first digit wins. */
export function parsePrintkPrefix(text: string): ParsedPrefix {
  let level: number | undefined;
  let cont = false;
  let i = 0;
  while (i + 1 < text.length && text[i] === KERN_SOH) {
    const c = text[i + 1]!;
    if (c >= '0' && c <= '7') {
      if (level === undefined) level = c.charCodeAt(0) - 48;
    } else if (c === 'c') {
      cont = true;
    } else if (c !== 'd') {
      break;
    }
    i += 2;
  }
  return { level, cont, body: text.slice(i) };
}

interface PendingRecord {
  tsUsec: number;
  level: number;
  facility: number;
  flags: number;
  caller?: string;
  pid?: number;
  text: string;
}

/** The kernel log buffer of one booted kernel. */
export class KernelLog {
  private readonly uptimeUsec: () => number;
  readonly flavour: 'linux' | 'freebsd';
  readonly capacityBytes: number;
  private readonly sink?: LogSink;
  private ring: LogRecord[] = [];
  private ringHead = 0;
  private ringBytes = 0;
  private nextSeq: number;
  private pending: PendingRecord | undefined;
  private listeners: Array<(record: LogRecord) => void> = [];

  constructor(options: KernelLogOptions) {
    this.uptimeUsec = options.uptimeUsec;
    this.flavour = options.flavour ?? 'linux';
    this.capacityBytes = options.capacityBytes ?? 1 << 17;
    this.sink = options.sink;
    this.nextSeq = options.firstSeq ?? 0;
  }

  /**
   * Linux printk: `text` may start with KERN_* prefixes. A message that does not end in '\n'
   * stays pending, and a later KERN_CONT message from the same caller extends it; any other
   * message finishes it first. Embedded newlines stay inside one record, as in Linux.
   */
  printk(text: string, options: PrintkOptions = {}): void {
    if (this.flavour === 'freebsd') {
      this.printf(text, options);
      return;
    }
    const prefix = parsePrintkPrefix(text);
    let body = prefix.body;
    let terminated = false;
    if (body.endsWith('\n')) {
      body = body.slice(0, -1);
      terminated = true;
    }
    const facility = options.facility ?? LOG_KERN;
    if (prefix.cont && this.pending && this.pending.caller === options.caller) {
      this.pending.text += body;
      if (terminated) this.finishPending(true);
      return;
    }
    this.finishPending(false);
    this.pending = {
      tsUsec: this.uptimeUsec(),
      level: prefix.level ?? MESSAGE_LOGLEVEL_DEFAULT,
      facility,
      flags: prefix.cont ? LOG_CONT : 0,
      caller: options.caller,
      pid: options.pid,
      text: body,
    };
    if (terminated) this.finishPending(true);
  }

  /**
   * FreeBSD kernel printf: no levels; text is a character stream cut into lines at '\n', and an
   * unfinished line is continued by the next printf whoever calls it.
   */
  printf(text: string, options: PrintkOptions = {}): void {
    this.appendStream(text, LOG_INFO, options.facility ?? LOG_KERN, LOG_NOLEVEL, options);
  }

  /** FreeBSD log(9): a message with a priority (level, or facility|level as in syslog(3)). */
  logPriority(priority: number, text: string, options: PrintkOptions = {}): void {
    const level = priority & 7;
    const facility = options.facility ?? priority >> 3;
    if (this.flavour === 'linux') {
      this.printk(KERN_SOH + String(level) + text, { ...options, facility });
      return;
    }
    this.finishPending(false);
    this.appendStream(text, level, facility, 0, options);
    this.finishPending(false);
  }

  private appendStream(text: string, level: number, facility: number, flags: number, options: PrintkOptions): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const piece = lines[i]!;
      const last = i === lines.length - 1;
      if (last && piece === '') break;
      if (!this.pending) {
        this.pending = { tsUsec: this.uptimeUsec(), level, facility, flags, caller: options.caller, pid: options.pid, text: '' };
      }
      this.pending.text += piece;
      if (!last) this.finishPending(true);
    }
  }

  /** Finishes a pending unterminated record (at shutdown, or before reading the log). */
  flush(): void {
    this.finishPending(false);
  }

  /** Records still in the ring whose seq is greater than sinceSeq (all when omitted), oldest first. */
  records(sinceSeq?: number): LogRecord[] {
    const all = this.ring.slice(this.ringHead);
    return sinceSeq === undefined ? all : all.filter((r) => r.seq > sinceSeq);
  }

  /** Empties the ring (dmesg -C) and tells the sink to do the same; sequence numbers go on. */
  clear(): void {
    this.ring = [];
    this.ringHead = 0;
    this.ringBytes = 0;
    this.sink?.clear?.();
  }

  /** Calls listener with each record as it is finished; returns a function that detaches it. */
  onRecord(listener: (record: LogRecord) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private finishPending(newline: boolean): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const entry: LogEntry = {
      tsUsec: p.tsUsec,
      level: p.level,
      facility: p.facility,
      flags: p.flags | (newline ? LOG_NEWLINE : 0),
      text: p.text,
    };
    if (p.caller !== undefined) entry.caller = p.caller;
    if (p.pid !== undefined) entry.pid = p.pid;
    let record: LogRecord;
    if (this.sink) {
      record = this.sink.append(entry);
      this.nextSeq = record.seq + 1;
    } else {
      record = { seq: this.nextSeq++, ...entry };
    }
    this.store(record);
    for (const listener of this.listeners) listener(record);
  }

  private store(record: LogRecord): void {
    const cost = utf8Length(record.text) + RECORD_OVERHEAD_BYTES;
    this.ring.push(record);
    this.ringBytes += cost;
    while (this.ringBytes > this.capacityBytes && this.ringHead < this.ring.length - 1) {
      const old = this.ring[this.ringHead++]!;
      this.ringBytes -= utf8Length(old.text) + RECORD_OVERHEAD_BYTES;
    }
    if (this.ringHead > 1024 && this.ringHead * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.ringHead);
      this.ringHead = 0;
    }
  }
}
