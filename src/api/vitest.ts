// `ksim/vitest`: matchers and snapshot serializers for tests that run programs on ksim.
//   import 'ksim/vitest';   // registers everything with vitest's expect
//   expect(run).toHaveExited(0); expect(run).toHaveLogged(/called with "hi"/, { level: 'info' });
//   expect(run).toHaveCalled('stephen', { args: ['hi'], ret: 0 }); expect(run).toHaveBeenKilledBy('SIGSEGV');
//   expect(dmesg(run)).toMatchSnapshot()  // also strace(run), kdump(run), dtraceOutput(run)
// Failure messages quote the part of the log or trace that matters (the calls of that syscall, the
// log lines at that level), never a whole dump.
import { expect } from 'vitest';
import type { RunResult, SyscallCall } from './machine.js';
import type { LogRecord } from '../kernel/log.js';
import { LOG_LEVEL_NAMES } from '../kernel/log.js';
import { signalName, signalNumber } from '../kernel/signals.js';
import { formatDmesg, DEFAULT_FORMAT_OPTIONS } from '../dmesg/format.js';

export type LogLevel = number | 'emerg' | 'alert' | 'crit' | 'err' | 'warn' | 'warning' | 'notice' | 'info' | 'debug' | `KERN_${string}`;

export interface LoggedOptions {
  /** Only records at this level (a number 0..7, 'info', 'KERN_INFO'...). */
  level?: LogLevel;
}

export interface CalledOptions {
  /** The first arguments, in order: strings for string parameters, numbers otherwise; RegExps and
   *  asymmetric matchers (expect.any(Number)) are allowed. */
  args?: unknown[];
  /** The return value the caller saw (-14 for -EFAULT on Linux). */
  ret?: number | bigint;
  /** The error: a number (14) or a name ('EFAULT'); 0 for success. */
  errno?: number | string;
  /** How many matching calls there must be (default: at least one). */
  times?: number;
}

export interface KsimMatchers<R = unknown> {
  /** The program exited (was not killed), with this code when given. */
  toHaveExited(code?: number): R;
  /** The run's kernel log has a record containing the text (or matching the RegExp). */
  toHaveLogged(text: string | RegExp, options?: LoggedOptions): R;
  /** The run made this system call (with these arguments, result, errno when given). */
  toHaveCalled(syscall: string, options?: CalledOptions): R;
  /** The program was killed by this signal ('SIGSEGV', 'SEGV' or 11). */
  toHaveBeenKilledBy(signal: string | number): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends KsimMatchers<T> {}
}

const MAX_SHOWN = 12;

function isRunResult(v: unknown): v is RunResult {
  return typeof v === 'object' && v !== null && 'status' in v && 'calls' in v && 'log' in v && Array.isArray((v as RunResult).calls);
}

function notARun(name: string, received: unknown) {
  return { pass: false, message: () => `${name}: expected the result of machine.run(...), got ${typeof received === 'object' ? JSON.stringify(received)?.slice(0, 80) : String(received)}` };
}

/** The last lines of a text, indented, for a failure message. */
function tail(label: string, text: string, lines = 6): string {
  if (!text) return '';
  const all = text.replace(/\n$/, '').split('\n');
  const shown = all.slice(-lines);
  return `\n${label}${all.length > lines ? ` (last ${lines} of ${all.length} lines)` : ''}:\n${shown.map((l) => `  ${l}`).join('\n')}`;
}

function howItEnded(r: RunResult): string {
  if (r.error) return `it did not run: the ${r.error.stage} failed`;
  if (r.signo !== undefined) return `it was killed by ${signalName(r.signo)}${r.coreDumped ? ' (core dumped)' : ''} (status ${r.status})`;
  return `it exited with ${r.code ?? r.status}`;
}

function context(r: RunResult): string {
  let s = '';
  if (r.error) s += tail(`${r.error.stage} errors`, r.error.text, 10);
  if (r.notices.length) s += tail('ksim notices', r.notices.join('\n'));
  if (!r.error) s += tail('stderr', r.stderr);
  return s;
}

function levelNumber(level: LogLevel): number {
  if (typeof level === 'number') return level;
  const name = level.replace(/^KERN_/, '').toLowerCase();
  const n = name === 'warning' ? 4 : name === 'error' ? 3 : name === 'emergency' ? 0 : (LOG_LEVEL_NAMES as readonly string[]).indexOf(name);
  if (n < 0) throw new TypeError(`toHaveLogged: unknown level '${level}' (use 0..7, ${LOG_LEVEL_NAMES.join(', ')} or KERN_*)`);
  return n;
}

function logLine(r: LogRecord): string {
  return `<${r.level}:${LOG_LEVEL_NAMES[r.level]}> ${r.text}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'number') return Math.abs(v) >= 0x10000 ? `0x${v.toString(16)}` : String(v);
  if (v instanceof RegExp) return String(v);
  if (v && typeof v === 'object' && 'asymmetricMatch' in v) return String((v as { toString(): string }).toString());
  return String(v);
}

/** A call as strace-like text: `stephen("hi") = -1 EFAULT (14)`. */
export function formatCall(c: SyscallCall): string {
  const ret = c.ret === undefined ? '?' : c.errno ? `-1 ${c.errnoName ?? 'errno'} (${c.errno})` : typeof c.ret === 'number' && c.ret >= 0x10000 ? `0x${c.ret.toString(16)}` : String(c.ret);
  return `[pid ${c.pid}] ${c.name}(${c.args.map(show).join(', ')}) = ${ret}`;
}

function sameNumber(actual: number | bigint | undefined, expected: number | bigint): boolean {
  if (actual === undefined) return false;
  return BigInt(actual) === BigInt(expected);
}

function errnoMatches(c: SyscallCall, errno: number | string): boolean {
  if (typeof errno === 'number') return c.errno === errno;
  return errno === '0' ? c.errno === 0 : c.errnoName === errno.toUpperCase();
}

export const ksimMatchers = {
  toHaveExited(this: { isNot: boolean }, received: unknown, code?: number) {
    if (!isRunResult(received)) return notARun('toHaveExited', received);
    const r = received;
    const exited = !r.error && r.signo === undefined;
    const pass = exited && (code === undefined || r.code === code);
    const want = code === undefined ? 'to exit' : `to exit with ${code}`;
    return {
      pass,
      message: () => (pass ? `expected the program not ${want}, but it did` : `expected the program ${want}, but ${howItEnded(r)}`) + context(r),
      actual: r.error ? `${r.error.stage} failed` : r.signo !== undefined ? signalName(r.signo) : r.code,
      expected: code,
    };
  },

  toHaveBeenKilledBy(this: { isNot: boolean }, received: unknown, signal: string | number) {
    if (!isRunResult(received)) return notARun('toHaveBeenKilledBy', received);
    const r = received;
    const want = typeof signal === 'number' ? signal : signalNumber(signal);
    if (want === undefined) throw new TypeError(`toHaveBeenKilledBy: unknown signal '${signal}'`);
    const pass = r.signo === want;
    return {
      pass,
      message: () => (pass ? `expected the program not to be killed by ${signalName(want)}, but it was` : `expected the program to be killed by ${signalName(want)}, but ${howItEnded(r)}`) + context(r),
    };
  },

  toHaveLogged(this: { isNot: boolean }, received: unknown, text: string | RegExp, options: LoggedOptions = {}) {
    const records: LogRecord[] | undefined = isRunResult(received) ? received.log : Array.isArray(received) ? (received as LogRecord[]) : undefined;
    if (!records) return notARun('toHaveLogged', received);
    const level = options.level === undefined ? undefined : levelNumber(options.level);
    const textMatches = (rec: LogRecord) => (typeof text === 'string' ? rec.text.includes(text) : text.test(rec.text));
    const hits = records.filter((rec) => textMatches(rec) && (level === undefined || rec.level === level));
    const pass = hits.length > 0;
    const what = `${typeof text === 'string' ? JSON.stringify(text) : String(text)}${level === undefined ? '' : ` at level ${level} (${LOG_LEVEL_NAMES[level]})`}`;
    return {
      pass,
      message: () => {
        if (pass) return `expected the kernel log not to have ${what}, but it has:\n${hits.slice(0, MAX_SHOWN).map((h) => `  ${logLine(h)}`).join('\n')}`;
        if (records.length === 0) return `expected the kernel log to have ${what}, but the log is empty` + (isRunResult(received) ? `; ${howItEnded(received)}` + context(received) : '');
        const sameText = records.filter(textMatches);
        if (sameText.length) {
          return `expected the kernel log to have ${what}; it has the text at other levels:\n${sameText.slice(0, MAX_SHOWN).map((h) => `  ${logLine(h)}`).join('\n')}`;
        }
        const atLevel = level === undefined ? records : records.filter((rec) => rec.level === level);
        const shown = (atLevel.length ? atLevel : records).slice(-MAX_SHOWN);
        const all = atLevel.length ? atLevel.length : records.length;
        return `expected the kernel log to have ${what}; the log has ${all} record${all === 1 ? '' : 's'}${atLevel.length && level !== undefined ? ` at that level` : ''}${all > shown.length ? `, the last ${shown.length}` : ''}:\n${shown.map((h) => `  ${logLine(h)}`).join('\n')}`;
      },
    };
  },

  toHaveCalled(this: { isNot: boolean; equals(a: unknown, b: unknown): boolean }, received: unknown, syscall: string, options: CalledOptions = {}) {
    if (!isRunResult(received)) return notARun('toHaveCalled', received);
    const r = received;
    const named = r.calls.filter((c) => c.name === syscall);
    const argMatches = (actual: unknown, expected: unknown): boolean => {
      if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
      if ((typeof expected === 'number' || typeof expected === 'bigint') && (typeof actual === 'number' || typeof actual === 'bigint')) {
        return Number.isInteger(Number(expected)) && BigInt(actual) === BigInt(expected);
      }
      return this.equals(actual, expected);
    };
    const matches = named.filter((c) => {
      if (options.args && (options.args.length > c.args.length || !options.args.every((a, i) => argMatches(c.args[i], a)))) return false;
      if (options.ret !== undefined && !sameNumber(c.ret, options.ret)) return false;
      if (options.errno !== undefined && !errnoMatches(c, options.errno)) return false;
      return true;
    });
    const pass = options.times === undefined ? matches.length > 0 : matches.length === options.times;
    const parts: string[] = [];
    if (options.args) parts.push(`args (${options.args.map(show).join(', ')})`);
    if (options.ret !== undefined) parts.push(`ret ${options.ret}`);
    if (options.errno !== undefined) parts.push(`errno ${options.errno}`);
    const what = `${syscall}${parts.length ? ` with ${parts.join(', ')}` : ''}${options.times !== undefined ? ` exactly ${options.times} time${options.times === 1 ? '' : 's'}` : ''}`;
    return {
      pass,
      message: () => {
        if (r.error) return `expected a call to ${what}, but ${howItEnded(r)}` + context(r);
        const listed = (cs: SyscallCall[]) => cs.slice(0, MAX_SHOWN).map((c) => `  ${formatCall(c)}`).join('\n') + (cs.length > MAX_SHOWN ? `\n  ... and ${cs.length - MAX_SHOWN} more` : '');
        if (pass) return `expected no call to ${what}, but the run made ${matches.length}:\n${listed(matches)}`;
        if (named.length === 0) {
          const names = [...new Set(r.calls.map((c) => c.name))];
          return `expected a call to ${what}, but the run never called ${syscall}; it called: ${names.join(', ') || 'nothing'} (${howItEnded(r)})`;
        }
        if (options.times !== undefined) return `expected a call to ${what}, but ${matches.length} matched; the calls to ${syscall}:\n${listed(named)}`;
        return `expected a call to ${what}; the calls to ${syscall} were:\n${listed(named)}`;
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Snapshots: tagged texts that print as the real tool prints them.

const KSIM_TEXT = Symbol.for('ksim.snapshot-text');

/** A text that snapshots verbatim (no quotes, no escaping), labelled with the tool it comes from. */
export interface KsimText {
  readonly [KSIM_TEXT]: true;
  readonly tool: 'dmesg' | 'strace' | 'kdump' | 'dtrace';
  readonly text: string;
}

function tagged(tool: KsimText['tool'], text: string): KsimText {
  return { [KSIM_TEXT]: true, tool, text };
}

/** The run's kernel log as dmesg prints it, for toMatchSnapshot / toMatchInlineSnapshot. */
export function dmesg(r: RunResult | readonly LogRecord[]): KsimText {
  return tagged('dmesg', Array.isArray(r) ? formatLogRecords(r as LogRecord[]) : (r as RunResult).dmesg);
}

/** The run's strace output (requires `strace: true` in the run). */
export function strace(r: RunResult): KsimText {
  if (!r.strace) throw new TypeError('strace(run): the run was not traced; pass { strace: true } to machine.run');
  return tagged('strace', r.strace.map((l) => l + '\n').join(''));
}

/** kdump's output for the run's ktrace records (requires `ktrace: true` in the run). */
export function kdump(r: RunResult): KsimText {
  if (r.kdump === undefined) throw new TypeError('kdump(run): the run was not recorded; pass { ktrace: true } to machine.run');
  return tagged('kdump', r.kdump);
}

/** The D script's output (requires `dtrace` in the run). */
export function dtraceOutput(r: RunResult): KsimText {
  if (!r.dtrace) throw new TypeError('dtraceOutput(run): no D script ran; pass { dtrace: script } to machine.run');
  return tagged('dtrace', r.dtrace.output);
}

function formatLogRecords(records: LogRecord[]): string {
  return formatDmesg(records, DEFAULT_FORMAT_OPTIONS, { bootWallUsec: 1_700_000_000_000_000, utcOffsetMinutes: () => 0 });
}

function isLogRecordArray(v: unknown): v is LogRecord[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && 'seq' in x && 'tsUsec' in x && 'text' in x && 'level' in x);
}

/** A whole run, summarised for a snapshot: how it ended, then each non-empty output. */
export function formatRunForSnapshot(r: RunResult): string {
  const out: string[] = [r.error ? `not run: ${r.error.stage} failed` : r.signo !== undefined ? `killed by ${signalName(r.signo)}${r.coreDumped ? ' (core dumped)' : ''}` : `exited with ${r.code}`];
  const section = (name: string, text: string | undefined) => {
    if (text) out.push(`--- ${name} ---`, text.replace(/\n$/, ''));
  };
  if (r.error) section('errors', r.error.text);
  section('stdout', r.stdout);
  section('stderr', r.error ? '' : r.stderr);
  section('dmesg', r.dmesg);
  section('strace', r.strace?.join('\n'));
  section('kdump', r.kdump);
  section('dtrace', r.dtrace?.output);
  return out.join('\n');
}

/** Serializers for expect.addSnapshotSerializer: ksim texts, log record arrays, and whole runs. */
export const ksimSerializers = [
  {
    test: (v: unknown) => typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[KSIM_TEXT] === true,
    serialize: (v: KsimText) => v.text.replace(/\n$/, ''),
  },
  {
    test: isLogRecordArray,
    serialize: (v: LogRecord[]) => formatLogRecords(v).replace(/\n$/, ''),
  },
  {
    test: isRunResult,
    serialize: (v: RunResult) => formatRunForSnapshot(v),
  },
];

/** Registers the matchers and serializers (done on import of 'ksim/vitest'). */
export function installKsimMatchers(): void {
  expect.extend(ksimMatchers as never);
  for (const s of ksimSerializers) expect.addSnapshotSerializer(s as never);
}

installKsimMatchers();
