// D's printf: format-string parsing, compile-time checking against argument types (dt_printf.c's
// prototypes and D_PRINTF_* messages), and run-time formatting of every conversion with flags,
// width, precision and length modifiers, for printf(), printa() (where `%@` takes the aggregated
// value) and system()/freopen(). Integers arrive as bigint with the argument's D type.
import type { Expr } from './ast.js';
import { DCompileError } from './parser.js';
import { type DType, isInteger, isPointer, isStringish, typeName, intShape } from './types.js';

export interface Conversion {
  kind: 'conv';
  flags: string;
  width?: number | '*';
  prec?: number | '*';
  length: string;
  conv: string;
  /** `%@` (printa only). */
  agg: boolean;
  /** The conversion's text without `%` (for messages: `d`, `@d`, `-10s`). */
  text: string;
}

export type FormatPiece = { kind: 'text'; text: string } | Conversion;

const convChars = 'aAcdieEfFgGiosSuxXpYkT';

/** Parses a format string into literal text and conversions; throws on a malformed conversion. */
export function parseFormat(fmt: string, line: number, fn: string): FormatPiece[] {
  const out: FormatPiece[] = [];
  let text = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') { text += c; continue; }
    if (fmt[i + 1] === '%') { text += '%'; i++; continue; }
    const start = i + 1;
    let j = i + 1;
    let agg = false;
    let flags = '';
    for (;;) {
      const f = fmt[j];
      if (f === '@') agg = true;
      else if (f !== undefined && "-+ #0'?".includes(f)) flags += f;
      else break;
      j++;
    }
    let width: number | '*' | undefined;
    if (fmt[j] === '*') { width = '*'; j++; } else {
      const m = /^[0-9]+/.exec(fmt.slice(j));
      if (m) { width = Number(m[0]); j += m[0].length; }
    }
    let prec: number | '*' | undefined;
    if (fmt[j] === '.') {
      j++;
      if (fmt[j] === '*') { prec = '*'; j++; } else {
        const m = /^[0-9]*/.exec(fmt.slice(j))!;
        prec = Number(m[0] || '0');
        j += m[0].length;
      }
    }
    const lm = /^(hh|h|ll|l|L|z|j|t|w)/.exec(fmt.slice(j));
    const length = lm ? lm[0] : '';
    j += length.length;
    const conv = fmt[j];
    if (conv === undefined || !convChars.includes(conv)) {
      if (text) { out.push({ kind: 'text', text }); text = ''; }
      throw new DCompileError('D_PRINTF_INVALID_CONV', line, `${fn}( ) format string contains an invalid conversion: %${fmt.slice(start, j + 1)}`);
    }
    if (text) { out.push({ kind: 'text', text }); text = ''; }
    out.push({ kind: 'conv', flags, width, prec, length, conv, agg, text: fmt.slice(start, j + 1) });
    i = j;
  }
  if (text) out.push({ kind: 'text', text });
  return out;
}

/** The prototype text dt_printf.c prints for a conversion. */
function prototypeOf(conv: string): string {
  switch (conv) {
    case 'd':
    case 'i':
    case 'c':
      return 'char, short, int, long, or long long';
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return 'integer';
    case 's':
    case 'S':
      return 'char [] or string (or use stringof)';
    case 'p':
    case 'a':
    case 'A':
      return 'pointer or integer';
    case 'Y':
      return 'int64_t';
    case 'k':
      return 'stack';
    default:
      return 'double';
  }
}

function convAccepts(conv: string, t: DType): boolean {
  switch (conv) {
    case 'd': case 'i': case 'c':
      return isInteger(t);
    case 'u': case 'o': case 'x': case 'X': case 'p': case 'a': case 'A': case 'Y':
      return isInteger(t) || isPointer(t);
    case 's': case 'S':
      return isStringish(t);
    case 'k':
      return false;
    default:
      return false;
  }
}

/**
 * Checks a format against its arguments at compile time. For printa, `keys` are the aggregation's
 * key types (conversions without `@` take them in order) and `naggs` the number of aggregations.
 */
export function checkPrintfFormat(fn: string, fmt: string, args: Expr[], line: number, printa: boolean, keys: DType[] = [], naggs = 0): FormatPiece[] {
  const pieces = parseFormat(fmt, line, fn);
  let argi = 0;
  let convNo = 0;
  let aggs = 0;
  const err = (tag: string, msg: string): never => {
    throw new DCompileError(tag, line, msg);
  };
  for (const p of pieces) {
    if (p.kind !== 'conv') continue;
    convNo++;
    if (p.agg) {
      if (!printa) err('D_PRINTF_AGG_CONV', '%@ conversion requires an aggregation and is not for use with printf( )');
      aggs++;
      if (aggs > naggs) err('D_PRINTA_AGGPROTO', `printa( ) prototype mismatch: conversion #${convNo} (%${p.text}) is missing a corresponding value argument`);
      continue;
    }
    for (const star of [p.width, p.prec]) {
      if (star !== '*') continue;
      if (printa) { if (argi >= keys.length) err('D_PRINTF_ARG_PROTO', `${fn}( ) prototype mismatch: conversion #${convNo} (%${p.text}) is missing a corresponding value argument`); argi++; continue; }
      const a = args[argi];
      if (!a) err('D_PRINTF_ARG_PROTO', `${fn}( ) prototype mismatch: conversion #${convNo} (%${p.text}) is missing a corresponding value argument`);
      if (!isInteger(a.type)) err('D_PRINTF_WIDTH', `${fn}( ) argument #${argi + 2} is incompatible with conversion #${convNo} prototype:\n\tconversion: % width\n\t prototype: int\n\t  argument: ${typeName(a.type!)}`);
      argi++;
    }
    const t = printa ? keys[argi] : args[argi]?.type;
    if (!t) {
      return err('D_PRINTF_ARG_PROTO', `${fn}( ) prototype mismatch: conversion #${convNo} (%${p.text}) is missing a corresponding value argument`);
    }
    if (!t) break;
    if (!convAccepts(p.conv, t)) {
      err('D_PRINTF_ARG_TYPE', `${fn}( ) argument #${argi + 2} is incompatible with conversion #${convNo} prototype:\n\tconversion: %${p.text}\n\t prototype: ${prototypeOf(p.conv)}\n\t  argument: ${typeName(t)}`);
    }
    argi++;
  }
  if (!printa && argi < args.length) {
    err('D_PRINTF_ARG_EXTRA', `${fn}( ) prototype mismatch: only ${argi} argument${argi === 1 ? '' : 's'} required by this format string`);
  }
  return pieces;
}

// ---- run-time formatting ------------------------------------------------------------------------

/** A value handed to the formatter: an integer with its shape, a string, or preformatted text (stacks, histograms). */
export type FormatValue =
  | { kind: 'int'; value: bigint; size: number; signed: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'text'; value: string };

export function intValue(v: bigint, t: DType | undefined): FormatValue {
  const s = intShape(t);
  return { kind: 'int', value: v, size: s.size, signed: s.signed };
}

function pad(s: string, width: number | undefined, left: boolean, zero: boolean, signLen = 0): string {
  if (width === undefined || s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) return s.slice(0, signLen) + '0'.repeat(width - s.length) + s.slice(signLen);
  return ' '.repeat(width - s.length) + s;
}

/** Formats one integer conversion like C's printf. */
export function formatInteger(c: { flags: string; width?: number; prec?: number; conv: string }, v: FormatValue & { kind: 'int' }): string {
  const left = c.flags.includes('-');
  const zero = c.flags.includes('0') && !left && c.prec === undefined;
  const bits = BigInt(v.size * 8);
  let body: string;
  let prefix = '';
  switch (c.conv) {
    case 'd':
    case 'i': {
      const n = v.signed ? BigInt.asIntN(Number(bits), v.value) : BigInt.asUintN(Number(bits), v.value);
      const neg = n < 0n;
      body = (neg ? -n : n).toString();
      if (c.flags.includes("'")) body = body.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      prefix = neg ? '-' : c.flags.includes('+') ? '+' : c.flags.includes(' ') ? ' ' : '';
      break;
    }
    case 'u':
      body = BigInt.asUintN(Number(bits), v.value).toString();
      break;
    case 'o': {
      const n = BigInt.asUintN(Number(bits), v.value);
      body = n.toString(8);
      if (c.flags.includes('#') && body[0] !== '0') body = '0' + body;
      break;
    }
    case 'x':
    case 'X': {
      const n = BigInt.asUintN(Number(bits), v.value);
      body = n.toString(16);
      if (c.conv === 'X') body = body.toUpperCase();
      if (c.flags.includes('#') && n !== 0n) prefix = c.conv === 'X' ? '0X' : '0x';
      break;
    }
    case 'c':
      return pad(String.fromCharCode(Number(BigInt.asUintN(8, v.value))), c.width, left, false);
    default:
      body = v.value.toString();
  }
  if (c.prec !== undefined) {
    if (c.prec === 0 && v.value === 0n) body = '';
    else if (body.length < c.prec) body = '0'.repeat(c.prec - body.length) + body;
  }
  return pad(prefix + body, c.width, left, zero, prefix.length);
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** %Y: wall time in nanoseconds as `2024 Jan  5 10:23:45` (strftime "%Y %b %e %T", UTC). */
export function formatWalltime(ns: bigint): string {
  const d = new Date(Number(ns / 1000000n));
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Formats one conversion with its resolved width and precision. */
export function formatOne(c: Conversion, width: number | undefined, prec: number | undefined, v: FormatValue): string {
  const left = c.flags.includes('-') || (width !== undefined && width < 0);
  if (width !== undefined && width < 0) width = -width;
  const spec = { flags: left && !c.flags.includes('-') ? c.flags + '-' : c.flags, width, prec, conv: c.conv };
  switch (c.conv) {
    case 's':
    case 'S': {
      let s = v.kind === 'int' ? v.value.toString() : v.value;
      if (prec !== undefined && v.kind === 'str') s = s.slice(0, prec);
      if (c.conv === 'S') s = escapeS(s);
      return pad(s, width, left, false);
    }
    case 'p':
    case 'a':
    case 'A': {
      if (v.kind !== 'int') return pad(v.value, width, left, false);
      const n = BigInt.asUintN(64, v.value);
      return pad('0x' + n.toString(16), width, left, false);
    }
    case 'Y': {
      if (v.kind !== 'int') return pad(v.value, width, left, false);
      return pad(formatWalltime(v.value), width, left, false);
    }
    case 'k':
      return v.kind === 'int' ? v.value.toString() : v.value;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
      const n = v.kind === 'int' ? Number(v.value) : Number(v.value);
      const p = prec ?? 6;
      let s = c.conv === 'f' || c.conv === 'F' ? n.toFixed(p) : c.conv === 'e' || c.conv === 'E' ? n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2') : String(n);
      if (c.conv === 'E' || c.conv === 'G') s = s.toUpperCase();
      return pad(s, width, left, c.flags.includes('0'));
    }
    default:
      if (v.kind !== 'int') return pad(v.value, width, left, false);
      return formatInteger(spec, v);
  }
}

/** %S: the string with non-printable bytes escaped as C does. */
function escapeS(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code < 32 || code >= 127) out += '\\' + code.toString(8).padStart(3, '0');
    else out += ch;
  }
  return out;
}

/**
 * Formats a whole printf. `args` are the argument values in order (star widths included);
 * `aggValues` supply `%@` conversions in printa.
 */
export function formatPrintf(pieces: FormatPiece[], args: FormatValue[], aggValues: ((c: Conversion) => string)[] = []): string {
  let out = '';
  let ai = 0;
  let gi = 0;
  for (const p of pieces) {
    if (p.kind === 'text') { out += p.text; continue; }
    if (p.agg) {
      const f = aggValues[gi++];
      out += f ? f(p) : '';
      continue;
    }
    let width = p.width === '*' ? Number((args[ai++] as { value: bigint }).value) : p.width;
    let prec = p.prec === '*' ? Number((args[ai++] as { value: bigint }).value) : p.prec;
    if (prec !== undefined && prec < 0) prec = undefined;
    const v = args[ai++];
    if (!v) continue;
    if (width !== undefined && Number.isNaN(width)) width = undefined;
    out += formatOne(p, width, prec, v);
  }
  return out;
}
