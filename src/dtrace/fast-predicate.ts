// The fast path of a probe firing: a clause predicate made only of the firing task's identity
// (pid, tid, ppid, uid, gid, execname), the probe's names (probeprov, probemod, probefunc,
// probename), constants, comparisons and && || ! compiles to a second, direct JavaScript function
// over plain numbers and strings — `/pid == 0/` becomes `(T ? T.pid : K.pid) === 0`. The consumer
// runs it before it builds anything for the firing (context, arguments, clock read), so a probe whose
// predicate is false costs one call. Any other predicate has no fast form and runs as compiled by
// codegen.ts; when the fast form exists, both agree (the clause still checks its own predicate).
import type { Expr } from './ast.js';
import { intShape, isString, type DType } from './types.js';
import type { ProbeInfo } from './catalog.js';
import type { TraceTask } from '../kernel/events.js';

/** Who fired when there is no task (BEGIN, END, profile): the consumer itself. */
export interface FiringIdentity {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  execname: string;
}

/** `(T, K, P) => boolean`: T the firing task (undefined: the consumer K fires), P the probe. */
export type FastPredicate = (T: TraceTask | undefined, K: FiringIdentity, P: ProbeInfo) => boolean;

/** A numeric operand: its JavaScript code (a number) and its D type (at most 32 bits). */
interface Num {
  code: string;
  type: DType;
  /** A constant's value (a constant that is not negative can meet an unsigned operand). */
  value?: bigint;
}

const J = JSON.stringify;

const INT_BUILTINS: Record<string, string> = {
  pid: '(T ? T.pid : K.pid)',
  tid: '(T ? T.tid : K.pid)',
  ppid: '(T ? T.ppid : K.ppid)',
  uid: '(T ? T.uid : K.uid)',
  gid: '(T ? T.gid : K.gid)',
};
const STRING_BUILTINS: Record<string, string> = {
  execname: '(T ? T.comm : K.execname)',
  probeprov: 'P.provider',
  probemod: 'P.module',
  probefunc: 'P.func',
  probename: 'P.name',
};
const COMPARISONS: Record<string, string> = { '==': '===', '!=': '!==', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

function isInt(t: DType | undefined): t is DType {
  return !!t && (t.kind === 'int' || t.kind === 'enum');
}

function builtinName(e: Expr): string | undefined {
  if (e.k !== 'ident') return undefined;
  return (e as unknown as { res?: string }).res === 'builtin' ? e.name : undefined;
}

function num(e: Expr): Num | undefined {
  const t = e.type;
  if (!isInt(t) || intShape(t).size > 4) return undefined;
  const name = builtinName(e);
  if (name !== undefined) return INT_BUILTINS[name] ? { code: INT_BUILTINS[name]!, type: t } : undefined;
  let value: bigint | undefined;
  if (e.k === 'int') value = e.value;
  else if (e.k === 'macro') {
    const x = e as unknown as { constValue?: bigint; asIdent?: Expr };
    if (x.asIdent) return num(x.asIdent);
    value = x.constValue;
  }
  if (value === undefined) return undefined;
  // The constant as its own type holds it (codegen normalises it to that type).
  const s = intShape(t);
  const bits = BigInt(s.size * 8);
  const v = s.signed ? BigInt.asIntN(Number(bits), value) : BigInt.asUintN(Number(bits), value);
  return { code: String(v), type: t, value: v };
}

function str(e: Expr): string | undefined {
  if (!isString(e.type)) return undefined;
  if (e.k === 'str') return J(e.value);
  const name = builtinName(e);
  if (name !== undefined) return STRING_BUILTINS[name];
  if (e.k === 'macro') {
    const x = e as unknown as { constString?: string; asIdent?: Expr };
    if (x.asIdent) return str(x.asIdent);
    return x.constString === undefined ? undefined : J(x.constString);
  }
  return undefined;
}

/**
 * Whether comparing a and b as JavaScript numbers gives D's answer: D compares in the promoted type
 * (C's usual arithmetic conversions), which is the plain mathematical comparison unless a negative
 * value meets an unsigned 32-bit operand.
 */
function mathematicalCompare(a: Num, b: Num): boolean {
  const sa = intShape(a.type);
  const sb = intShape(b.type);
  const unsignedA = !sa.signed && sa.size === 4;
  const unsignedB = !sb.signed && sb.size === 4;
  if (!unsignedA && !unsignedB) return true;
  const nonNegative = (x: Num, unsigned: boolean) => unsigned || (x.value !== undefined && x.value >= 0n);
  return nonNegative(a, unsignedA) && nonNegative(b, unsignedB);
}

/** The predicate as a JavaScript boolean expression, or undefined when it has no fast form. */
function truth(e: Expr): string | undefined {
  if (e.k === 'binary') {
    if (e.op === '&&' || e.op === '||') {
      const a = truth(e.l);
      const b = a === undefined ? undefined : truth(e.r);
      return b === undefined ? undefined : `(${a} ${e.op} ${b})`;
    }
    const op = COMPARISONS[e.op];
    if (op) {
      const sa = str(e.l);
      const sb = sa === undefined ? undefined : str(e.r);
      if (sb !== undefined) return `(${sa} ${op} ${sb})`;
      const a = num(e.l);
      const b = a === undefined ? undefined : num(e.r);
      if (b !== undefined && mathematicalCompare(a!, b)) return `(${a!.code} ${op} ${b.code})`;
      return undefined;
    }
    return undefined;
  }
  if (e.k === 'unary' && e.op === '!') {
    const a = truth(e.expr);
    return a === undefined ? undefined : `!${a}`;
  }
  const n = num(e);
  if (n) return `(${n.code} !== 0)`;
  const s = str(e);
  return s === undefined ? undefined : `(${s} !== "")`;
}

/**
 * The functions made so far, by source: a predicate compiled again (the next session of the same
 * script, another clause with the same test) is the same function, so the provider's call to it
 * stays monomorphic and optimized instead of meeting a new function every session.
 */
const made = new Map<string, FastPredicate>();

/** The fast form of a clause predicate (its JavaScript source and function), or undefined. */
export function compileFastPredicate(pred: Expr | undefined): { source: string; fn: FastPredicate } | undefined {
  if (!pred) return undefined;
  const code = truth(pred);
  if (code === undefined) return undefined;
  const source = `"use strict";\nreturn ${code};`;
  let fn = made.get(source);
  if (!fn) {
    fn = new Function('T', 'K', 'P', source) as FastPredicate;
    // Bounded: a process compiling many different scripts (the parser fuzzer) starts over.
    if (made.size >= 1024) made.clear();
    made.set(source, fn);
  }
  return { source, fn };
}
