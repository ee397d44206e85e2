// syslog(2) (glibc's klogctl): reading and clearing the kernel log. READ_ALL and READ_CLEAR return
// the newest records that fit in the caller's buffer, each line formatted as the kernel formats it
// for syslog: `<PRI>[%5lu.%06lu] text\n`, PRI being (facility << 3) | level. util-linux dmesg reads
// the log this way (and strips <PRI>). A machine attaches its log with attachSyslog at boot.
import type { Kernel } from '../kernel.js';
import type { LogRecord } from '../log.js';
import { argInt, argPtr, type SyscallHandler } from '../handler.js';
import { E, Errno } from '../errno.js';

export const SYSLOG_ACTION_CLOSE = 0;
export const SYSLOG_ACTION_OPEN = 1;
export const SYSLOG_ACTION_READ = 2;
export const SYSLOG_ACTION_READ_ALL = 3;
export const SYSLOG_ACTION_READ_CLEAR = 4;
export const SYSLOG_ACTION_CLEAR = 5;
export const SYSLOG_ACTION_CONSOLE_OFF = 6;
export const SYSLOG_ACTION_CONSOLE_ON = 7;
export const SYSLOG_ACTION_CONSOLE_LEVEL = 8;
export const SYSLOG_ACTION_SIZE_UNREAD = 9;
export const SYSLOG_ACTION_SIZE_BUFFER = 10;

/** Where a kernel's syslog(2) reads: the machine's log records, oldest first. */
export interface SyslogSource {
  records(): LogRecord[];
  clear(): void;
  capacityBytes: number;
}

interface SyslogState {
  source: SyslogSource;
  /** The last seq SYSLOG_ACTION_READ consumed (and the bound READ_CLEAR/CLEAR sets). */
  readSeq: number;
  clearedSeq: number;
}

const states = new WeakMap<Kernel, SyslogState>();

/** Connects a kernel's syslog(2) to its log. */
export function attachSyslog(kernel: Kernel, source: SyslogSource): void {
  states.set(kernel, { source, readSeq: -1, clearedSeq: -1 });
}

const enc = new TextEncoder();

/** A kernel's log as its message buffer holds it: FreeBSD's kern.msgbuf and kern.msgbuf_clear read and clear it. */
export interface MessageBuffer {
  /** The records since the last clear, oldest first. */
  records(): LogRecord[];
  capacityBytes: number;
  clear(): void;
}

/** The message buffer of a kernel whose log is attached (undefined before attachSyslog). */
export function messageBuffer(kernel: Kernel): MessageBuffer | undefined {
  const st = states.get(kernel);
  if (!st) return undefined;
  const live = () => st.source.records().filter((r) => r.seq > st.clearedSeq);
  return {
    records: live,
    capacityBytes: st.source.capacityBytes,
    clear: () => {
      const all = live();
      if (all.length) st.clearedSeq = all[all.length - 1]!.seq;
      st.source.clear();
    },
  };
}

/** One record as syslog(2) prints it (a multi-line text gets the prefix on every line). */
export function syslogRecordText(r: LogRecord): string {
  const sec = Math.floor(r.tsUsec / 1_000_000);
  const usec = r.tsUsec % 1_000_000;
  const prefix = `<${(r.facility << 3) | r.level}>[${String(sec).padStart(5, ' ')}.${String(usec).padStart(6, '0')}] `;
  return r.text.split('\n').map((l) => `${prefix}${l}\n`).join('');
}

/** The newest records' text that fits in len bytes, whole records only, oldest first. */
function newestThatFit(records: LogRecord[], len: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = records.length - 1; i >= 0; i--) {
    const b = enc.encode(syslogRecordText(records[i]!));
    if (total + b.length > len) break;
    parts.unshift(b);
    total += b.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function textBytes(records: LogRecord[]): number {
  let n = 0;
  for (const r of records) n += enc.encode(syslogRecordText(r)).length;
  return n;
}

export const syslogHandlers: Record<string, SyscallHandler> = {
  syslog: (ctx, a) => {
    const type = argInt(a[0]!);
    const len = argInt(a[2]!);
    const st = states.get(ctx.kernel);
    if (!st) throw new Errno(E.NOSYS);
    // dmesg_restrict=0: reading the whole log and its size is open to everyone; the rest needs CAP_SYSLOG.
    if (type !== SYSLOG_ACTION_READ_ALL && type !== SYSLOG_ACTION_SIZE_BUFFER && ctx.task.euid !== 0) throw new Errno(E.PERM);
    const live = () => st.source.records().filter((r) => r.seq > st.clearedSeq);
    switch (type) {
      case SYSLOG_ACTION_CLOSE:
      case SYSLOG_ACTION_OPEN:
      case SYSLOG_ACTION_CONSOLE_OFF:
      case SYSLOG_ACTION_CONSOLE_ON:
        return 0;
      case SYSLOG_ACTION_CONSOLE_LEVEL:
        if (len < 1 || len > 8) throw new Errno(E.INVAL);
        return 0;
      case SYSLOG_ACTION_READ:
      case SYSLOG_ACTION_READ_ALL:
      case SYSLOG_ACTION_READ_CLEAR: {
        if (argPtr(a[1]!) === 0 || len < 0) throw new Errno(E.INVAL);
        if (len === 0) return 0;
        const all = live();
        let bytes: Uint8Array;
        if (type === SYSLOG_ACTION_READ) {
          // Consumes records in order; ksim's READ does not sleep when there is nothing new.
          const unread = all.filter((r) => r.seq > st.readSeq);
          const parts: string[] = [];
          let size = 0;
          for (const r of unread) {
            const t = syslogRecordText(r);
            const n = enc.encode(t).length;
            if (size + n > len) break;
            parts.push(t);
            size += n;
            st.readSeq = r.seq;
          }
          bytes = enc.encode(parts.join(''));
        } else {
          bytes = newestThatFit(all, len);
        }
        ctx.user.write(a[1]!, bytes);
        if (type === SYSLOG_ACTION_READ_CLEAR) {
          if (all.length) st.clearedSeq = all[all.length - 1]!.seq;
          st.source.clear();
        }
        return bytes.length;
      }
      case SYSLOG_ACTION_CLEAR: {
        const all = live();
        if (all.length) st.clearedSeq = all[all.length - 1]!.seq;
        st.source.clear();
        return 0;
      }
      case SYSLOG_ACTION_SIZE_UNREAD:
        return textBytes(live().filter((r) => r.seq > st.readSeq));
      case SYSLOG_ACTION_SIZE_BUFFER:
        return st.source.capacityBytes;
      default:
        throw new Errno(E.INVAL);
    }
  },
};
