// strace's command line, parsed as strace 6.1 parses it (getopt with combined short options,
// `-e EXPR` qualifiers, the common long options), with its error messages and exit codes. The
// command that runs a program under ksim's strace (`runStrace`) uses this and `new Strace(...)`.
import { LINUX_X86_64_SIGNATURES } from '../kernel/linux/signatures.js';
import type { SyscallClass } from '../kernel/syscall-row.js';
import { signalNumber } from './decode/text.js';
import {
  defaultStraceOptions, SYSCALL_CLASSES, type SortBy, type StatusName, type StraceOptions, type TraceItem, type TraceSet,
} from './options.js';

export type ParsedStraceArgs =
  | { options: StraceOptions; command: string[] }
  | { error: string; exitCode: number }
  /** -h / -V: print this on stdout and exit with exitCode. */
  | { output: string; exitCode: number };

export const STRACE_VERSION_TEXT = `strace -- version 6.1
Copyright (c) 1991-2022 The strace developers <https://strace.io>.
This is free software; see the source for copying conditions.  There is NO
warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.

Optional features enabled: (none)
`;

export const STRACE_USAGE = `Usage: strace [-ACdffhikqqrtttTvVwxxyyzZ] [-I N] [-b execve] [-e EXPR]...
              [-a COLUMN] [-o FILE] [-s STRSIZE] [-X FORMAT] [-O OVERHEAD]
              [-S SORTBY] [-P PATH]... [-p PID]... [-U COLUMNS] [--seccomp-bpf]
              { -p PID | [-DDD] [-E VAR=VAL]... [-u USERNAME] PROG [ARGS] }
   or: strace -c[dfwzZ] [-I N] [-b execve] [-e EXPR]... [-O OVERHEAD]
              [-S SORTBY] [-P PATH]... [-p PID]... [-U COLUMNS] [--seccomp-bpf]
              { -p PID | [-DDD] [-E VAR=VAL]... [-u USERNAME] PROG [ARGS] }

Output format:
  -a COLUMN, --columns=COLUMN
                 alignment COLUMN for printing syscall results (default 40)
  -e abbrev=SET, --abbrev=SET
                 abbreviate output for the syscalls in SET
  -e verbose=SET, --verbose=SET
                 dereference structures for the syscall in SET
  -e raw=SET, --raw=SET
                 print undecoded arguments for the syscalls in SET
  -e signal=SET, --signal=SET
                 trace only the signals in SET
  -e status=SET, --status=SET
                 trace only the system calls with the return statuses in SET
  -e trace=SET, --trace=SET
                 trace only the system calls in SET
  -f, --follow-forks
                 follow forks
  -ff, --follow-forks --output-separately
                 follow forks with output into separate files
  -k, --stack-traces
                 obtain stack trace between each syscall
  -o FILE, --output=FILE
                 send trace output to FILE instead of stderr
  -P PATH, --trace-path=PATH
                 trace accesses to PATH
  -q, --quiet    suppress messages about attaching, detaching, etc.
  -qq            suppress messages about process exit status as well.
  -r, --relative-timestamps
                 print relative timestamp
  -s STRSIZE, --string-limit=STRSIZE
                 limit length of print strings to STRSIZE chars (default 32)
  -t, --absolute-timestamps
                 print absolute timestamp
  -tt            print absolute timestamp with usecs
  -ttt           print absolute UNIX time with usecs
  -T, --syscall-times
                 print time spent in each syscall
  -v, --no-abbrev
                 verbose mode: print entities unabbreviated
  -x, --strings-in-hex=non-ascii
                 print non-ASCII strings in hex
  -xx, --strings-in-hex=all
                 print all strings in hex
  -X FORMAT, --const-print-style=FORMAT
                 set the FORMAT for printing of named constants and flags:
                 raw, abbrev, verbose
  -y, --decode-fds
                 print paths associated with file descriptor arguments
  -yy            print protocol specific information associated with socket
                 file descriptors

Statistics:
  -c, --summary-only
                 count time, calls, and errors for each syscall and report
                 summary
  -C, --summary  like -c, but also print the regular output
  -S SORTBY, --summary-sort-by=SORTBY
                 sort syscall counts by: time, min-time, max-time, avg-time,
                 calls, errors, name, nothing (default time)
  -z, --successful-only
                 print only syscalls that returned without an error code
  -Z, --failed-only
                 print only syscalls that returned with an error code

Miscellaneous:
  -h, --help     print help message
  -V, --version  print version
`;

const TRY = "Try 'strace -h' for more information.\n";

/** Short options that take an argument (strace's getopt string). */
const WITH_ARG = new Set(['a', 'b', 'e', 'E', 'I', 'o', 'O', 'p', 'P', 's', 'S', 'u', 'U', 'X']);
const NO_ARG = new Set(['A', 'c', 'C', 'd', 'D', 'f', 'F', 'h', 'i', 'k', 'n', 'q', 'r', 't', 'T', 'v', 'V', 'w', 'x', 'y', 'z', 'Z']);

const LONG: Record<string, { short?: string; arg: 'none' | 'required' | 'optional'; expr?: string }> = {
  'columns': { short: 'a', arg: 'required' },
  'summary-only': { short: 'c', arg: 'none' },
  'summary': { short: 'C', arg: 'none' },
  'follow-forks': { short: 'f', arg: 'none' },
  'output-separately': { arg: 'none' },
  'help': { short: 'h', arg: 'none' },
  'stack-traces': { short: 'k', arg: 'none' },
  'output': { short: 'o', arg: 'required' },
  'attach': { short: 'p', arg: 'required' },
  'trace-path': { short: 'P', arg: 'required' },
  'quiet': { arg: 'optional' },
  'relative-timestamps': { short: 'r', arg: 'optional' },
  'string-limit': { short: 's', arg: 'required' },
  'summary-sort-by': { short: 'S', arg: 'required' },
  'absolute-timestamps': { arg: 'optional' },
  'timestamps': { arg: 'optional' },
  'syscall-times': { short: 'T', arg: 'optional' },
  'no-abbrev': { short: 'v', arg: 'none' },
  'version': { short: 'V', arg: 'none' },
  'strings-in-hex': { arg: 'optional' },
  'const-print-style': { short: 'X', arg: 'required' },
  'decode-fds': { arg: 'optional' },
  'successful-only': { short: 'z', arg: 'none' },
  'failed-only': { short: 'Z', arg: 'none' },
  'env': { short: 'E', arg: 'required' },
  'user': { short: 'u', arg: 'required' },
  'trace': { arg: 'required', expr: 'trace' },
  'signal': { arg: 'required', expr: 'signal' },
  'status': { arg: 'required', expr: 'status' },
  'abbrev': { arg: 'required', expr: 'abbrev' },
  'verbose': { arg: 'required', expr: 'verbose' },
  'raw': { arg: 'required', expr: 'raw' },
};

class ArgError {
  constructor(
    readonly message: string,
    readonly tryHelp: boolean,
  ) {}
}

export interface ParseStraceOptions {
  /** The syscall names -e trace= accepts (the stock table plus custom rows). */
  syscallNames?: Iterable<string>;
}

/** Parses strace's argv (without the program name `strace`). */
export function parseStraceArgs(argv: readonly string[], opts: ParseStraceOptions = {}): ParsedStraceArgs {
  const names = new Set(opts.syscallNames ?? LINUX_X86_64_SIGNATURES.map((s) => s.name));
  const o = defaultStraceOptions();
  let fCount = 0;
  let tCount = 0;
  let xCount = 0;
  let yCount = 0;
  let separate = false;
  try {
    let i = 0;
    const apply = (opt: string, value: string | undefined): void => {
      switch (opt) {
        case 'a': o.align = positive(value!, '-a', true); break;
        case 'A': break;
        case 'b': if (value !== 'execve') throw new ArgError(`invalid -b argument: '${value}'`, true); break;
        case 'c': o.summary = 'only'; break;
        case 'C': o.summary = 'also'; break;
        case 'd': case 'D': case 'F': case 'i': case 'n': case 'w': break;
        case 'e': qualify(o, value!, names); break;
        case 'E': o.env.push(value!); break;
        case 'f': fCount++; break;
        case 'h': throw { help: true };
        case 'I': break;
        case 'k': o.stackTrace = true; break;
        case 'o': o.outputFile = value!; break;
        case 'O': break;
        case 'p': {
          for (const p of value!.split(/[\s,]+/).filter(Boolean)) {
            if (!/^\d+$/.test(p) || Number(p) <= 0) throw new ArgError(`Invalid process id: '${p}'`, false);
            o.pids.push(Number(p));
          }
          break;
        }
        case 'P': o.paths.push(value!); break;
        case 'q': o.quiet++; break;
        case 'r': o.relativeTimestamps = true; break;
        case 's': o.strsize = positive(value!, '-s', false); break;
        case 'S': o.sortBy = sortBy(value!); break;
        case 't': tCount++; break;
        case 'T': o.syscallTimes = true; break;
        case 'u': o.user = value!; break;
        case 'U': break;
        case 'v': o.verbose = true; break;
        case 'V': throw { version: true };
        case 'x': xCount++; break;
        case 'X': {
          if (value !== 'raw' && value !== 'abbrev' && value !== 'verbose') throw new ArgError(`invalid -X argument: '${value}'`, true);
          o.xlat = value;
          break;
        }
        case 'y': yCount++; break;
        case 'z': o.status = new Set(['successful']); break;
        case 'Z': o.status = new Set(['failed']); break;
      }
    };
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
        const spec = LONG[name];
        if (!spec) throw new ArgError(`unrecognized option '${a}'`, true);
        let value = eq < 0 ? undefined : a.slice(eq + 1);
        if (spec.arg === 'none' && value !== undefined) throw new ArgError(`option '--${name}' doesn't allow an argument`, true);
        if (spec.arg === 'required' && value === undefined) {
          if (i + 1 >= argv.length) throw new ArgError(`option '--${name}' requires an argument`, true);
          value = argv[++i]!;
        }
        if (spec.expr) qualify(o, `${spec.expr}=${value}`, names);
        else if (name === 'output-separately') separate = true;
        else if (name === 'quiet') o.quiet = Math.max(o.quiet, 1);
        else if (name === 'timestamps' || name === 'absolute-timestamps') tCount = Math.max(tCount, 1);
        else if (name === 'strings-in-hex') xCount = value === 'all' ? 2 : 1;
        else if (name === 'decode-fds') yCount = Math.max(yCount, 1);
        else apply(spec.short!, value);
        continue;
      }
      if (!a.startsWith('-') || a === '-') break;
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (WITH_ARG.has(c)) {
          let value = a.slice(j + 1);
          if (value === '') {
            if (i + 1 >= argv.length) throw new ArgError(`option requires an argument -- '${c}'`, true);
            value = argv[++i]!;
          }
          apply(c, value);
          break;
        }
        if (!NO_ARG.has(c)) throw new ArgError(`invalid option -- '${c}'`, true);
        apply(c, undefined);
      }
    }
    const command = argv.slice(i);
    o.followForks = fCount > 0;
    o.followForksSeparately = fCount > 1 || (separate && fCount > 0);
    o.timestamps = Math.min(tCount, 3) as 0 | 1 | 2 | 3;
    if (xCount) o.hexLevel = Math.min(xCount, 2) as 1 | 2;
    if (yCount) o.decodeFds = Math.min(yCount, 2) as 1 | 2;
    if (command.length === 0 && o.pids.length === 0) throw new ArgError('must have PROG [ARGS] or -p PID', true);
    if (o.summary === 'only' && o.followForksSeparately && o.outputFile !== undefined) {
      throw new ArgError('(-c or -C) and -ff are mutually exclusive', false);
    }
    return { options: o, command };
  } catch (e) {
    if (e instanceof ArgError) return { error: `strace: ${e.message}\n${e.tryHelp ? TRY : ''}`, exitCode: 1 };
    if (typeof e === 'object' && e !== null && 'help' in e) return { output: STRACE_USAGE, exitCode: 0 };
    if (typeof e === 'object' && e !== null && 'version' in e) return { output: STRACE_VERSION_TEXT, exitCode: 0 };
    throw e;
  }
}

function positive(value: string, opt: string, allowZero: boolean): number {
  if (!/^\d+$/.test(value) || (!allowZero && Number(value) === 0 && opt !== '-s')) {
    throw new ArgError(`invalid ${opt} argument: '${value}'`, true);
  }
  return Number(value);
}

function sortBy(value: string): SortBy {
  const map: Record<string, SortBy> = {
    time: 'time', 'time-percent': 'time', 'time-total': 'time', 'total-time': 'time', 'min-time': 'time',
    'max-time': 'time', 'avg-time': 'time', calls: 'calls', count: 'calls', errors: 'errors', error: 'errors',
    name: 'name', syscall: 'name', 'syscall-name': 'name', nothing: 'nothing', none: 'nothing',
  };
  const s = map[value];
  if (!s) throw new ArgError(`invalid sortby: '${value}'`, true);
  return s;
}

/** `-e [QUALIFIER=][!]VALUE1[,VALUE2]...` */
function qualify(o: StraceOptions, expr: string, names: Set<string>): void {
  const eq = expr.indexOf('=');
  let qualifier = eq < 0 ? 'trace' : expr.slice(0, eq);
  const value = eq < 0 ? expr : expr.slice(eq + 1);
  if (qualifier === 't') qualifier = 'trace';
  if (qualifier === 's' || qualifier === 'signals') qualifier = 'signal';
  if (qualifier === 'v') qualifier = 'verbose';
  if (qualifier === 'a') qualifier = 'abbrev';
  switch (qualifier) {
    case 'trace': o.trace = parseTraceSet(value, names); return;
    case 'signal': o.signals = parseSignalSet(value); return;
    case 'status': o.status = parseStatusSet(value); return;
    case 'verbose': if (isAll(value)) o.verbose = true; else if (isNone(value)) o.verbose = false; return;
    case 'abbrev': if (isNone(value)) o.verbose = true; return;
    case 'raw': if (isAll(value)) o.xlat = 'raw'; return;
    case 'quiet': o.quiet = Math.max(o.quiet, 1); return;
    case 'decode-fds': o.decodeFds = isNone(value) ? 0 : 1; return;
    case 'read': case 'write': case 'fault': case 'inject': case 'kvm': case 'decode-pids':
      throw new ArgError(`-e ${qualifier}= is not supported by ksim's strace`, false);
    default: throw new ArgError(`invalid -e argument: '${expr}'`, false);
  }
}

function isAll(v: string): boolean {
  return v === 'all' || v === '%all';
}
function isNone(v: string): boolean {
  return v === 'none' || v === '!all';
}

function splitNegation(value: string): { negate: boolean; body: string } {
  let negate = false;
  let body = value;
  while (body.startsWith('!')) {
    negate = !negate;
    body = body.slice(1);
  }
  return { negate, body };
}

function parseTraceSet(value: string, names: Set<string>): TraceSet {
  const { negate, body } = splitNegation(value);
  const items: TraceItem[] = [];
  for (const token of body.split(',')) {
    if (token === '') throw new ArgError(`invalid system call '${token}'`, false);
    if (isAll(token)) items.push({ kind: 'all' });
    else if (token === 'none') continue;
    else if (token.startsWith('/')) {
      try {
        items.push({ kind: 'regex', re: new RegExp(token.slice(1)) });
      } catch {
        throw new ArgError(`invalid regular expression '${token.slice(1)}'`, false);
      }
    } else if (token.startsWith('%') || ['file', 'process', 'network', 'signal', 'ipc', 'desc', 'memory'].includes(token)) {
      const cls = token.replace(/^%/, '').replace(/^net$/, 'network') as SyscallClass;
      if (!SYSCALL_CLASSES.includes(cls)) throw new ArgError(`invalid system call '${token}'`, false);
      items.push({ kind: 'class', cls });
    } else {
      const name = token.replace(/\?$/, '');
      if (!names.has(name)) {
        if (token.endsWith('?')) continue;
        throw new ArgError(`invalid system call '${token}'`, false);
      }
      items.push({ kind: 'name', name });
    }
  }
  return { negate, items };
}

function parseSignalSet(value: string): { negate: boolean; signos: Set<number> } {
  const { negate, body } = splitNegation(value);
  const signos = new Set<number>();
  for (const token of body.split(',')) {
    if (isAll(token)) {
      for (let s = 1; s <= 64; s++) signos.add(s);
      continue;
    }
    if (token === 'none') continue;
    const n = signalNumber(token);
    if (n === undefined || n < 1 || n > 64) throw new ArgError(`invalid signal '${token}'`, false);
    signos.add(n);
  }
  return { negate, signos };
}

function parseStatusSet(value: string): Set<StatusName> {
  const { negate, body } = splitNegation(value);
  const all: StatusName[] = ['successful', 'failed', 'unfinished', 'unavailable', 'detached'];
  const set = new Set<StatusName>();
  for (const token of body.split(',')) {
    if (isAll(token)) all.forEach((s) => set.add(s));
    else if (token === 'none') continue;
    else if ((all as string[]).includes(token)) set.add(token as StatusName);
    else throw new ArgError(`invalid status '${token}'`, false);
  }
  return negate ? new Set(all.filter((s) => !set.has(s))) : set;
}
