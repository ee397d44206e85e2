// strace's decoding of poll, ppoll, select, _newselect and pselect6: their in-out arguments print
// what the program asked at entry (`[{fd=3, events=POLLIN}]`, `[3 4]`), and the result carries what
// the kernel answered: `= 1 ([{fd=3, revents=POLLIN}])`, `= 1 (in [4], left {tv_sec=1,
// tv_usec=750000})`, `= 0 (Timeout)`; pselect6's sixth argument is `{sigmask=[], sigsetsize=8}`.
import type { Int64, TraceTask } from '../../kernel/events.js';
import { printFlags } from './constants.js';
import { readView } from './memory.js';
import { printSigset } from './text.js';

/** The calls decoded here. */
export const MULTIPLEX_CALLS = new Set(['poll', 'ppoll', 'select', '_newselect', 'pselect6']);

const POLL_EVENTS: [string, number][] = [
  ['POLLIN', 1], ['POLLPRI', 2], ['POLLOUT', 4], ['POLLERR', 8], ['POLLHUP', 0x10], ['POLLNVAL', 0x20],
  ['POLLRDNORM', 0x40], ['POLLRDBAND', 0x80], ['POLLWRNORM', 0x100], ['POLLWRBAND', 0x200], ['POLLMSG', 0x400],
  ['POLLRDHUP', 0x2000],
];

const u = (v: Int64): number => Number(BigInt.asUintN(64, BigInt(v)));
const s32 = (v: Int64): number => Number(BigInt.asIntN(32, BigInt(v)));

/** pselect6's sixth argument at entry, or undefined for the other arguments and calls. */
export function multiplexEntryArg(name: string, index: number, task: TraceTask, args: Int64[]): string | undefined {
  if (name !== 'pselect6' || index !== 5) return undefined;
  const wide = task.pointerSize !== 4;
  const p = args[5] ?? 0;
  if (u(p) === 0) return 'NULL';
  const w = wide ? 8 : 4;
  const view = readView(task, p, 2 * w);
  if (!view) return '0x' + u(p).toString(16);
  const ss = wide ? view.u64(0) : BigInt(view.u32(0));
  const len = wide ? Number(view.u64(8)) : view.u32(4);
  let set = 'NULL';
  if (ss !== 0n) {
    const m = readView(task, Number(ss), Math.min(len, 8));
    let mask = 0n;
    if (m) for (let i = 0; i < m.bytes.length; i++) mask |= BigInt(m.bytes[i]!) << BigInt(8 * i);
    set = m && len > 0 && len <= 128 ? printSigset(mask, Math.min(len, 8) * 8) : '0x' + ss.toString(16);
  }
  return `{sigmask=${set}, sigsetsize=${len}}`;
}

/** The time left a call wrote back: `{tv_sec=1, tv_usec=750000}` or the timespec form. */
function timeLeft(task: TraceTask, p: Int64, usec: boolean, wide: boolean): string | undefined {
  const view = readView(task, p, wide ? 16 : 8);
  if (!view) return undefined;
  const sec = wide ? view.i64(0) : BigInt(view.i32(0));
  const frac = wide ? view.i64(8) : BigInt(view.i32(4));
  return `{tv_sec=${sec}, ${usec ? 'tv_usec' : 'tv_nsec'}=${frac}}`;
}

/** The text after a successful call's return value: ` ([{fd=3, revents=POLLIN}])`, ` (Timeout)`. */
export function multiplexResult(name: string, task: TraceTask, args: Int64[], ret: Int64, fd: (n: number) => string): string {
  const wide = task.pointerSize !== 4;
  const n = Number(BigInt.asIntN(64, BigInt(ret)));
  if (n === 0) return ' (Timeout)';
  const parts: string[] = [];
  if (name === 'poll' || name === 'ppoll') {
    const count = Math.min(u(args[1] ?? 0), 1024);
    const view = readView(task, args[0] ?? 0, count * 8);
    if (!view) return '';
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      const re = view.u16(i * 8 + 6);
      if (re) items.push(`{fd=${fd(view.i32(i * 8))}, revents=${printFlags({ flags: POLL_EVENTS }, re)}}`);
    }
    parts.push(`[${items.join(', ')}]`);
    if (name === 'ppoll' && u(args[2] ?? 0) !== 0) {
      const left = timeLeft(task, args[2]!, false, wide);
      if (left) parts.push(`left ${left}`);
    }
    return ` (${parts.join(', ')})`;
  }
  const nfds = Math.max(0, Math.min(s32(args[0] ?? 0), 1024));
  ['in', 'out', 'except'].forEach((label, k) => {
    const p = args[k + 1] ?? 0;
    if (u(p) === 0) return;
    const view = readView(task, p, Math.ceil(nfds / 8));
    if (!view) return;
    const set: string[] = [];
    for (let i = 0; i < nfds; i++) if (view.bytes[i >> 3]! & (1 << (i & 7))) set.push(fd(i));
    if (set.length) parts.push(`${label} [${set.join(' ')}]`);
  });
  if (u(args[4] ?? 0) !== 0) {
    const left = timeLeft(task, args[4]!, name !== 'pselect6', wide);
    if (left) parts.push(`left ${left}`);
  }
  return parts.length ? ` (${parts.join(', ')})` : '';
}
