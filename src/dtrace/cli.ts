// dtrace(1)'s command line: argv parsing (getopt string of cmd/dtrace.c), the usage text, -l
// listings, and a driver that compiles, enables, runs BEGIN, advances the clock for profile probes
// until exit() (or the host says the traced command ended), then prints the final output.
// Exit statuses: 0 ok, 1 error, 2 usage, else the exit(n) value. The kernel side comes in through
// DtraceRunHost so this file stays free of Node and of the kernel.
import { formatIntermediate } from './disassemble.js';
import type { ProbeCatalog, ProbeInfo } from './catalog.js';
import { matchProbes, splitProbeDescription } from './catalog.js';
import { DtraceSession, type DestructiveHost } from './consumer.js';
import type { CompileInput, Preprocessor } from './compile.js';
import { listingHeader, listingLine, listingVerbose } from './output.js';
import { OptionError } from './options.js';
import type { RemoteSpec } from './remote.js';

export interface DtraceArgs {
  inputs: CompileInput[];
  list: boolean;
  verbose: boolean;
  quiet: boolean;
  destructive: boolean;
  zdefs: boolean;
  flowindent: boolean;
  compileOnly: boolean;
  cpp: boolean;
  showDif: boolean;
  version: boolean;
  options: [string, string | true][];
  defines: Record<string, string>;
  undefs: string[];
  includeDirs: string[];
  command?: string;
  /** -p: the pid, NaN when the argument is not a positive decimal number (pidArg: as given). */
  pid?: number;
  pidArg?: string;
  output?: string;
  /** Arguments after the options: $1..$n. */
  macroArgs: string[];
}

export const USAGE = `Usage: dtrace [-32|-64] [-aACeFGhHlqSvVwZ] [-b bufsz] [-c cmd] [-D name[=def]]
	[-I path] [-L path] [-o output] [-p pid] [-s script] [-U name]
	[-x opt[=val]] [-X a|c|s|t]

	[-P provider [[ predicate ] action ]]
	[-m [ provider: ] module [[ predicate ] action ]]
	[-f [[ provider: ] module: ] func [[ predicate ] action ]]
	[-n [[[ provider: ] module: ] func: ] name [[ predicate ] action ]]
	[-i probe-id [[ predicate ] action ]] [ args ... ]

	predicate -> '/' D-expression '/'
	   action -> '{' D-statements '}'

	-32 generate 32-bit D programs and ELF files
	-64 generate 64-bit D programs and ELF files

	-a  claim anonymous tracing state
	-A  generate driver.conf(4) directives for anonymous tracing
	-b  set trace buffer size
	-c  run specified command and exit upon its completion
	-C  run cpp(1) preprocessor on script files
	-D  define symbol when invoking preprocessor
	-e  exit after compiling request but prior to enabling probes
	-f  enable or list probes matching the specified function name
	-F  coalesce trace output by function
	-G  generate an ELF file containing embedded dtrace program
	-h  generate a header file with definitions for static probes
	-H  print included files when invoking preprocessor
	-i  enable or list probes matching the specified probe id
	-I  add include directory to preprocessor search path
	-l  list probes matching specified criteria
	-L  add library directory to library search path
	-m  enable or list probes matching the specified module name
	-n  enable or list probes matching the specified probe name
	-o  set output file
	-p  grab specified process-ID and cache its symbol tables
	-P  enable or list probes matching the specified provider name
	-q  set quiet mode (only output explicitly traced data)
	-s  enable or list probes according to the specified D script
	-S  print D compiler intermediate code
	-U  undefine symbol when invoking preprocessor
	-v  set verbose mode (report stability attributes, arguments)
	-V  report DTrace API version
	-w  permit destructive actions
	-x  enable or modify compiler and tracing options
	-X  specify ISO C conformance settings for preprocessor
	-Z  permit probe descriptions that match zero probes
`;

export class UsageError extends Error {}

/** Parses dtrace's argv (without "dtrace"). Script files are read through readFile. */
export function parseDtraceArgs(argv: string[], readFile: (path: string) => string): DtraceArgs {
  const a: DtraceArgs = {
    inputs: [], list: false, verbose: false, quiet: false, destructive: false, zdefs: false, flowindent: false,
    compileOnly: false, cpp: false, showDif: false, version: false, options: [], defines: {}, undefs: [],
    includeDirs: [], macroArgs: [],
  };
  const withArg = new Set(['b', 'c', 'D', 'f', 'i', 'I', 'L', 'm', 'n', 'o', 'p', 'P', 's', 'U', 'x', 'X']);
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { i++; break; }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '-32' || arg === '-64') continue;
    for (let j = 1; j < arg.length; j++) {
      const f = arg[j]!;
      let val: string | undefined;
      if (withArg.has(f)) {
        val = arg.slice(j + 1);
        if (val === '') {
          val = argv[++i];
          if (val === undefined) throw new UsageError(`dtrace: option requires an argument -- ${f}\n`);
        }
        j = arg.length;
      }
      switch (f) {
        case 'a': case 'A': case 'G': case 'h': case 'H': break;
        case 'b': a.options.push(['bufsize', val!]); break;
        case 'c': a.command = val; break;
        case 'C': a.cpp = true; break;
        case 'D': { const eq = val!.indexOf('='); if (eq < 0) a.defines[val!] = '1'; else a.defines[val!.slice(0, eq)] = val!.slice(eq + 1); break; }
        case 'e': a.compileOnly = true; break;
        case 'F': a.flowindent = true; break;
        case 'I': a.includeDirs.push(val!); break;
        case 'L': break;
        case 'l': a.list = true; break;
        case 'o': a.output = val; break;
        case 'p': a.pidArg = val!; a.pid = /^[0-9]+$/.test(val!) && Number(val) > 0 ? Number(val) : NaN; break;
        case 'q': a.quiet = true; break;
        case 'S': a.showDif = true; break;
        case 'U': a.undefs.push(val!); break;
        case 'v': a.verbose = true; break;
        case 'V': a.version = true; break;
        case 'w': a.destructive = true; break;
        case 'X': break;
        case 'x': { const eq = val!.indexOf('='); a.options.push(eq < 0 ? [val!, true] : [val!.slice(0, eq), val!.slice(eq + 1)]); break; }
        case 'Z': a.zdefs = true; break;
        case 'n': case 'P': case 'm': case 'f': case 'i': a.inputs.push({ kind: 'probe', flag: f, text: val! }); break;
        case 's': {
          let text: string;
          try {
            text = readFile(val!);
          } catch {
            throw new UsageError(`dtrace: failed to open ${val}: No such file or directory\n`);
          }
          a.inputs.push({ kind: 'script', name: val!, text });
          break;
        }
        default:
          throw new UsageError(`dtrace: illegal option -- ${f}\n${USAGE}`);
      }
    }
  }
  a.macroArgs = argv.slice(i);
  return a;
}

/** What the driver needs from the kernel and the terminal. */
export interface DtraceRunHost {
  catalog: ProbeCatalog;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  appendFile?(path: string, text: string): void;
  preprocess?: Preprocessor;
  destructive?: DestructiveHost;
  /** The kernel clock. */
  now?(): number;
  /**
   * Runs the traced world: called after BEGIN with the session; returns when the session wants to
   * stop (exit() called) or the traced command / time budget ended. Without it, only BEGIN, END,
   * ERROR and profile probes fire, on a simulated clock (up to 10 simulated minutes).
   */
  run?(session: DtraceSession, args: DtraceArgs): void;
  /** $target when -c/-p is given. */
  targetPid?: number;
  /**
   * Called once the probes are enabled, before the notices and BEGIN: a system-wide consumer
   * registers itself here (spec: what the machine's other ksim runs compile, src/dtrace/remote.ts).
   */
  enabled?(session: DtraceSession, args: DtraceArgs, spec: RemoteSpec): void;
}

/** dtrace(1): returns the exit status. */
export function runDtrace(argv: string[], host: DtraceRunHost): number {
  const started = startDtrace(argv, host);
  if (typeof started === 'number') return started;
  const { session, args } = started;
  if (host.run) host.run(session, args);
  else {
    const limit = 600e9;
    while (!session.exitRequested) {
      const next = session.nextTickNs();
      if (next === undefined || next > limit) break;
      session.tick(next);
    }
  }
  return started.finish();
}

/** A dtrace(1) run with its probes enabled and BEGIN done; finish() runs END and prints. */
export interface StartedDtrace {
  session: DtraceSession;
  args: DtraceArgs;
  finish(): number;
}

/**
 * dtrace(1) up to its enabling and BEGIN: returns the exit status when it ends there (usage, -l,
 * errors), else the running session, for a host that runs the traced world asynchronously (the
 * machine's own /bin/dtrace) and calls finish() when the command ends.
 */
export function startDtrace(argv: string[], host: Omit<DtraceRunHost, 'run'>): number | StartedDtrace {
  let args: DtraceArgs;
  try {
    args = parseDtraceArgs(argv, host.readFile);
  } catch (e) {
    if (e instanceof UsageError) {
      host.stderr(e.message);
      return 2;
    }
    throw e;
  }
  if (args.version) {
    host.stdout('dtrace: Sun D 1.13\n');
    return 0;
  }
  let outText = '';
  const stdout = args.output && host.appendFile ? (t: string) => { outText += t; } : host.stdout;
  const flushOut = () => { if (args.output && host.appendFile && outText) host.appendFile(args.output, outText); };
  if (args.inputs.length === 0 && !args.list) {
    host.stderr(USAGE);
    return 2;
  }
  if (args.pid !== undefined && Number.isNaN(args.pid)) {
    // dtrace.c: strtol, then fatal("invalid pid: %s\n").
    host.stderr(`dtrace: invalid pid: ${args.pidArg}\n`);
    return 1;
  }
  if (args.pid !== undefined && !args.command && host.targetPid === undefined) {
    // ksim's processes live inside other ksim commands: there is no running process to grab.
    host.stderr(`dtrace: failed to grab pid ${args.pid}: ksim cannot attach to a process that is already running (use -c CMD, or no -c to trace the machine's later runs)\n`);
    return 1;
  }
  if (args.list && args.inputs.every((x) => x.kind === 'probe')) {
    const all = host.catalog.list();
    let probes: ProbeInfo[] = all;
    if (args.inputs.length > 0) {
      const seen = new Set<number>();
      probes = [];
      for (const inp of args.inputs) {
        if (inp.kind !== 'probe') continue;
        // $target names the -c/-p process in a description (pid$target:::entry).
        const target = host.targetPid ?? args.pid;
        const text = target === undefined ? inp.text : inp.text.replace(/\$target\b/g, String(target));
        const spec = inp.flag === 'n' ? text.split(/[{/]/)[0]!.trim() : inp.flag === 'P' ? `${inp.text}:::` : inp.flag === 'm' ? `:${inp.text}::` : inp.flag === 'f' ? `::${inp.text}:` : '';
        const found = inp.flag === 'i' ? all.filter((p) => p.id === Number(inp.text)) : matchProbes({ list: () => all }, splitProbeDescription(spec));
        if (found.length === 0 && !args.zdefs) {
          host.stderr(`dtrace: invalid probe specifier ${inp.text}: probe description ${inp.flag === 'i' ? inp.text : describe(spec)} does not match any probes\n`);
          return 1;
        }
        for (const p of found) if (!seen.has(p.id)) { seen.add(p.id); probes.push(p); }
      }
      probes.sort((x, y) => x.id - y.id);
    }
    stdout(listingHeader());
    for (const p of probes) stdout(listingLine(p) + (args.verbose ? listingVerbose(p) : ''));
    flushOut();
    return 0;
  }

  const session = new DtraceSession({ catalog: host.catalog, stdout, stderr: host.stderr, now: host.now, destructive: host.destructive });
  for (const [k, v] of args.options) {
    try {
      session.options.set(k, v);
    } catch (e) {
      if (!(e instanceof OptionError)) throw e;
      // dtrace.c: dfatal("failed to set -x %s", ...), which exits with E_ERROR.
      host.stderr(`dtrace: failed to set -x ${k}: ${e.message}\n`);
      return 1;
    }
  }
  if (args.quiet) session.options.set('quiet');
  if (args.destructive) session.options.set('destructive');
  if (args.zdefs) session.options.set('zdefs');
  if (args.flowindent) session.options.set('flowindent');
  session.suppressNotices = args.quiet;
  const target = host.targetPid ?? args.pid;
  const macroVars: Record<string, bigint> = { pid: 1n, ppid: 0n, uid: 0n, gid: 0n, pgid: 1n, sid: 1n, projid: 0n, taskid: 0n };
  if (target !== undefined) macroVars['target'] = BigInt(target);
  const compileOptions = {
    macroArgs: [args.inputs.find((x) => x.kind === 'script')?.name ?? 'dtrace', ...args.macroArgs],
    macroVars,
    cpp: args.cpp,
    preprocess: host.preprocess,
    defines: args.defines,
    undefs: args.undefs,
    includeDirs: args.includeDirs,
  };
  const err = session.compile(args.inputs, compileOptions);
  if (err) {
    host.stderr(err);
    return 1;
  }
  if (args.showDif) host.stderr(formatIntermediate(session.programs));
  // dtrace.c reads the quiet option back after compiling: `-x quiet` and `#pragma D option quiet`
  // silence the notices as -q does ("-q or quiet pragma suppresses notice()s").
  session.suppressNotices = args.quiet || session.options.flag('quiet');
  if (args.list) {
    stdout(listingHeader());
    const seen = new Set<number>();
    for (const prog of session.programs) for (const c of prog.clauses) for (const p of c.checked.probes) {
      if (!seen.has(p.id)) { seen.add(p.id); stdout(listingLine(p)); }
    }
    flushOut();
    return 0;
  }
  if (args.compileOnly) return 0;
  const en = session.enable();
  if (args.destructive && !args.quiet) host.stderr('dtrace: allowing destructive actions\n');
  if (!en.ok) {
    host.stderr(en.messages);
    return 1;
  }
  host.enabled?.(session, args, {
    // Scripts travel preprocessed (-C), so a run needs neither cpp nor the consumer's files.
    inputs: args.inputs.map((inp) => (args.cpp && inp.kind === 'script' && host.preprocess
      ? { ...inp, text: host.preprocess(inp.text.replace(/^#![^\n]*/, ''), inp.name, { defines: args.defines, undefs: args.undefs, includeDirs: args.includeDirs }) }
      : inp)),
    options: session.options.entries(),
    macroArgs: compileOptions.macroArgs,
    macroVars: Object.fromEntries(Object.entries(macroVars).map(([k, v]) => [k, v.toString()])),
    suppressNotices: session.suppressNotices,
  });
  host.stderr(en.messages);
  session.go();
  return {
    session,
    args,
    finish: () => {
      const r = session.end();
      flushOut();
      return r.status;
    },
  };
}

function describe(spec: string): string {
  const d = splitProbeDescription(spec);
  return `${d.provider}:${d.module}:${d.func}:${d.name}`;
}
