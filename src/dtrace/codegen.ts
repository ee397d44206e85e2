// Code generation: each checked clause becomes one JavaScript function (new Function) that runs in
// probe context: `(R, S, C) => boolean` — R the runtime helpers (runtime.ts), S the session state
// (variables, aggregations), C the firing context (builtins, arguments, the record being built).
// Integers are bigint normalised to their D type after every operation; strings are JS strings.
// Fault sites carry a "DIF offset": 4 × the post-order index of the faulting node within its action
// (or predicate). Real DIF offsets cannot be reproduced; this rule is stable and documented.
import type { Expr, Stmt } from './ast.js';
import { type DType, intShape, isString, isStringish, isPointer, sizeOf, promote, isArith } from './types.js';
import type { AggInfo, CheckedClause, SemaResult } from './sema.js';
import { parseFormat, type FormatPiece } from './printf.js';
import { compileFastPredicate, type FastPredicate } from './fast-predicate.js';
import { printTypeOf } from './print.js';

export interface CompiledClause {
  checked: CheckedClause;
  /** Runs the clause; returns false when the predicate was false. Throws DFault on a fault. */
  run: (R: unknown, S: unknown, C: unknown) => boolean;
  /** Formats referenced by printf/printa, by index. */
  formats: FormatPiece[][];
  source: string;
  /** The predicate alone over plain numbers and strings, when it has that form (fast-predicate.ts). */
  fastPredicate?: FastPredicate;
}

const J = JSON.stringify;

/** The probe's names are fields of the probe: read directly, not through C.bv's switch. */
const PROBE_NAMES: Record<string, string> = { probeprov: 'C.probe.provider', probemod: 'C.probe.module', probefunc: 'C.probe.func', probename: 'C.probe.name' };

function shapeArgs(t: DType | undefined): string {
  const s = intShape(t);
  return `${s.size},${s.signed}`;
}

function defaultValue(t: DType | undefined): string {
  return isString(t) ? '""' : '0n';
}

class ClauseGen {
  node = 0;
  formats: FormatPiece[][] = [];

  constructor(readonly sema: SemaResult) {}

  site(): number {
    return 4 * this.node++;
  }

  conv(code: string, to: DType | undefined, from: DType | undefined): string {
    if (!to) return code;
    if (isString(to)) {
      if (from && !isString(from) && isPointer(from)) return `C.loadString(${code}, ${this.site()})`;
      return code;
    }
    if (to.kind === 'struct' || to.kind === 'array') return code;
    if (from && isString(from)) return code;
    const a = intShape(to);
    const b = intShape(from);
    if (from && a.size === b.size && a.signed === b.signed && (isArith(from) || isPointer(from))) return code;
    return `R.cv(${code},${shapeArgs(to)})`;
  }

  expr(e: Expr): string {
    const out = this.exprInner(e);
    this.node++;
    return out;
  }

  exprInner(e: Expr): string {
    const t = e.type;
    switch (e.k) {
      case 'int':
        return `R.cv(${e.value}n,${shapeArgs(t)})`;
      case 'float':
        return '0n';
      case 'str':
        return J(e.value);
      case 'macro': {
        const x = e as unknown as { constValue?: bigint; constString?: string; asIdent?: Expr };
        if (x.asIdent) return this.expr(x.asIdent);
        if (x.constString !== undefined) return J(x.constString);
        return `R.cv(${x.constValue ?? 0n}n,${shapeArgs(t)})`;
      }
      case 'macrovar':
        return `S.macroVar(${J(e.name)})`;
      case 'ident': {
        const res = (e as unknown as { res: string }).res;
        if (res === 'global') return `S.g[${J(e.name)}]`;
        if (res === 'builtin') return PROBE_NAMES[e.name] ?? `C.bv(${J(e.name)})`;
        if (res === 'inline') {
          const inl = this.sema.inlines.get(e.name)!;
          return this.conv(this.expr(inl.value), inl.type, inl.value.type);
        }
        if (res === 'enum') return `${this.sema.enums.get(e.name)}n`;
        return '0n';
      }
      case 'self':
        return `S.tget(C, ${J(e.name)}, ${defaultValue(t)})`;
      case 'this':
        return `(C.L[${J(e.name)}] ?? ${defaultValue(t)})`;
      case 'agg':
        return '0n';
      case 'index': {
        const res = (e as unknown as { res: string }).res;
        if (res === 'args') {
          const i = (e as unknown as { argIndex: number }).argIndex;
          return this.conv(`C.arg(${i})`, t, undefined);
        }
        if (res === 'uregs') return `C.ureg(${this.expr(e.args[0]!)})`;
        if (res === 'assoc') return `S.aget(${J(this.varKey(e.base))}, ${this.keyCode(e.args)}, ${defaultValue(t)})`;
        return this.load(this.addrOf(e), t!);
      }
      case 'call':
        return this.call(e);
      case 'member':
        return this.load(this.addrOf(e), t!);
      case 'unary':
        return this.unary(e);
      case 'postfix':
        return this.incdec(e.expr, e.op, true);
      case 'binary':
        return this.binary(e);
      case 'assign':
        return this.assign(e);
      case 'cond': {
        const c = this.truth(e.c);
        return `(${c} ? ${this.conv(this.expr(e.t), t, e.t.type)} : ${this.conv(this.expr(e.f), t, e.f.type)})`;
      }
      case 'cast':
        return this.conv(this.expr(e.expr), t, e.expr.type);
      case 'sizeof':
      case 'offsetof':
        return `${(e as unknown as { constValue: bigint }).constValue}n`;
      case 'stringof': {
        const inner = this.expr(e.expr);
        return isString(e.expr.type) ? inner : `C.stringof(${inner}, ${this.site()})`;
      }
      case 'comma':
        return `(${this.expr(e.l)}, ${this.expr(e.r)})`;
    }
  }

  truth(e: Expr): string {
    const c = this.expr(e);
    return isString(e.type) ? `(${c} !== "")` : `(${c} !== 0n)`;
  }

  varKey(b: Expr): string {
    return b.k === 'ident' ? b.name : `${b.k}->${(b as { name: string }).name}`;
  }

  keyCode(args: Expr[]): string {
    return `R.key([${args.map((a) => (isStringish(a.type) && !isString(a.type) ? this.conv(this.expr(a), { kind: 'string' }, a.type) : this.expr(a))).join(', ')}])`;
  }

  load(addr: string, t: DType): string {
    if (t.kind === 'struct' || t.kind === 'array') return addr;
    if (isString(t)) return `C.loadString(${addr}, ${this.site()})`;
    const s = intShape(t);
    return `C.load(${addr}, ${s.size}, ${s.signed}, ${this.site()})`;
  }

  /** Address of an lvalue in memory (member, *p, p[i]). */
  addrOf(e: Expr): string {
    if (e.k === 'member') {
      const off = (e as unknown as { offset: number }).offset;
      const base = e.arrow ? this.expr(e.base) : this.addrOf(e.base);
      return `R.cv(${base} + ${off}n,8,false)`;
    }
    if (e.k === 'unary' && e.op === '*') return this.expr(e.expr);
    if (e.k === 'index') {
      const bt = e.base.type!;
      const elem = bt.kind === 'ptr' ? bt.to : bt.kind === 'array' ? bt.elem : bt;
      const base = bt.kind === 'array' && e.base.k === 'member' ? this.addrOf(e.base) : this.expr(e.base);
      return `R.cv(${base} + ${this.expr(e.args[0]!)} * ${sizeOf(elem)}n,8,false)`;
    }
    // Dynamic variables have no address in D; sema rejects &x for them. Structs are addresses.
    return this.expr(e);
  }

  call(e: Extract<Expr, { k: 'call' }>): string {
    const args = e.args.map((a) => {
      const code = this.expr(a);
      return isStringish(a.type) && !isString(a.type) && ['strlen', 'strjoin', 'substr', 'index', 'rindex', 'strchr', 'strrchr', 'strstr', 'strtok', 'basename', 'dirname', 'cleanpath', 'strtoll', 'tolower', 'toupper'].includes(e.fn)
        ? `C.loadString(${code}, ${this.site()})`
        : code;
    });
    return `R.sub.${e.fn}(C, ${this.site()}${args.map((a) => ', ' + a).join('')})`;
  }

  unary(e: Extract<Expr, { k: 'unary' }>): string {
    const t = e.type;
    switch (e.op) {
      case '-':
        return `R.cv(-${this.conv(this.expr(e.expr), t, e.expr.type)},${shapeArgs(t)})`;
      case '+':
        return this.conv(this.expr(e.expr), t, e.expr.type);
      case '~':
        return `R.cv(~${this.conv(this.expr(e.expr), t, e.expr.type)},${shapeArgs(t)})`;
      case '!':
        return `(${this.truth(e.expr)} ? 0n : 1n)`;
      case '*':
        return this.load(this.expr(e.expr), t!);
      case '&':
        return this.addrOf(e.expr);
      case '++':
      case '--':
        return this.incdec(e.expr, e.op, false);
    }
  }

  /** Read-modify-write of an lvalue: returns JS that evaluates to the expression's value. */
  lvalue(l: Expr): { prelude: string[]; get: string; set: (v: string) => string } {
    const t = l.type;
    if (l.k === 'ident') return { prelude: [], get: `S.g[${J(l.name)}]`, set: (v) => `(S.g[${J(l.name)}] = ${v})` };
    if (l.k === 'self') return { prelude: [], get: `S.tget(C, ${J(l.name)}, ${defaultValue(t)})`, set: (v) => `S.tset(C, ${J(l.name)}, ${v})` };
    if (l.k === 'this') return { prelude: [], get: `(C.L[${J(l.name)}] ?? ${defaultValue(t)})`, set: (v) => `(C.L[${J(l.name)}] = ${v})` };
    if (l.k === 'index' && (l as unknown as { res: string }).res === 'assoc') {
      const name = J(this.varKey(l.base));
      const key = this.keyCode(l.args);
      return { prelude: [`const k$ = ${key};`], get: `S.aget(${name}, k$, ${defaultValue(t)})`, set: (v) => `S.aset(${name}, k$, ${v})` };
    }
    const addr = this.addrOf(l);
    const s = intShape(t);
    const site = this.site();
    if (isString(t)) return { prelude: [`const a$ = ${addr};`], get: `C.loadString(a$, ${site})`, set: (v) => `C.storeString(a$, ${v}, ${site})` };
    return { prelude: [`const a$ = ${addr};`], get: `C.load(a$, ${s.size}, ${s.signed}, ${site})`, set: (v) => `C.store(a$, ${v}, ${s.size}, ${site})` };
  }

  wrap(prelude: string[], body: string): string {
    if (prelude.length === 0) return body;
    return `(() => { ${prelude.join(' ')} return ${body}; })()`;
  }

  incdec(l: Expr, op: '++' | '--', post: boolean): string {
    const lv = this.lvalue(l);
    const t = l.type!;
    const step = t.kind === 'ptr' ? `${sizeOf(t.to)}n` : '1n';
    const nv = `R.cv(o$ ${op === '++' ? '+' : '-'} ${step},${shapeArgs(t)})`;
    return this.wrap([...lv.prelude, `const o$ = ${lv.get};`, `${lv.set(nv)};`], post ? 'o$' : nv.replace('o$', 'o$'));
  }

  assign(e: Extract<Expr, { k: 'assign' }>): string {
    const lt = e.l.type!;
    const r = this.expr(e.r);
    const lv = this.lvalue(e.l);
    if (e.op === '=') {
      return this.wrap([...lv.prelude, `const v$ = ${this.conv(r, lt, e.r.type)};`], lv.set('v$'));
    }
    const op = e.op.slice(0, -1);
    const site = this.site();
    const pt = isPointer(lt) ? lt : promote(lt, e.r.type!);
    let val: string;
    if (op === '/' || op === '%') val = `R.${op === '/' ? 'div' : 'mod'}(C, ${site}, ${this.conv('o$', pt, lt)}, ${this.conv('r$', pt, e.r.type)})`;
    else if (isPointer(lt) && (op === '+' || op === '-')) val = `(o$ ${op} r$ * ${sizeOf(lt.kind === 'ptr' ? lt.to : lt)}n)`;
    else if (op === '<<') val = `(o$ << (r$ & 63n))`;
    else if (op === '>>') val = `(${this.conv('o$', pt, lt)} >> (r$ & 63n))`;
    else val = `(${this.conv('o$', pt, lt)} ${op} ${this.conv('r$', pt, e.r.type)})`;
    return this.wrap([...lv.prelude, `const r$ = ${r};`, `const o$ = ${lv.get};`], lv.set(`R.cv(${val},${shapeArgs(lt)})`));
  }

  binary(e: Extract<Expr, { k: 'binary' }>): string {
    const t = e.type!;
    const op = e.op;
    if (op === '&&') return `((${this.truth(e.l)} && ${this.truth(e.r)}) ? 1n : 0n)`;
    if (op === '||') return `((${this.truth(e.l)} || ${this.truth(e.r)}) ? 1n : 0n)`;
    if (op === '^^') return `((${this.truth(e.l)} !== ${this.truth(e.r)}) ? 1n : 0n)`;
    const lt = e.l.type!;
    const rt = e.r.type!;
    const a = this.expr(e.l);
    const b = this.expr(e.r);
    if (['==', '!=', '<', '>', '<=', '>='].includes(op)) {
      const jsop = op === '==' ? '===' : op === '!=' ? '!==' : op;
      if ((e as unknown as { strcmp?: boolean }).strcmp) {
        const sa = isString(lt) ? a : `C.loadString(${a}, ${this.site()})`;
        const sb = isString(rt) ? b : `C.loadString(${b}, ${this.site()})`;
        return `(${sa} ${jsop} ${sb} ? 1n : 0n)`;
      }
      const ct = isPointer(lt) || isPointer(rt) ? ({ kind: 'int', name: 'uintptr_t', size: 8, signed: false } as DType) : promote(lt, rt);
      return `(${this.conv(a, ct, lt)} ${jsop} ${this.conv(b, ct, rt)} ? 1n : 0n)`;
    }
    if (isPointer(t) && (op === '+' || op === '-')) {
      const pt = isPointer(lt) ? lt : rt;
      const elem = sizeOf(pt.kind === 'ptr' ? pt.to : pt.kind === 'array' ? pt.elem : pt);
      if (isPointer(lt)) return `R.cv(${a} ${op} ${b} * ${elem}n,8,false)`;
      return `R.cv(${a} * ${elem}n + ${b},8,false)`;
    }
    if (op === '-' && isPointer(lt) && isPointer(rt)) {
      const elem = sizeOf(lt.kind === 'ptr' ? lt.to : lt.kind === 'array' ? lt.elem : lt);
      return `R.cv((R.cv(${a},8,true) - R.cv(${b},8,true)) / ${elem}n,8,true)`;
    }
    const ca = this.conv(a, t, lt);
    const cb = this.conv(b, t, rt);
    const site = this.site();
    switch (op) {
      case '/':
        return `R.div(C, ${site}, ${ca}, ${cb}, ${shapeArgs(t)})`;
      case '%':
        return `R.mod(C, ${site}, ${ca}, ${cb}, ${shapeArgs(t)})`;
      case '<<':
        return `R.cv(${ca} << (${b} & 63n),${shapeArgs(t)})`;
      case '>>':
        return `R.cv(${ca} >> (${b} & 63n),${shapeArgs(t)})`;
      default:
        return `R.cv(${ca} ${op} ${cb},${shapeArgs(t)})`;
    }
  }

  // ---- statements ------------------------------------------------------------------------------
  stmts(list: Stmt[], action: { n: number }): string {
    return list.map((s) => this.stmt(s, action)).join('\n');
  }

  stmt(s: Stmt, action: { n: number }): string {
    switch (s.k) {
      case 'empty':
        return '';
      case 'block':
        return `{\n${this.stmts(s.body, action)}\n}`;
      case 'if': {
        this.node = 0;
        const n = ++action.n;
        const cond = this.truth(s.cond);
        const then = this.stmts(s.then, action);
        const els = s.else ? this.stmts(s.else, action) : '';
        return `C.action = ${n};\nif (${cond}) {\n${then}\n} else {\n${els}\n}`;
      }
      case 'expr': {
        this.node = 0;
        const n = ++action.n;
        return `C.action = ${n};\n${this.exprStmt(s.expr)};`;
      }
    }
  }

  exprStmt(e: Expr): string {
    if (e.k === 'assign' && (e as unknown as { agg?: AggInfo }).agg) {
      const agg = (e as unknown as { agg: AggInfo }).agg;
      const keys = e.l.k === 'index' ? e.l.args : [];
      const r = e.r as Extract<Expr, { k: 'call' }>;
      const args = r.args.map((a) => this.conv(this.expr(a), { kind: 'int', name: 'int64_t', size: 8, signed: true }, a.type));
      return `S.aggregate(${J(agg.name)}, ${keys.length ? this.keyCode(keys) : '""'}, [${keys.map((k) => (isStringish(k.type) && !isString(k.type) ? `C.loadString(${this.expr(k)}, 0)` : this.expr(k))).join(', ')}], [${args.join(', ')}])`;
    }
    if (e.k === 'call') {
      switch (e.fn) {
        case 'trace': {
          const a = e.args[0]!;
          return `C.trace(${this.expr(a)}, ${J(this.traceShape(a.type!))})`;
        }
        case 'print': {
          const a = e.args[0]!;
          return `C.print(${this.expr(a)}, ${J(printTypeOf(a.type!))}, ${this.site()})`;
        }
        case 'printf':
        case 'system':
        case 'freopen': {
          const fmt = (e.args[0] as Extract<Expr, { k: 'str' }>).value;
          const idx = this.formats.push(parseFormat(fmt, e.line, e.fn)) - 1;
          const vals = e.args.slice(1).map((a) => this.fmtValue(a));
          return `C.${e.fn === 'printf' ? 'printf' : e.fn}(${idx}, [${vals.join(', ')}])`;
        }
        case 'printa': {
          let idx = -1;
          let args = e.args;
          if (args[0]!.k === 'str') {
            idx = this.formats.push(parseFormat(args[0]!.value, e.line, 'printa')) - 1;
            args = args.slice(1);
          }
          return `C.printa(${idx}, [${args.map((a) => J((a as { name: string }).name)).join(', ')}])`;
        }
        case 'clear':
        case 'denormalize':
          return `S.${e.fn}(${J((e.args[0] as { name: string }).name)})`;
        case 'trunc':
        case 'normalize':
          return `S.${e.fn}(${J((e.args[0] as { name: string }).name)}${e.args[1] ? ', ' + this.conv(this.expr(e.args[1]), { kind: 'int', name: 'int64_t', size: 8, signed: true }, e.args[1].type) : ''})`;
        default: {
          const args = e.args.map((a) => this.expr(a));
          return `C.act(${J(e.fn)}, ${this.site()}, [${args.join(', ')}])`;
        }
      }
    }
    return this.expr(e);
  }

  traceShape(t: DType): { kind: 'int' | 'str' | 'bytes'; size: number; signed: boolean } {
    if (isString(t)) return { kind: 'str', size: 0, signed: false };
    if (t.kind === 'struct' || t.kind === 'array') return { kind: 'bytes', size: sizeOf(t), signed: false };
    const s = intShape(t);
    return { kind: 'int', size: s.size, signed: s.signed };
  }

  fmtValue(a: Expr): string {
    const t = a.type!;
    if (isString(t)) return `{ kind: 'str', value: ${this.expr(a)} }`;
    if (isStringish(t)) return `{ kind: 'str', value: C.loadString(${this.expr(a)}, ${this.site()}) }`;
    const s = intShape(t);
    return `{ kind: 'int', value: ${this.expr(a)}, size: ${s.size}, signed: ${s.signed} }`;
  }
}

/** Compiles one checked clause to a JS function. */
export function compileClause(checked: CheckedClause, sema: SemaResult): CompiledClause {
  const g = new ClauseGen(sema);
  const c = checked.clause;
  const lines: string[] = ['"use strict";'];
  if (c.pred) {
    lines.push('C.action = 0;');
    lines.push(`if (!${g.truth(c.pred)}) return false;`);
  }
  lines.push('C.begin();');
  lines.push(g.stmts(c.body, { n: 0 }));
  lines.push('return true;');
  const source = lines.join('\n');
  let fn = clauseFunctions.get(source);
  if (!fn) {
    fn = new Function('R', 'S', 'C', source) as CompiledClause['run'];
    // Bounded: a process compiling many different scripts (the parser fuzzer) starts over.
    if (clauseFunctions.size >= 1024) clauseFunctions.clear();
    clauseFunctions.set(source, fn);
  }
  const fast = compileFastPredicate(c.pred);
  // Every clause has the same shape (fastPredicate present, maybe undefined): the consumer's loads stay monomorphic.
  return { checked, run: fn, formats: g.formats, source, fastPredicate: fast ? fast.fn : undefined };
}

/**
 * Clause functions made so far, by source (the generated code reads everything through R, S and C,
 * so equal sources are interchangeable): the next session of a script runs the same, already
 * optimized functions, and the consumer's call to them does not meet a new target every session.
 */
const clauseFunctions = new Map<string, CompiledClause['run']>();
