// Running dmesg against a machine's kernel log: parses argv (util-linux or FreeBSD flavour), reads,
// filters, formats, clears and follows. The log comes through a KernelLogSource so this stays core
// (no Node); the oclif command wires it to the machine's .ksim/kmsg.ndjson.
import type { Host } from '../host/host.js';
import { LOG_KERN, LOG_NEWLINE, type LogRecord } from '../kernel/log.js';
import { parseDmesgArgs, parseFreebsdDmesgArgs, resolveTimeFilters } from './cli.js';
import { DmesgFormatter, formatFreebsdDmesg, type DmesgFormatOptions } from './format.js';

/** A record with the host wall time it was logged at (ms since the epoch). */
export type TimedLogRecord = LogRecord & { wallMs?: number };

/** The kernel log as dmesg sees it. */
export interface KernelLogSource {
  read(): TimedLogRecord[];
  clear(): void;
  /** Returns a poller of records logged after sinceSeq. */
  follow(sinceSeq: number): () => TimedLogRecord[];
}

export interface DmesgRunOptions {
  os: 'linux' | 'freebsd';
  /** Boot wall time in µs since the epoch; default: derived from the newest record's wall time. */
  bootWallUsec?: number;
  /** Poll interval for -w (ms). */
  pollMs?: number;
  /** For tests: stop following after this many polls. */
  maxPolls?: number;
}

/** Boot wall time guessed from a record: its wall time minus its uptime. */
export function bootWallFromRecords(records: readonly TimedLogRecord[], fallbackMs: number): number {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.wallMs !== undefined && r.wallMs > 0) return r.wallMs * 1000 - r.tsUsec;
  }
  return fallbackMs * 1000;
}

/** Parses a syslog(2)-style buffer (`<6>[    1.000000] text` lines), as dmesg -F reads. */
export function parseSyslogBuffer(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, seq) => {
    let rest = line;
    let level = 4;
    let facility = LOG_KERN;
    const pri = /^<([0-9]+)>/.exec(rest);
    if (pri) {
      const n = Number(pri[1]);
      level = n & 7;
      facility = n >> 3;
      rest = rest.slice(pri[0].length);
    }
    let tsUsec = 0;
    const ts = /^\[ *([0-9]+)\.([0-9]+)\] ?/.exec(rest);
    if (ts) {
      tsUsec = Number(ts[1]) * 1e6 + Number(ts[2]!.padEnd(6, '0').slice(0, 6));
      rest = rest.slice(ts[0].length);
    }
    out.push({ seq, tsUsec, level, facility, flags: LOG_NEWLINE, text: rest });
  });
  return out;
}

/** Runs dmesg; returns the exit status. Output goes to host.stdout / host.stderr. */
export function runDmesg(host: Host, argv: readonly string[], source: KernelLogSource, run: DmesgRunOptions): number {
  if (run.os === 'freebsd') {
    const parsed = parseFreebsdDmesgArgs(argv);
    if (parsed.kind === 'error') {
      host.stderr(parsed.stderr);
      return parsed.status;
    }
    host.stdout(formatFreebsdDmesg(source.read(), { all: parsed.all }));
    if (parsed.clear) source.clear();
    return 0;
  }

  const parsed = parseDmesgArgs(argv);
  if (parsed.kind === 'error') {
    host.stderr(parsed.stderr);
    return parsed.status;
  }
  if (parsed.kind === 'exit') {
    host.stdout(parsed.stdout);
    return parsed.status;
  }
  const o = parsed.options;
  for (const w of o.warnings) host.stderr(w);
  if (o.clear) {
    source.clear();
    return 0;
  }
  let records: TimedLogRecord[];
  if (o.file !== undefined) {
    try {
      records = parseSyslogBuffer(new TextDecoder().decode(host.fs.readFile(o.file)));
    } catch {
      host.stderr(`dmesg: cannot open ${o.file}: No such file or directory\n`);
      return 1;
    }
  } else {
    records = o.followNew ? [] : source.read();
  }
  const offset = (ms: number): number => -new Date(ms).getTimezoneOffset();
  const nowUsec = host.clock.wallMs() * 1000;
  const format: DmesgFormatOptions = {
    ...o.format,
    color: o.color === 'always' || (o.color === 'auto' && host.isatty(1)),
    ...resolveTimeFilters(o, nowUsec, offset),
  };
  const all = o.file === undefined ? source.read() : records;
  const bootWallUsec = run.bootWallUsec ?? bootWallFromRecords(all, host.clock.wallMs());
  const formatter = new DmesgFormatter(format, { bootWallUsec, utcOffsetMinutes: offset });
  let out = '';
  for (const r of records) out += formatter.format(r);
  if (out) host.stdout(out);
  if (o.readClear && o.file === undefined) source.clear();

  if ((o.follow || o.followNew) && o.file === undefined) {
    const lastSeq = o.followNew ? (all.length ? all[all.length - 1]!.seq : -1) : records.length ? records[records.length - 1]!.seq : -1;
    const poll = source.follow(lastSeq);
    for (let i = 0; run.maxPolls === undefined || i < run.maxPolls; i++) {
      let chunk = '';
      for (const r of poll()) chunk += formatter.format(r);
      if (chunk) host.stdout(chunk);
      if (run.maxPolls !== undefined && i + 1 >= run.maxPolls) break;
      host.sleepMs(run.pollMs ?? 200);
    }
  }
  const end = formatter.finish();
  if (end) host.stdout(end);
  return 0;
}
