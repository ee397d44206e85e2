// The machine's persistent kernel log: finished printk records appended as NDJSON (written with
// pino) to <machine>/.ksim/kmsg.ndjson, so the log outlives one ksim invocation and several ksim
// processes can log to one machine at once. Host boundary: uses node:fs directly.
//
// One JSON object per line (pino's own keys double as ours):
//   level     syslog level 0..7 (pino custom levels emerg=0 ... debug=7, compared DESC)
//   time      host wall clock when the record was written, ms since the epoch (pino's timestamp)
//   seq       sequence number, unique and increasing per machine
//   usec      kernel uptime of the record, microseconds
//   facility  syslog facility 0..23 (0 = kern)
//   flags     LOG_NEWLINE 2 | LOG_CONT 8 | LOG_NOLEVEL 0x100 (see kernel/log.ts)
//   caller    caller id, e.g. "T12" (optional)
//   pid       emulated pid of the logging task (optional)
//   text      the message (pino's messageKey)
// A clear marker (dmesg -C) is a line {"level":6,"time":..,"clear":true,"lastSeq":N,"text":"..."}:
// records with seq <= N are gone. Read it with `jq .text` or
// `pino-pretty --messageKey text --customLevels emerg:0,alert:1,crit:2,err:3,warn:4,notice:5,info:6,debug:7 --useOnlyCustomProps`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import type { LogEntry, LogRecord, LogSink } from './log.js';

// pino is loaded when the first record is written: most runs log nothing, and loading it costs
// ~20 ms of every command's start-up.
type Pino = typeof pinoModule;
let pinoInstance: Pino | undefined;
const pino = (): Pino => (pinoInstance ??= createRequire(import.meta.url)('pino') as Pino);

export const KMSG_FILE_NAME = 'kmsg.ndjson';
export const KMSG_LOCK_NAME = 'kmsg.lock';

/** pino custom levels that are the syslog levels. */
export const SYSLOG_PINO_LEVELS = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, notice: 5, info: 6, debug: 7 } as const;
const PINO_LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;

/** A record as read back, with the host wall time it was written at. */
export interface StoredLogRecord extends LogRecord {
  /** Host wall clock at write time, ms since the epoch. */
  wallMs: number;
}

/** The path of a machine's kernel log file. */
export function kmsgPath(machineDir: string): string {
  return path.join(machineDir, '.ksim', KMSG_FILE_NAME);
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs fn holding an exclusive lock file (created with O_EXCL, holding the owner's pid). A lock
 * whose owner died is broken; waiting gives up after timeoutMs with an error.
 */
export function withFileLock<T>(lockPath: string, fn: () => T, timeoutMs = 30_000): T {
  const start = Date.now();
  let delay = 1;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lockPath, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, String(process.pid));
      } finally {
        fs.closeSync(fd);
      }
      try {
        return fn();
      } finally {
        try {
          fs.unlinkSync(lockPath);
        } catch {
          // already broken by someone who thought we had died
        }
      }
    }
    breakLockIfStale(lockPath);
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for the lock ${lockPath}`);
    }
    sleepSync(delay);
    delay = Math.min(delay * 2, 20);
  }
}

function breakLockIfStale(lockPath: string): void {
  let owner: number;
  let st: fs.Stats;
  try {
    st = fs.statSync(lockPath);
    owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
  } catch {
    return;
  }
  // An empty lock file is one being created right now; only an old one is stale.
  const stale = Number.isFinite(owner) ? !processAlive(owner) : Date.now() - st.mtimeMs > 5000;
  if (!stale) return;
  const aside = `${lockPath}.stale.${process.pid}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return;
  }
  let asideOwner = NaN;
  try {
    asideOwner = Number.parseInt(fs.readFileSync(aside, 'utf8'), 10);
  } catch {
    // ignore
  }
  if (asideOwner !== owner && Number.isFinite(asideOwner) && processAlive(asideOwner)) {
    // We moved a live owner's fresh lock: put it back unless someone took the lock meanwhile.
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // the lock was taken again; the owner will find its lock gone and carry on
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // ignore
  }
}

/** A parsed NDJSON line: a record, a clear marker, or nothing usable. */
type ParsedLine = { kind: 'record'; record: StoredLogRecord } | { kind: 'clear'; lastSeq: number } | { kind: 'junk' };

function parseLine(line: string): ParsedLine {
  if (line.length === 0) return { kind: 'junk' };
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { kind: 'junk' };
  }
  if (typeof obj !== 'object' || obj === null) return { kind: 'junk' };
  const o = obj as Record<string, unknown>;
  if (o.clear === true && typeof o.lastSeq === 'number') return { kind: 'clear', lastSeq: o.lastSeq };
  if (typeof o.seq !== 'number' || typeof o.usec !== 'number' || typeof o.level !== 'number') return { kind: 'junk' };
  const record: StoredLogRecord = {
    seq: o.seq,
    tsUsec: o.usec,
    level: o.level,
    facility: typeof o.facility === 'number' ? o.facility : 0,
    flags: typeof o.flags === 'number' ? o.flags : 0,
    text: typeof o.text === 'string' ? o.text : '',
    wallMs: typeof o.time === 'number' ? o.time : 0,
  };
  if (typeof o.caller === 'string') record.caller = o.caller;
  if (typeof o.pid === 'number') record.pid = o.pid;
  return { kind: 'record', record };
}

/** Parses the complete lines of kmsg.ndjson content; a torn (unterminated) last line is ignored. */
export function parseKmsgText(content: string): { records: StoredLogRecord[]; clearedThrough: number } {
  let records: StoredLogRecord[] = [];
  let clearedThrough = -1;
  const end = content.lastIndexOf('\n');
  if (end < 0) return { records, clearedThrough };
  for (const line of content.slice(0, end).split('\n')) {
    const parsed = parseLine(line);
    if (parsed.kind === 'record') {
      if (parsed.record.seq > clearedThrough) records.push(parsed.record);
    } else if (parsed.kind === 'clear') {
      clearedThrough = Math.max(clearedThrough, parsed.lastSeq);
      records = records.filter((r) => r.seq > clearedThrough);
    }
  }
  return { records, clearedThrough };
}

/** Reads every record of a kmsg.ndjson file that a clear has not removed (none when it is missing). */
export function readKmsgFile(file: string): StoredLogRecord[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return parseKmsgText(content).records;
}

/** The highest seq (record or clear marker) in the file's complete lines, reading backwards; -1 if none. */
function lastSeqInFile(fd: number, size: number): number {
  const chunk = 64 * 1024;
  let end = size;
  let carry = '';
  while (end > 0) {
    const start = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    const text = buf.toString('latin1') + carry;
    const lines = text.split('\n');
    // The first piece may be a partial line unless we reached the start of the file.
    carry = start > 0 ? lines.shift()! : '';
    for (let i = lines.length - 1; i >= 0; i--) {
      const parsed = parseLine(Buffer.from(lines[i]!, 'latin1').toString('utf8'));
      if (parsed.kind === 'record') return parsed.record.seq;
      if (parsed.kind === 'clear') return parsed.lastSeq;
    }
    if (start === 0 && carry.length > 0) {
      const parsed = parseLine(Buffer.from(carry, 'latin1').toString('utf8'));
      if (parsed.kind === 'record') return parsed.record.seq;
      if (parsed.kind === 'clear') return parsed.lastSeq;
    }
    end = start;
  }
  return -1;
}

export interface KmsgStoreOptions {
  /** Past this size the file is rewritten keeping the newest half (like a ring). Default 4 MiB. */
  maxBytes?: number;
}

/** The machine's kernel log file: a LogSink for KernelLog, a reader, and the clear operation. */
export class KmsgStore implements LogSink {
  readonly file: string;
  readonly lockFile: string;
  readonly maxBytes: number;
  private dest: ReturnType<Pino['destination']> | undefined;
  private logger: pinoModule.Logger<keyof typeof SYSLOG_PINO_LEVELS> | undefined;
  private destIno = -1;
  private fd = -1;

  constructor(machineDir: string, options: KmsgStoreOptions = {}) {
    this.file = kmsgPath(machineDir);
    this.lockFile = path.join(path.dirname(this.file), KMSG_LOCK_NAME);
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
  }

  /** Appends a finished record under the lock and returns it with its sequence number. */
  append(entry: LogEntry): LogRecord {
    return withFileLock(this.lockFile, () => {
      const logger = this.openWriter();
      const fd = this.fd;
      const size = fs.fstatSync(fd).size;
      if (size > 0 && !this.endsWithNewline(fd, size)) {
        // A writer died mid-line: terminate the torn line so it cannot swallow ours.
        fs.writeSync(fd, '\n');
      }
      const seq = lastSeqInFile(fd, size) + 1;
      const fields: Record<string, unknown> = { seq, usec: entry.tsUsec, facility: entry.facility, flags: entry.flags };
      if (entry.caller !== undefined) fields.caller = entry.caller;
      if (entry.pid !== undefined) fields.pid = entry.pid;
      const levelName = PINO_LEVEL_NAMES[entry.level & 7]!;
      logger[levelName](fields, entry.text);
      if (size > this.maxBytes) this.rotate();
      return { seq, ...entry };
    });
  }

  /** Forgets every record so far: truncates the file to a clear marker; seq numbers go on. */
  clear(): void {
    withFileLock(this.lockFile, () => {
      const logger = this.openWriter();
      const fd = this.fd;
      const lastSeq = lastSeqInFile(fd, fs.fstatSync(fd).size);
      fs.ftruncateSync(fd, 0);
      logger.info({ clear: true, lastSeq }, 'kernel log cleared');
    });
  }

  /** Every record not cleared, oldest first. */
  read(): StoredLogRecord[] {
    return readKmsgFile(this.file);
  }

  /** Closes the file. */
  close(): void {
    if (this.dest) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // ignore
      }
      this.dest = undefined;
      this.logger = undefined;
    }
  }

  private endsWithNewline(fd: number, size: number): boolean {
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, size - 1);
    return b[0] === 0x0a;
  }

  /** The pino logger on the current file (reopened when the file was replaced by a rotation). */
  private openWriter(): pinoModule.Logger<keyof typeof SYSLOG_PINO_LEVELS> {
    let ino = -1;
    try {
      ino = fs.statSync(this.file).ino;
    } catch {
      // missing: (re)create below
    }
    if (this.logger && this.dest && ino === this.destIno) return this.logger;
    this.close();
    // pino's destination is SonicBoom; sync + append means one write(2) on an O_APPEND fd per line.
    // We also read through its fd (for the last seq), so open it read-write ourselves.
    const fd = fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o644);
    this.fd = fd;
    this.dest = pino().destination({ dest: fd, sync: true, append: true });
    this.logger = pino()(
      {
        customLevels: SYSLOG_PINO_LEVELS,
        useOnlyCustomLevels: true,
        levelComparison: 'DESC',
        level: 'debug',
        base: null,
        messageKey: 'text',
      },
      this.dest,
    );
    this.destIno = fs.fstatSync(fd).ino;
    return this.logger;
  }

  /** Rewrites the file keeping its newest complete lines up to half of maxBytes (under the lock). */
  private rotate(): void {
    const content = fs.readFileSync(this.file, 'utf8');
    const { records, clearedThrough } = parseKmsgText(content);
    const lines: string[] = [];
    let bytes = 0;
    const all = content.slice(0, content.lastIndexOf('\n')).split('\n');
    const keep = new Set(records.map((r) => r.seq));
    for (let i = all.length - 1; i >= 0; i--) {
      const parsed = parseLine(all[i]!);
      if (parsed.kind !== 'record' || !keep.has(parsed.record.seq)) continue;
      bytes += Buffer.byteLength(all[i]!) + 1;
      if (bytes > this.maxBytes / 2) break;
      lines.push(all[i]!);
    }
    lines.reverse();
    const firstKept = lines.length > 0 ? (parseLine(lines[0]!) as { record: StoredLogRecord }).record.seq : Infinity;
    const lastSeq = records.length > 0 ? records[records.length - 1]!.seq : clearedThrough;
    // The marker keeps the seq counter even when every record was dropped.
    const marker = JSON.stringify({ level: 6, time: Date.now(), clear: true, lastSeq: Math.min(firstKept - 1, lastSeq), text: 'kernel log rotated' });
    const tmp = `${this.file}.tmp.${process.pid}`;
    fs.writeFileSync(tmp, [marker, ...lines].join('\n') + '\n');
    fs.renameSync(tmp, this.file);
    this.close();
  }
}

/** Reads records appended to a kmsg.ndjson file since the last poll (dmesg -w). */
export class KmsgFollower {
  private offset = 0;
  private ino = -1;
  private lastSeq: number;
  private clearedThrough = -1;

  /** Starts after sinceSeq (-1: from the first record). */
  constructor(
    readonly file: string,
    sinceSeq = -1,
  ) {
    this.lastSeq = sinceSeq;
  }

  /** Starts a follower that skips everything already in the file (dmesg -W). */
  static fromEnd(file: string): KmsgFollower {
    const records = readKmsgFile(file);
    let last = -1;
    try {
      const content = fs.readFileSync(file, 'utf8');
      const parsed = parseKmsgText(content);
      last = Math.max(parsed.clearedThrough, records.length > 0 ? records[records.length - 1]!.seq : -1);
    } catch {
      // no file yet
    }
    return new KmsgFollower(file, last);
  }

  /** The seq of the newest record returned so far. */
  get lastSeenSeq(): number {
    return this.lastSeq;
  }

  /** New complete records since the previous poll, oldest first; never blocks. */
  poll(): StoredLogRecord[] {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      return [];
    }
    if (st.ino !== this.ino || st.size < this.offset) {
      // Replaced (rotation) or truncated (clear): read it again from the start.
      this.ino = st.ino;
      this.offset = 0;
    }
    if (st.size === this.offset) return [];
    const fd = fs.openSync(this.file, 'r');
    let buf: Buffer;
    try {
      buf = Buffer.alloc(st.size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      buf = buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) return [];
    this.offset += end + 1;
    const out: StoredLogRecord[] = [];
    for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
      const parsed = parseLine(line);
      if (parsed.kind === 'clear') {
        this.clearedThrough = Math.max(this.clearedThrough, parsed.lastSeq);
      } else if (parsed.kind === 'record' && parsed.record.seq > this.lastSeq && parsed.record.seq > this.clearedThrough) {
        out.push(parsed.record);
        this.lastSeq = parsed.record.seq;
      }
    }
    return out;
  }
}
