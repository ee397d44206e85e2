// strace's options as data (what the command line says), with strace's defaults, and the
// -e trace= / -e signal= / -e status= sets evaluated against syscall rows.
import type { SyscallClass, SyscallRow } from '../kernel/syscall-row.js';
import type { HexLevel } from './decode/text.js';
import type { XlatStyle } from './decode/args.js';

/** One element of -e trace=: a name, a /regex, or a %class. */
export type TraceItem = { kind: 'name'; name: string } | { kind: 'regex'; re: RegExp } | { kind: 'class'; cls: SyscallClass } | { kind: 'all' };

/** A qualifier set (`trace=!open,close`): the items, negated as a whole by a leading `!`. */
export interface TraceSet {
  negate: boolean;
  items: TraceItem[];
}

export type StatusName = 'successful' | 'failed' | 'unfinished' | 'unavailable' | 'detached';
export type SortBy = 'time' | 'calls' | 'errors' | 'name' | 'nothing';

export interface StraceOptions {
  /** -e trace=; undefined traces everything. */
  trace?: TraceSet;
  /** -e signal=: the signals whose `--- SIG... ---` lines are shown; undefined shows all. */
  signals?: { negate: boolean; signos: Set<number> };
  /** -e status= (-z successful, -Z failed); undefined shows every outcome. */
  status?: Set<StatusName>;
  /** -f follows children; -ff with -o writes one file per process. */
  followForks: boolean;
  followForksSeparately: boolean;
  /** -o FILE. */
  outputFile?: string;
  /** -c: only the summary; -C: the trace and the summary. */
  summary: 'none' | 'only' | 'also';
  sortBy: SortBy;
  /** -T */
  syscallTimes: boolean;
  /** -t (1), -tt (2), -ttt (3). */
  timestamps: 0 | 1 | 2 | 3;
  /** -r */
  relativeTimestamps: boolean;
  /** -s N */
  strsize: number;
  /** -x (1), -xx (2). */
  hexLevel: HexLevel;
  /** -y (1), -yy (2). */
  decodeFds: 0 | 1 | 2;
  /** -X raw|abbrev|verbose */
  xlat: XlatStyle;
  /** -v */
  verbose: boolean;
  /** -q (1), -qq (2), -qqq (3). */
  quiet: number;
  /** -a N: the column of `= ` (default 40). */
  align: number;
  /** -P PATH (repeatable). */
  paths: string[];
  /** -k */
  stackTrace: boolean;
  /** -p PID (repeatable), for the command to attach. */
  pids: number[];
  /** -E VAR=VAL / -E VAR, for the command that starts the program. */
  env: string[];
  /** -u USER, for the command that starts the program. */
  user?: string;
}

export function defaultStraceOptions(): StraceOptions {
  return {
    followForks: false,
    followForksSeparately: false,
    summary: 'none',
    sortBy: 'time',
    syscallTimes: false,
    timestamps: 0,
    relativeTimestamps: false,
    strsize: 32,
    hexLevel: 0,
    decodeFds: 0,
    xlat: 'abbrev',
    verbose: false,
    quiet: 0,
    align: 40,
    paths: [],
    stackTrace: false,
    pids: [],
    env: [],
  };
}

/** Whether a -e trace= set selects the syscall (row undefined: a number past the table). */
export function traceSetMatches(set: TraceSet | undefined, row: SyscallRow | undefined, name: string): boolean {
  if (!set) return true;
  const hit = set.items.some((item) => {
    switch (item.kind) {
      case 'all': return true;
      case 'name': return item.name === name;
      case 'regex': return item.re.test(name);
      case 'class': return row !== undefined && row.classes.includes(item.cls);
    }
  });
  return set.negate ? !hit : hit;
}

export const SYSCALL_CLASSES: readonly SyscallClass[] = [
  'file', 'process', 'network', 'signal', 'ipc', 'desc', 'memory', 'creds', 'clock',
  'stat', 'lstat', 'fstat', 'statfs', 'pure',
];
