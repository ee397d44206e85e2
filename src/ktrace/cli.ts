// The ktrace(1) and kdump(1) command lines, parsed as FreeBSD parses them: getopt(3) with the tools'
// option strings ("aCcdf:g:ip:t:" and "f:cdElm:np:AHRrSsTt:"), their usage texts and error
// messages; plus ksim's `--json` for kdump. runKdump() is the whole kdump command over the host.
import type { Host, HostReadHandle } from '../host/host.js';
import { HostFsError } from '../host/host.js';
import { ALL_POINTS, DEF_POINTS, parseTracePoints } from './format.js';
import {
  TIMESTAMP_ABSOLUTE, TIMESTAMP_ELAPSED, TIMESTAMP_RELATIVE, defaultKdumpOptions, runKdumpStream,
} from './kdump.js';
import type { ByteSource, KdumpOptions, SyscallAbi } from './kdump.js';
import { freebsdErrnoNumber, freebsdStrerror } from '../kernel/errno-freebsd.js';

export const KDUMP_USAGE = 'usage: kdump [-dEnlHRrSsTA] [-f trfile] [-m maxdata] [-p pid] [-t trstr]\n';
export const KTRACE_USAGE =
  'usage: ktrace [-aCcdi] [-f trfile] [-g pgrp | -p pid] [-t trstr]\n' +
  '       ktrace [-adi] [-f trfile] [-t trstr] command\n';
export const DEFAULT_TRACEFILE = 'ktrace.out';

/** Failure of a command line: what to print on stderr and the exit status. */
export interface CliError {
  ok: false;
  stderr: string;
  status: number;
}

interface GetoptResult {
  opts: Array<[string, string | undefined]>;
  rest: string[];
  error?: string;
}

/**
 * getopt(3) as FreeBSD's libc implements it: options end at the first non-option or at `--`;
 * flags may be grouped (`-dn`); an argument may be attached (`-fktrace.out`) or follow.
 */
export function getopt(prog: string, argv: string[], optstring: string): GetoptResult {
  const opts: Array<[string, string | undefined]> = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      const at = ch === ':' ? -1 : optstring.indexOf(ch);
      if (at < 0) return { opts, rest: [], error: `${prog}: illegal option -- ${ch}\n` };
      if (optstring[at + 1] === ':') {
        if (j + 1 < a.length) {
          opts.push([ch, a.slice(j + 1)]);
        } else if (i + 1 < argv.length) {
          opts.push([ch, argv[i + 1]!]);
          i++;
        } else {
          return { opts, rest: [], error: `${prog}: option requires an argument -- ${ch}\n` };
        }
        break;
      }
      opts.push([ch, undefined]);
    }
    i++;
  }
  return { opts, rest: argv.slice(i) };
}

/** atoi(3): leading blanks, a sign, digits; anything else stops; no digits gives 0. */
export function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = parseInt(m[1]!, 10);
  return Number.isFinite(n) ? n | 0 : 0;
}

// ---------------------------------------------------------------------------------------------
// kdump

export interface KdumpArgs {
  ok: true;
  /** The trace file; `-` is standard input. */
  file: string;
  /** -l */
  follow: boolean;
  options: KdumpOptions;
}

export function parseKdumpArgs(argv: string[]): KdumpArgs | CliError {
  const options = defaultKdumpOptions();
  let file = DEFAULT_TRACEFILE;
  let follow = false;
  // --json is ksim's; take it out before getopt sees it (before a `--` only).
  const dashdash = argv.indexOf('--');
  const args = argv.filter((a, i) => {
    if (a === '--json' && (dashdash < 0 || i < dashdash)) {
      options.json = true;
      return false;
    }
    return true;
  });
  const g = getopt('kdump', args, 'f:cdElm:np:AHRrSsTt:');
  if (g.error) return { ok: false, stderr: g.error + KDUMP_USAGE, status: 1 };
  for (const [ch, arg] of g.opts) {
    switch (ch) {
      case 'A': options.abi = true; break;
      case 'f': file = arg!; break;
      case 'd': options.decimal = true; break;
      case 'c': options.cpu = true; break;
      case 'l': follow = true; break;
      case 'm': options.maxData = atoi(arg!); break;
      case 'n': options.fancy = false; break;
      case 'p': options.pid = atoi(arg!); break;
      case 'r': options.resolve = true; break;
      case 'S': options.syscallNumbers = true; break;
      case 's': options.suppressData = true; break;
      case 'E': options.timestamps |= TIMESTAMP_ELAPSED; break;
      case 'H': options.threads = true; break;
      case 'R': options.timestamps |= TIMESTAMP_RELATIVE; break;
      case 'T': options.timestamps |= TIMESTAMP_ABSOLUTE; break;
      case 't': {
        const points = parseTracePoints(arg!);
        if (points < 0) return { ok: false, stderr: `kdump: unknown trace point in ${arg}\n`, status: 1 };
        options.trpoints = points;
        break;
      }
    }
  }
  if (g.rest.length > 0) return { ok: false, stderr: KDUMP_USAGE, status: 1 };
  return { ok: true, file, follow, options };
}

export interface KdumpIo {
  host: Host;
  /** The terminal width of stderr, when it is a terminal (kdump lays out GIO data to it). */
  screenWidth?: number;
  /** Names of syscall numbers for files that do not carry them (the machine's table). */
  syscallName?: (abi: SyscallAbi, nr: number) => string | undefined;
  /** For -l: ends the follow loop (e.g. after SIGINT); checked after every sleep. */
  stop?: () => boolean;
}

/** strerror text for a host file error, as FreeBSD's err(3) prints it. */
function hostErrorText(e: unknown): string {
  if (e instanceof HostFsError) {
    const n = freebsdErrnoNumber(e.code);
    return n !== undefined ? freebsdStrerror(n) : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

function resolvePath(host: Host, file: string): string {
  if (file.startsWith('/')) return file;
  const cwd = host.cwd();
  return cwd.endsWith('/') ? cwd + file : `${cwd}/${file}`;
}

/** The kdump command: parses argv, reads the trace, prints it. Returns the exit status. */
export function runKdump(argv: string[], io: KdumpIo): number {
  const { host } = io;
  const parsed = parseKdumpArgs(argv);
  if (!parsed.ok) {
    host.stderr(parsed.stderr);
    return parsed.status;
  }
  const options = { ...parsed.options, screenWidth: io.screenWidth ?? 80, syscallName: io.syscallName };
  let source: ByteSource;
  let handle: HostReadHandle | undefined;
  if (parsed.file === '-') {
    source = {
      read(buf: Uint8Array): number {
        const data = host.readStdin(buf.length);
        buf.set(data.subarray(0, buf.length));
        return Math.min(data.length, buf.length);
      },
    };
  } else {
    try {
      handle = host.fs.openRead(resolvePath(host, parsed.file));
    } catch (e) {
      host.stderr(`kdump: ${parsed.file}: ${hostErrorText(e)}\n`);
      return 1;
    }
    const h = handle;
    source = { read: (buf, position) => h.read(buf, position) };
  }
  try {
    const follow = parsed.follow ? { sleepMs: (ms: number) => host.sleepMs(ms), stop: io.stop } : undefined;
    const result = runKdumpStream(source, options, (s) => host.stdout(s), (s) => host.stderr(s), follow);
    return result.status;
  } catch (e) {
    // A host read error (the file vanished, EIO): one clear line, no stack.
    host.stderr(`kdump: ${parsed.file}: ${hostErrorText(e)}\n`);
    return 1;
  } finally {
    handle?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// ktrace

export interface KtraceArgs {
  ok: true;
  /** -a: append to the trace file instead of replacing it. */
  append: boolean;
  /** -C clears all tracing, -c this pid's (or the file's). */
  clear: 'none' | 'clear' | 'all';
  /** -d: descendants of the given process too. */
  descend: boolean;
  /** -f: the trace file (default ktrace.out). */
  file: string;
  /** -i: children inherit tracing. */
  inherit: boolean;
  /** -p pid, or -g pgrp (given as a positive number here). */
  pid?: number;
  pgrp?: number;
  /** Trace points (KTRFAC bits); DEF_POINTS unless -t. With -C, ALL_POINTS. */
  points: number;
  /** The command to run and trace (empty with -p/-g/-C/-c). */
  command: string[];
}

export function parseKtraceArgs(argv: string[]): KtraceArgs | CliError {
  const g = getopt('ktrace', argv, 'aCcdf:g:ip:t:');
  if (g.error) return { ok: false, stderr: g.error + KTRACE_USAGE, status: 1 };
  const out: KtraceArgs = {
    ok: true, append: false, clear: 'none', descend: false, file: DEFAULT_TRACEFILE, inherit: false,
    points: DEF_POINTS, command: [],
  };
  let pidset = false;
  let pidFlags = 0;
  const rpid = (p: string): number | CliError => {
    if (pidFlags++) return { ok: false, stderr: `ktrace: only one -g or -p flag is permitted.\n${KTRACE_USAGE}`, status: 1 };
    if (!p) return { ok: false, stderr: `ktrace: illegal process id.\n${KTRACE_USAGE}`, status: 1 };
    return atoi(p);
  };
  for (const [ch, arg] of g.opts) {
    switch (ch) {
      case 'a': out.append = true; break;
      case 'C': out.clear = 'all'; pidset = true; break;
      case 'c': out.clear = 'clear'; break;
      case 'd': out.descend = true; break;
      case 'f': out.file = arg!; break;
      case 'g': {
        const r = rpid(arg!);
        if (typeof r !== 'number') return r;
        out.pgrp = r;
        out.pid = undefined;
        pidset = true;
        break;
      }
      case 'i': out.inherit = true; break;
      case 'p': {
        const r = rpid(arg!);
        if (typeof r !== 'number') return r;
        out.pid = r;
        out.pgrp = undefined;
        pidset = true;
        break;
      }
      case 't': {
        const points = parseTracePoints(arg!);
        if (points < 0) return { ok: false, stderr: `ktrace: unknown facility in ${arg}\n${KTRACE_USAGE}`, status: 1 };
        out.points = points;
        break;
      }
    }
  }
  out.command = g.rest;
  // Either -C/-c, a pid, or a command; not a pid and a command.
  if ((pidset && g.rest.length > 0) || (!pidset && out.clear === 'none' && g.rest.length === 0)) {
    return { ok: false, stderr: KTRACE_USAGE, status: 1 };
  }
  if (out.clear === 'all') out.points = ALL_POINTS;
  return out;
}
