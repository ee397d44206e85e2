// Semantic checks for D, clause by clause in program order as dt_cc.c does: match each clause's
// probe descriptions (D_PDESC_ZERO), resolve identifiers (D_IDENT_UNDEF), infer variable types from
// their first assignment, type every expression (filling node.type), check calls against their
// prototypes (D_PROTO_LEN, D_PROTO_ARG), aggregations (D_AGG_FUNC, D_AGG_REDEF), printf formats
// (printf.ts), lvalues and operand types (D_OP_*), and speculation rules (D_ACT_SPEC).
// Messages and tags are libdtrace's (dt_errtags.h, dt_parser.c, dt_cc.c).
import type { Clause, Expr, Program, Stmt, TypeName } from './ast.js';
import { DCompileError } from './parser.js';
import {
  T, type DType, baseTypeFromWords, builtinTypedefs, layoutStruct, sizeOf, isInteger, isPointer, isArith, isScalar,
  isString, isStringish, promote, typeName, parseCType, intShape, assignable, voidPtr,
} from './types.js';
import { builtinVariables, callSignatures, dataRecordingActions } from './builtins.js';
import { matchProbes, splitProbeDescription, type ProbeCatalog, type ProbeInfo } from './catalog.js';
import { checkPrintfFormat } from './printf.js';

export interface VarInfo {
  name: string;
  type: DType;
  /** Key types for associative arrays. */
  keys?: DType[];
  scope: 'global' | 'self' | 'this';
}

export interface AggInfo {
  name: string;
  /** Declaration order (dtrace's aggregation variable ID order). */
  id: number;
  fn: string;
  keys: DType[];
  /** Constant parameters (lquantize low/high/step, llquantize factor/low/high/steps). */
  params: bigint[];
  line: number;
}

export interface CheckedClause {
  clause: Clause;
  probes: ProbeInfo[];
  /** True when the clause records nothing but aggregations (no per-firing record line). */
  aggregationsOnly: boolean;
  usesDestructive: boolean;
}

export interface SemaOptions {
  catalog: ProbeCatalog;
  /** Macro arguments: $0 is the script name. */
  macroArgs: string[];
  /** -Z: allow descriptions that match nothing. */
  allowZeroMatches: boolean;
  /** defaultargs option: unset $n are 0 / "". */
  defaultArgs: boolean;
  /** Values of $target, $pid, $ppid, $uid, $gid... */
  macroVars: Record<string, bigint>;
  /** True when compiling -n/-P style specifiers (allows a bare description). */
  specifierMode?: boolean;
}

export interface SemaResult {
  clauses: CheckedClause[];
  globals: Map<string, VarInfo>;
  thread: Map<string, VarInfo>;
  local: Map<string, VarInfo>;
  aggs: Map<string, AggInfo>;
  inlines: Map<string, { type: DType; value: Expr }>;
  enums: Map<string, bigint>;
  typedefs: Map<string, DType>;
  structs: Map<string, DType>;
}

type StructT = Extract<DType, { kind: 'struct' }>;

function err(tag: string, line: number, msg: string): never {
  throw new DCompileError(tag, line, msg);
}

/** A psinfo_t translator result (curpsinfo->pr_*). */
function psinfoType(): StructT {
  const s: StructT = { kind: 'struct', name: 'psinfo', union: false, members: [], size: 0, align: 1, complete: false };
  const str80: DType = { kind: 'array', elem: T.char, count: 80 };
  const str16: DType = { kind: 'array', elem: T.char, count: 16 };
  layoutStruct(s, [
    { name: 'pr_nlwp', type: T.int }, { name: 'pr_pid', type: T.pid }, { name: 'pr_ppid', type: T.pid },
    { name: 'pr_pgid', type: T.pid }, { name: 'pr_sid', type: T.pid }, { name: 'pr_uid', type: T.uid },
    { name: 'pr_euid', type: T.uid }, { name: 'pr_gid', type: T.gid }, { name: 'pr_egid', type: T.gid },
    { name: 'pr_addr', type: T.uintptr }, { name: 'pr_fname', type: str16 }, { name: 'pr_psargs', type: str80 },
  ]);
  return s;
}

export const PSINFO = psinfoType();

/** An lwpsinfo_t (sched provider args[0]: the thread woken, or the next to run), illumos's members ksim fills. */
function lwpsinfoType(): StructT {
  const s: StructT = { kind: 'struct', name: 'lwpsinfo', union: false, members: [], size: 0, align: 1, complete: false };
  layoutStruct(s, [
    { name: 'pr_flag', type: T.int }, { name: 'pr_lwpid', type: T.id }, { name: 'pr_addr', type: T.uintptr },
    { name: 'pr_wchan', type: T.uintptr }, { name: 'pr_stype', type: T.char }, { name: 'pr_state', type: T.char },
    { name: 'pr_sname', type: T.char }, { name: 'pr_nice', type: T.char }, { name: 'pr_syscall', type: T.short },
    { name: 'pr_pri', type: T.int }, { name: 'pr_clname', type: { kind: 'array', elem: T.char, count: 8 } },
    { name: 'pr_name', type: { kind: 'array', elem: T.char, count: 16 } }, { name: 'pr_onpro', type: T.processorid },
  ]);
  return s;
}

export const LWPSINFO = lwpsinfoType();

class Checker {
  globals = new Map<string, VarInfo>();
  thread = new Map<string, VarInfo>();
  local = new Map<string, VarInfo>();
  aggs = new Map<string, AggInfo>();
  inlines = new Map<string, { type: DType; value: Expr }>();
  enums = new Map<string, bigint>();
  typedefs = builtinTypedefs();
  structs = new Map<string, DType>();
  /** Probes of the clause being checked (for args[] and probe-dependent checks). */
  probes: ProbeInfo[] = [];
  recorded = false;
  speculated = false;
  destructive = false;
  onlyAggs = true;

  constructor(readonly opts: SemaOptions) {
    this.typedefs.set('psinfo_t', PSINFO);
    this.typedefs.set('lwpsinfo_t', LWPSINFO);
    // The machine's library constants (regs.d's R_EAX...), as dtrace loads /usr/lib/dtrace/*.d.
    for (const [name, v] of Object.entries(opts.catalog.inlines?.() ?? {})) {
      this.inlines.set(name, { type: T.int, value: { k: 'int', value: v, unsigned: false, long: false, text: String(v), line: 0, type: T.int } });
    }
  }

  // ---- types -----------------------------------------------------------------------------------
  resolveType(tn: TypeName, line: number): DType {
    let base: DType | undefined;
    const spec = tn.spec.filter((w) => !['const', 'volatile', 'restrict', 'extern', 'static', 'register'].includes(w));
    if (spec[0] === 'struct' || spec[0] === 'union') {
      const key = `${spec[0]} ${spec[1] ?? ''}`;
      let s = spec[1] ? (this.structs.get(key) as StructT | undefined) : undefined;
      if (!s) {
        s = { kind: 'struct', name: spec[1] ?? '', union: spec[0] === 'union', members: [], size: 0, align: 1, complete: false };
        if (spec[1]) this.structs.set(key, s);
      }
      if (tn.body && tn.body.kind === 'struct') {
        if (s.complete) err('D_DECL_TYPERED', line, `type redeclared: ${key}`);
        layoutStruct(s, tn.body.members.map((m) => ({ name: m.name, type: this.resolveDeclType(m.type, m.type.ptr, m.type.dims, m.line) })));
      }
      base = s;
    } else if (spec[0] === 'enum') {
      const key = `enum ${spec[1] ?? ''}`;
      let e = spec[1] ? (this.structs.get(key) as Extract<DType, { kind: 'enum' }> | undefined) : undefined;
      if (!e) {
        e = { kind: 'enum', name: spec[1] ?? '', values: new Map() };
        if (spec[1]) this.structs.set(key, e);
      }
      if (tn.body && tn.body.kind === 'enum') {
        let next = 0n;
        for (const v of tn.body.values) {
          if (v.value) {
            this.expr(v.value);
            next = this.constValue(v.value, v.line);
          }
          if (this.enums.has(v.name)) err('D_DECL_IDRED', v.line, `identifier redeclared: ${v.name}`);
          e.values.set(v.name, next);
          this.enums.set(v.name, next);
          next++;
        }
      }
      base = e;
    } else {
      base = baseTypeFromWords(spec);
      if (!base && spec.length === 1) base = this.typedefs.get(spec[0]!);
      if (!base) err('D_TYPE_ERR', line, `failed to resolve type ${spec.join(' ')}: Unknown type name`);
    }
    let t = base;
    for (let i = 0; i < tn.ptr; i++) t = { kind: 'ptr', to: t };
    return t;
  }

  resolveDeclType(tn: TypeName, ptr: number, dims: Expr[] | undefined, line: number): DType {
    let t = this.resolveType({ ...tn, ptr: 0 }, line);
    for (let i = 0; i < ptr; i++) t = { kind: 'ptr', to: t };
    if (dims) {
      for (const d of [...dims].reverse()) {
        this.expr(d);
        t = { kind: 'array', elem: t, count: Number(this.constValue(d, line)) };
      }
    }
    return t;
  }

  constValue(e: Expr, line: number): bigint {
    const v = this.tryConst(e);
    if (v === undefined) err('D_DECL_ARRVA', line, 'expression is not an integer constant');
    return v;
  }

  tryConst(e: Expr): bigint | undefined {
    switch (e.k) {
      case 'int':
        return e.value;
      case 'ident':
        if (this.enums.has(e.name)) return this.enums.get(e.name);
        if (this.inlines.has(e.name)) return this.tryConst(this.inlines.get(e.name)!.value);
        return undefined;
      case 'macro':
        if (e.type && isInteger(e.type)) return (e as unknown as { constValue: bigint }).constValue;
        return undefined;
      case 'macrovar':
        return this.opts.macroVars[e.name];
      case 'unary': {
        const v = this.tryConst(e.expr);
        if (v === undefined) return undefined;
        if (e.op === '-') return -v;
        if (e.op === '+') return v;
        if (e.op === '~') return ~v;
        if (e.op === '!') return v === 0n ? 1n : 0n;
        return undefined;
      }
      case 'binary': {
        const a = this.tryConst(e.l);
        const b = this.tryConst(e.r);
        if (a === undefined || b === undefined) return undefined;
        switch (e.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return b === 0n ? undefined : a / b;
          case '%': return b === 0n ? undefined : a % b;
          case '<<': return a << b;
          case '>>': return a >> b;
          case '&': return a & b;
          case '|': return a | b;
          case '^': return a ^ b;
          default: return undefined;
        }
      }
      case 'sizeof':
        return e.type ? (e as unknown as { constValue?: bigint }).constValue : undefined;
      case 'cast':
        return this.tryConst(e.expr);
      default:
        return undefined;
    }
  }

  // ---- top level -------------------------------------------------------------------------------
  run(program: Program): SemaResult {
    const clauses: CheckedClause[] = [];
    for (const item of program.items) {
      switch (item.k) {
        case 'typedef':
          for (const d of item.declarators) {
            const t = this.resolveDeclType(item.typeName, d.ptr, d.dims, d.line);
            this.typedefs.set(d.name, t.kind === 'int' ? { ...t, name: d.name } : t);
          }
          break;
        case 'typedecl':
          this.resolveType(item.typeName, item.line);
          break;
        case 'inline': {
          const t = this.resolveDeclType(item.typeName, item.ptr, undefined, item.line);
          this.expr(item.value);
          if (this.inlines.has(item.name)) err('D_DECL_IDRED', item.line, `identifier redeclared: ${item.name}`);
          if (!assignable(t, item.value.type!)) err('D_OP_INCOMPAT', item.line, `inline ${item.name} definition uses incompatible types: "${typeName(t)}" = "${typeName(item.value.type!)}"`);
          this.inlines.set(item.name, { type: t, value: item.value });
          break;
        }
        case 'decl':
          for (const d of item.declarators) {
            const t = this.resolveDeclType(item.typeName, d.ptr, d.dims, d.line);
            const map = item.storage === 'global' ? this.globals : item.storage === 'self' ? this.thread : this.local;
            if (map.has(d.name)) err('D_DECL_IDRED', d.line, `identifier redeclared: ${d.name}`);
            if (t.kind === 'void') err('D_DECL_VOIDOBJ', d.line, `cannot have void object: ${d.name}`);
            const keys = d.assocKeys?.map((k) => this.resolveType(k, d.line));
            map.set(d.name, { name: d.name, type: t, keys, scope: item.storage });
          }
          break;
        case 'clause':
          clauses.push(this.clause(item));
          break;
        case 'pragma':
          break;
      }
    }
    return {
      clauses, globals: this.globals, thread: this.thread, local: this.local, aggs: this.aggs, inlines: this.inlines,
      enums: this.enums, typedefs: this.typedefs, structs: this.structs,
    };
  }

  substituteMacros(text: string, line: number): string {
    return text.replace(/\$\$?([0-9]+)|\$([a-zA-Z_]+)/g, (m, n: string | undefined, v: string | undefined) => {
      if (n !== undefined) {
        const i = Number(n);
        if (i < this.opts.macroArgs.length) return this.opts.macroArgs[i]!;
        if (this.opts.defaultArgs) return '';
        err('D_MACRO_UNDEF', line, `macro argument ${m} is not defined`);
      }
      const val = this.opts.macroVars[v!];
      if (val === undefined) err('D_MACRO_UNDEF', line, `macro variable ${m} is not defined`);
      return String(val);
    });
  }

  clause(c: Clause): CheckedClause {
    const probes: ProbeInfo[] = [];
    const seen = new Set<number>();
    for (const d of c.descs) {
      const text = this.substituteMacros(d.text, d.line);
      const desc = /^[0-9]+$/.test(text) ? undefined : splitProbeDescription(text);
      const found = desc ? matchProbes(this.opts.catalog, desc) : this.opts.catalog.list().filter((p) => p.id === Number(text));
      if (found.length === 0 && !this.opts.allowZeroMatches) {
        err('D_PDESC_ZERO', d.line, `probe description ${desc ? `${desc.provider}:${desc.module}:${desc.func}:${desc.name}` : text} does not match any probes`);
      }
      for (const p of found) if (!seen.has(p.id)) { seen.add(p.id); probes.push(p); }
    }
    if (c.bare && !this.opts.specifierMode) err('D_SYNTAX', c.line, `syntax error near end of input`);
    this.probes = probes;
    this.recorded = false;
    this.speculated = false;
    this.destructive = false;
    this.onlyAggs = c.body.length > 0;
    if (c.pred) {
      this.expr(c.pred);
      if (!isScalar(c.pred.type) && !isString(c.pred.type)) err('D_PRED_SCALAR', c.pred.line, 'predicate result must be of scalar type');
    }
    this.stmts(c.body);
    return { clause: c, probes, aggregationsOnly: this.onlyAggs, usesDestructive: this.destructive };
  }

  stmts(list: Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  stmt(s: Stmt): void {
    switch (s.k) {
      case 'empty':
        return;
      case 'block':
        this.stmts(s.body);
        return;
      case 'if':
        this.onlyAggs = false;
        this.expr(s.cond);
        if (!isScalar(s.cond.type) && !isString(s.cond.type)) err('D_IF_SCALAR', s.line, 'if-statement condition must be of scalar type');
        this.stmts(s.then);
        if (s.else) this.stmts(s.else);
        return;
      case 'expr': {
        const e = s.expr;
        if (e.k === 'assign' && (e.l.k === 'agg' || (e.l.k === 'index' && e.l.base.k === 'agg'))) {
          this.aggAssign(e);
          return;
        }
        this.onlyAggs = false;
        if (e.k === 'call' && callSignatures[e.fn]?.kind === 'action') {
          this.action(e as Extract<Expr, { k: 'call' }>);
          return;
        }
        if (this.speculated) err('D_ACT_SPEC', s.line, 'speculate( ) must be the first data-recording action in a clause');
        this.expr(e);
        return;
      }
    }
  }

  // ---- aggregations ----------------------------------------------------------------------------
  aggAssign(e: Extract<Expr, { k: 'assign' }>): void {
    const target = e.l;
    const name = target.k === 'agg' ? target.name : (target as Extract<Expr, { k: 'index' }>).base.k === 'agg' ? ((target as Extract<Expr, { k: 'index' }>).base as Extract<Expr, { k: 'agg' }>).name : '';
    const keys = target.k === 'index' ? target.args : [];
    const aggLabel = `@${name}`;
    if (e.op !== '=') err('D_OP_INCOMPAT', e.line, `operator ${e.op} may not be applied to aggregation ${aggLabel}`);
    const r = e.r;
    if (r.k !== 'call' || callSignatures[r.fn]?.kind !== 'agg') {
      err('D_AGG_FUNC', e.line, `${aggLabel} must be assigned the result of an aggregating function`);
    }
    const sig = callSignatures[r.fn]!;
    this.checkArgCount(r.fn, r.args.length, sig, e.line);
    for (const k of keys) this.expr(k);
    for (const a of r.args) {
      this.expr(a);
      if (!isArith(a.type) && !isPointer(a.type)) {
        err('D_PROTO_ARG', e.line, `${r.fn}( ) argument #${r.args.indexOf(a) + 1} is incompatible with prototype:\n\tprototype: integer\n\t argument: ${typeName(a.type!)}`);
      }
    }
    const keyTypes = keys.map((k) => this.keyType(k.type!));
    const params: bigint[] = [];
    if (r.fn === 'lquantize') {
      const low = this.aggConst(r, 1), high = this.aggConst(r, 2);
      const step = r.args.length > 3 ? this.aggConst(r, 3) : 1n;
      if (step <= 0n) err('D_LQUANT_STEPSMALL', e.line, 'lquantize( ) step must be greater than zero');
      if (high <= low) err('D_LQUANT_MISMATCH', e.line, 'lquantize( ) upper bound must be greater than lower bound');
      if ((high - low) / step > 0xffffn) err('D_LQUANT_STEPLARGE', e.line, 'lquantize( ) step too large for the bounds');
      if ((high - low) % step !== 0n) err('D_LQUANT_MISMATCH', e.line, 'lquantize( ) upper bound must be reachable from lower bound by steps');
      params.push(low, high, step);
    } else if (r.fn === 'llquantize') {
      const factor = this.aggConst(r, 1), low = this.aggConst(r, 2), high = this.aggConst(r, 3), steps = this.aggConst(r, 4);
      if (factor < 2n) err('D_LLQUANT_FACTORSMALL', e.line, 'llquantize( ) factor must be greater than or equal to 2');
      if (low < 0n) err('D_LLQUANT_LOWVAL', e.line, 'llquantize( ) low magnitude must be greater than or equal to 0');
      if (high < low) err('D_LLQUANT_HIGHVAL', e.line, 'llquantize( ) high magnitude must be greater than or equal to low magnitude');
      if (steps < factor ? factor % steps !== 0n : steps % factor !== 0n) err('D_LLQUANT_NSTEPMATCH', e.line, 'llquantize( ) factor must be a multiple of the number of steps or vice versa');
      params.push(factor, low, high, steps);
    }
    const prev = this.aggs.get(name);
    if (prev) {
      if (prev.fn !== r.fn || prev.params.join() !== params.join()) {
        err('D_AGG_REDEF', e.line, `aggregation redefined: ${aggLabel}\n\t current: ${r.fn}( )\n\tprevious: ${prev.fn}( )`);
      }
      if (prev.keys.length !== keyTypes.length || prev.keys.some((k, i) => !sameKeyType(k, keyTypes[i]!))) {
        err('D_AGG_REDEF', e.line, `${aggLabel} key #${Math.min(prev.keys.length, keyTypes.length) + 1} redeclared`);
      }
    } else {
      this.aggs.set(name, { name, id: this.aggs.size + 1, fn: r.fn, keys: keyTypes, params, line: e.line });
    }
    (e as unknown as { agg: AggInfo }).agg = this.aggs.get(name)!;
    if (this.speculated) err('D_AGG_SPEC', e.line, 'aggregating actions may not follow speculate( )');
  }

  aggConst(r: Extract<Expr, { k: 'call' }>, i: number): bigint {
    const a = r.args[i]!;
    const v = this.tryConst(a);
    if (v === undefined) err('D_LQUANT_BASEVAL', a.line, `${r.fn}( ) argument #${i + 1} must be a non-zero positive integer constant`);
    return v;
  }

  /** Aggregation keys and assoc keys: strings stay strings, integers keep their width. */
  keyType(t: DType): DType {
    if (isStringish(t)) return T.string;
    if (t.kind === 'enum') return T.int;
    return t;
  }

  // ---- actions ----------------------------------------------------------------------------------
  checkArgCount(fn: string, n: number, sig: { min: number; max: number }, line: number): void {
    if (n >= sig.min && n <= sig.max) return;
    const expect = sig.min === sig.max ? `${sig.min}` : n < sig.min ? `at least ${sig.min}` : `no more than ${sig.max}`;
    const bound = n < sig.min ? sig.min : sig.max;
    err('D_PROTO_LEN', line, `${fn}( ) prototype mismatch: ${n} arg${n === 1 ? '' : 's'} passed, ${expect} ${bound === 1 && sig.min === sig.max ? 'is' : 'are'} expected`);
  }

  action(e: Extract<Expr, { k: 'call' }>): void {
    const sig = callSignatures[e.fn]!;
    this.checkArgCount(e.fn, e.args.length, sig, e.line);
    if (sig.destructive) this.destructive = true;
    const fn = e.fn;
    if (fn === 'speculate') {
      if (this.recorded) err('D_ACT_SPEC', e.line, 'speculate( ) may not follow data-recording actions');
      if (this.speculated) err('D_ACT_SPEC', e.line, 'only one speculate( ) may be specified per clause');
      this.speculated = true;
    } else if (fn === 'commit' || fn === 'discard') {
      if (this.speculated) err('D_ACT_SPEC', e.line, `${fn}( ) may not follow speculate( )`);
      if (this.recorded) err('D_ACT_SPEC', e.line, `${fn}( ) may not follow data-recording actions`);
    } else if (dataRecordingActions.has(fn)) {
      this.recorded = true;
    } else if (this.speculated && (fn === 'clear' || fn === 'trunc' || fn === 'normalize' || fn === 'denormalize' || sig.destructive)) {
      err('D_ACT_SPEC', e.line, `${fn}( ) may not follow speculate( )`);
    }
    if (fn === 'printa' || fn === 'clear' || fn === 'trunc' || fn === 'normalize' || fn === 'denormalize') {
      this.aggAction(e);
      return;
    }
    for (const a of e.args) this.expr(a);
    if (fn === 'printf' || fn === 'system' || fn === 'freopen') {
      const f = e.args[0]!;
      if (f.k !== 'str') err('D_PRINTF_DYN_STR', e.line, `${fn}( ) format string must be a constant string`);
      checkPrintfFormat(fn, f.value, e.args.slice(1), e.line, false);
      return;
    }
    if (fn === 'trace' || fn === 'print') {
      const t = e.args[0]!.type!;
      if (t.kind === 'void') err('D_TRACE_VOID', e.line, `${fn}( ) may not be applied to a void expression`);
      if (e.args[0]!.k === 'agg') err('D_TRACE_AGG', e.line, `${fn}( ) may not be applied to an aggregation`);
      if (fn === 'trace' && t.kind === 'struct') err('D_TRACE_DYN', e.line, 'trace( ) may not be applied to a dynamic expression');
      return;
    }
    for (let i = 0; i < e.args.length; i++) this.checkArgKind(e.fn, sig.argKinds?.[i] ?? '*', e.args[i]!, i, undefined);
  }

  aggAction(e: Extract<Expr, { k: 'call' }>): void {
    const fn = e.fn;
    let args = e.args;
    let format: string | undefined;
    if (fn === 'printa' && args[0]!.k === 'str') {
      format = (args[0] as Extract<Expr, { k: 'str' }>).value;
      args = args.slice(1);
      if (args.length === 0) err('D_PRINTA_AGGARG', e.line, 'printa( ) argument #2 must be of type aggregation');
    }
    const aggArgs = fn === 'printa' ? args : [args[0]!];
    const infos: AggInfo[] = [];
    for (let i = 0; i < aggArgs.length; i++) {
      const a = aggArgs[i]!;
      if (a.k !== 'agg') {
        if (fn === 'printa') err('D_PRINTA_AGGARG', e.line, `printa( ) argument #${i + (format !== undefined ? 2 : 1)} must be of type aggregation`);
        err(fn === 'clear' ? 'D_CLEAR_AGGARG' : fn === 'trunc' ? 'D_TRUNC_AGGARG' : 'D_NORMALIZE_AGGARG', e.line, `${fn}( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${typeName(this.exprType(a))}`);
      }
      const info = this.aggs.get(a.name);
      if (!info) err('D_IDENT_UNDEF', e.line, `failed to resolve @${a.name}: Unknown variable name`);
      a.type = T.void;
      infos.push(info);
    }
    if (fn === 'printa' && infos.length > 1) {
      for (const inf of infos) {
        if (inf.keys.length !== infos[0]!.keys.length || inf.keys.some((k, i) => !sameKeyType(k, infos[0]!.keys[i]!))) {
          err('D_PRINTA_AGGKEY', e.line, `printa( ): aggregation key signatures do not match`);
        }
      }
    }
    if (format !== undefined) {
      checkPrintfFormat('printa', format, [], e.line, true, infos[0]!.keys, infos.length);
    }
    (e as unknown as { aggs: AggInfo[] }).aggs = infos;
    if (fn === 'trunc' || fn === 'normalize') {
      if (args[1]) {
        this.expr(args[1]);
        if (!isInteger(args[1].type)) err('D_PROTO_ARG', e.line, `${fn}( ) argument #2 is incompatible with prototype:\n\tprototype: uint64_t\n\t argument: ${typeName(args[1].type!)}`);
      }
    }
  }

  exprType(e: Expr): DType {
    if (e.k === 'agg') return T.void;
    this.expr(e);
    return e.type!;
  }

  checkArgKind(fn: string, kind: string, a: Expr, i: number, proto: string | undefined): void {
    const t = a.type!;
    let ok = true;
    if (kind === 's') ok = isStringish(t);
    else if (kind === 'i') ok = isInteger(t);
    else if (kind === 'p') ok = isInteger(t) || isPointer(t);
    else if (kind === 'a') ok = a.k === 'agg';
    if (!ok) {
      const protoText = proto ?? (kind === 's' ? 'string' : kind === 'i' ? 'int' : kind === 'p' ? 'uintptr_t' : 'aggregation');
      err('D_PROTO_ARG', a.line, `${fn}( ) argument #${i + 1} is incompatible with prototype:\n\tprototype: ${protoText}\n\t argument: ${typeName(t)}`);
    }
  }

  // ---- expressions -----------------------------------------------------------------------------
  expr(e: Expr): DType {
    const t = this.exprInner(e);
    e.type = t;
    return t;
  }

  lookupVar(scope: 'global' | 'self' | 'this', name: string): VarInfo | undefined {
    return (scope === 'global' ? this.globals : scope === 'self' ? this.thread : this.local).get(name);
  }

  exprInner(e: Expr): DType {
    switch (e.k) {
      case 'int': {
        const v = e.value;
        if (e.long || e.unsigned) {
          if (e.long) return e.unsigned ? T.ulong : v > 0x7fffffffffffffffn ? T.ulong : T.long;
          return v > 0xffffffffn ? T.ulong : T.uint;
        }
        if (v <= 0x7fffffffn) return T.int;
        if (v <= 0xffffffffn && /^0/.test(e.text)) return T.uint;
        if (v <= 0x7fffffffffffffffn) return T.long;
        return T.ulong;
      }
      case 'float':
        err('D_FLOAT', e.line, 'floating-point constants are not permitted');
      // falls through (never returns)
      case 'str':
        return T.string;
      case 'macro': {
        const args = this.opts.macroArgs;
        let text: string;
        if (e.index < args.length) text = args[e.index]!;
        else if (this.opts.defaultArgs) text = e.str ? '' : '0';
        else err('D_MACRO_UNDEF', e.line, `macro argument $${e.str ? '$' : ''}${e.index} is not defined`);
        if (e.str) {
          (e as unknown as { constString: string }).constString = text;
          return T.string;
        }
        const m = /^\s*(-?)(0[xX][0-9a-fA-F]+|[0-9]+)\s*$/.exec(text);
        if (m) {
          const v = BigInt(m[2]!.startsWith('0') && m[2]!.length > 1 && !/^0[xX]/.test(m[2]!) ? '0o' + m[2]!.slice(1) : m[2]!);
          (e as unknown as { constValue: bigint }).constValue = m[1] ? -v : v;
          return v > 0x7fffffffn ? T.long : T.int;
        }
        if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(text)) {
          // An identifier-like argument becomes that identifier, as dt_lex.l substitutes it.
          const id: Expr = { k: 'ident', name: text, line: e.line };
          const t = this.expr(id);
          (e as unknown as { asIdent: Expr }).asIdent = id;
          return t;
        }
        (e as unknown as { constString: string }).constString = text;
        return T.string;
      }
      case 'macrovar': {
        const v = this.opts.macroVars[e.name];
        if (v === undefined) err('D_MACRO_UNDEF', e.line, `macro variable $${e.name} is not defined`);
        return e.name === 'pid' || e.name === 'ppid' || e.name === 'target' || e.name === 'pgid' || e.name === 'sid' ? T.pid : T.int;
      }
      case 'ident': {
        const v = this.globals.get(e.name);
        if (v) {
          if (v.keys) err('D_ARR_BADREF', e.line, `${e.name} is an associative array and must be indexed`);
          (e as unknown as { res: string }).res = 'global';
          return v.type;
        }
        if (e.name === 'curpsinfo') { (e as unknown as { res: string }).res = 'builtin'; return { kind: 'ptr', to: PSINFO, name: 'psinfo_t *' }; }
        if (e.name in builtinVariables && e.name !== 'args') {
          (e as unknown as { res: string }).res = 'builtin';
          return builtinVariables[e.name]!;
        }
        const inl = this.inlines.get(e.name);
        if (inl) { (e as unknown as { res: string }).res = 'inline'; return inl.type; }
        if (this.enums.has(e.name)) { (e as unknown as { res: string }).res = 'enum'; return T.int; }
        if (e.name === 'args') err('D_ARGS_IDX', e.line, 'args[ ] must be indexed');
        err('D_IDENT_UNDEF', e.line, `failed to resolve ${e.name}: Unknown variable name`);
      }
      // falls through (never returns)
      case 'self':
      case 'this': {
        const v = this.lookupVar(e.k, e.name);
        if (!v) err('D_IDENT_UNDEF', e.line, `failed to resolve ${e.k}->${e.name}: Unknown variable name`);
        return v.type;
      }
      case 'agg':
        err('D_AGG_SCALAR', e.line, `aggregation @${e.name} may not be used in an expression`);
      // falls through (never returns)
      case 'index':
        return this.index(e);
      case 'call':
        return this.call(e);
      case 'member': {
        const bt = this.expr(e.base);
        let st: DType | undefined = bt;
        if (e.arrow) {
          if (bt.kind !== 'ptr') err('D_OP_PTR', e.line, `operator -> must be applied to a pointer`);
          st = bt.to;
        } else if (bt.kind === 'ptr') err('D_OP_SOU', e.line, `operator . must be applied to a struct or union`);
        if (st.kind !== 'struct') err('D_OP_SOU', e.line, `operator ${e.arrow ? '->' : '.'} cannot be applied to a forward declaration: no ${typeName(st)} definition is available`);
        if (!st.complete) err('D_OP_INCOMPLETE', e.line, `operator ${e.arrow ? '->' : '.'} cannot be applied to a forward declaration: no ${typeName(st)} definition is available`);
        const m = st.members.find((x) => x.name === e.name);
        if (!m) err('D_TYPE_MEMBER', e.line, `${e.name} is not a member of ${typeName(st)}`);
        (e as unknown as { offset: number }).offset = m.offset;
        return m.type;
      }
      case 'unary':
        return this.unary(e);
      case 'postfix': {
        const t = this.expr(e.expr);
        this.checkLvalue(e.expr, e.op);
        if (!isScalar(t)) err('D_OP_SCALAR', e.line, `operator ${e.op} requires an operand of scalar type`);
        return t;
      }
      case 'binary':
        return this.binary(e);
      case 'assign':
        return this.assign(e);
      case 'cond': {
        const ct = this.expr(e.c);
        if (!isScalar(ct) && !isString(ct)) err('D_OP_SCALAR', e.line, 'operator ?: requires a scalar first operand');
        const a = this.expr(e.t);
        const b = this.expr(e.f);
        if (isArith(a) && isArith(b)) return promote(a, b);
        if (isStringish(a) && isStringish(b)) return isString(a) || isString(b) ? T.string : a;
        if (isPointer(a) && (isPointer(b) || isInteger(b))) return a;
        if (isPointer(b) && isInteger(a)) return b;
        if (a.kind === b.kind && a.kind === 'struct' && a === b) return a;
        err('D_OP_INCOMPAT', e.line, `operator ?: operands must have compatible types`);
      }
      // falls through (never returns)
      case 'cast': {
        const from = this.expr(e.expr);
        const to = this.resolveType(e.to, e.line);
        if (to.kind === 'string') {
          if (!isStringish(from)) err('D_CAST_INVAL', e.line, `invalid cast expression: "${typeName(from)}" to "string"`);
          return to;
        }
        if ((to.kind === 'struct' || from.kind === 'struct') && to !== from) err('D_CAST_INVAL', e.line, `invalid cast expression: "${typeName(from)}" to "${typeName(to)}"`);
        if (isString(from) && !isPointer(to)) err('D_CAST_INVAL', e.line, `invalid cast expression: "string" to "${typeName(to)}"`);
        return to;
      }
      case 'sizeof': {
        let t: DType;
        if (e.to) t = this.resolveType(e.to, e.line);
        else t = this.expr(e.expr!);
        if (t.kind === 'void' && e.to) err('D_SIZEOF_TYPE', e.line, 'cannot apply sizeof to an expression of void type');
        (e as unknown as { constValue: bigint }).constValue = BigInt(sizeOf(t));
        return T.size;
      }
      case 'offsetof': {
        const t = this.resolveType(e.to, e.line);
        if (t.kind !== 'struct') err('D_OFFSETOF_TYPE', e.line, 'offsetof( ) first argument must be a struct or union type');
        const m = t.members.find((x) => x.name === e.member);
        if (!m) err('D_UNKNOWN', e.line, `${typeName(t)} does not contain member ${e.member}`);
        (e as unknown as { constValue: bigint }).constValue = BigInt(m.offset);
        return T.size;
      }
      case 'stringof': {
        const t = this.expr(e.expr);
        if (!isScalar(t) && !isString(t) && t.kind !== 'array') err('D_STRINGOF_TYPE', e.line, `cannot apply stringof to a value of type ${typeName(t)}`);
        return T.string;
      }
      case 'comma':
        this.expr(e.l);
        return this.expr(e.r);
    }
  }

  index(e: Extract<Expr, { k: 'index' }>): DType {
    const b = e.base;
    if (b.k === 'ident' && b.name === 'args' && !this.globals.has('args')) {
      (e as unknown as { res: string }).res = 'args';
      if (e.args.length !== 1) err('D_ARGS_MULTI', e.line, 'args[ ] may not be referenced using a tuple');
      this.expr(e.args[0]!);
      const idx = this.tryConst(e.args[0]!);
      if (idx === undefined) err('D_ARGS_IDX', e.line, 'args[ ] index must be an integer constant');
      const p = this.probes[0];
      const types = p?.argTypes;
      if (!types || idx < 0n || idx >= BigInt(types.length)) {
        err('D_ARGS_IDX', e.line, `index ${idx} is out of range for ${p ? `${p.provider}:${p.module}:${p.func}:${p.name}` : 'probe'} args[ ]`);
      }
      (e as unknown as { argIndex: number }).argIndex = Number(idx);
      return parseCType(types[Number(idx)]!, this.typedefs, this.structs);
    }
    if (b.k === 'ident' && b.name === 'uregs' && !this.globals.has('uregs')) {
      (e as unknown as { res: string }).res = 'uregs';
      for (const a of e.args) this.expr(a);
      return T.uint64;
    }
    if (b.k === 'ident' || b.k === 'self' || b.k === 'this') {
      const scope = b.k === 'ident' ? 'global' : b.k;
      const v = this.lookupVar(scope, b.name);
      if (b.k === 'ident' && !v && (b.name in builtinVariables || this.inlines.has(b.name))) {
        // Indexing a scalar: fall through to pointer/array indexing below.
      } else {
        if (!v) err('D_IDENT_UNDEF', e.line, `failed to resolve ${b.k === 'ident' ? b.name : `${b.k}->${b.name}`}: Unknown variable name`);
        if (v.keys) {
          (e as unknown as { res: string }).res = 'assoc';
          this.checkKeys(v, e.args, e.line);
          return v.type;
        }
      }
    }
    // array or pointer indexing
    const bt = this.expr(b);
    if (e.args.length !== 1) err('D_IDX_MULTI', e.line, 'array index expression has too many elements');
    const it = this.expr(e.args[0]!);
    if (!isInteger(it)) err('D_OP_INT', e.line, 'operator [ ] requires an operand of integral type');
    if (bt.kind === 'ptr') { (e as unknown as { res: string }).res = 'ptr'; return bt.to; }
    if (bt.kind === 'array') { (e as unknown as { res: string }).res = 'ptr'; return bt.elem; }
    err('D_OP_PTR', e.line, 'operator [ ] must be applied to a pointer or array');
  }

  checkKeys(v: VarInfo, args: Expr[], line: number): void {
    for (const a of args) this.expr(a);
    const keys = v.keys!;
    if (keys.length !== args.length) {
      err('D_ARR_KEYCOUNT', line, `${v.name}[ ] key signature mismatch: ${args.length} key${args.length === 1 ? '' : 's'} used, ${keys.length} expected`);
    }
    for (let i = 0; i < keys.length; i++) {
      const kt = keys[i]!;
      const at = args[i]!.type!;
      if (!(isStringish(kt) ? isStringish(at) : isScalar(kt) ? isScalar(at) : kt === at)) {
        err('D_ARR_KEYTYPE', line, `${v.name}[ ] key #${i + 1} is incompatible with prototype:\n\tprototype: ${typeName(kt)}\n\t argument: ${typeName(at)}`);
      }
    }
  }

  call(e: Extract<Expr, { k: 'call' }>): DType {
    const sig = callSignatures[e.fn];
    if (!sig) err('D_FUNC_UNDEF', e.line, `failed to resolve ${e.fn}: Unknown function name`);
    if (sig.kind === 'action') err('D_ACT_EXPR', e.line, `${e.fn}( ) may not be used in an expression`);
    if (sig.kind === 'agg') err('D_AGG_FUNC', e.line, `${e.fn}( ) may only be used as the value of an aggregation`);
    this.checkArgCount(e.fn, e.args.length, sig, e.line);
    for (let i = 0; i < e.args.length; i++) {
      this.expr(e.args[i]!);
      this.checkArgKind(e.fn, sig.argKinds?.[i] ?? '*', e.args[i]!, i, sig.protos?.[i]);
    }
    if (this.speculated && (e.fn === 'copyinto' || e.fn === 'bcopy')) this.onlyAggs = false;
    return sig.ret;
  }

  checkLvalue(e: Expr, op: string): void {
    const ok =
      (e.k === 'ident' && (e as unknown as { res: string }).res === 'global') ||
      e.k === 'self' || e.k === 'this' ||
      (e.k === 'index' && (e as unknown as { res: string }).res === 'assoc') ||
      (e.k === 'index' && (e as unknown as { res: string }).res === 'ptr') ||
      e.k === 'member' || (e.k === 'unary' && e.op === '*');
    if (!ok) err('D_OP_LVAL', e.line, `operator ${op} requires modifiable lvalue as an operand`);
  }

  unary(e: Extract<Expr, { k: 'unary' }>): DType {
    const t = this.expr(e.expr);
    switch (e.op) {
      case '-':
      case '+':
        if (!isArith(t)) err('D_OP_ARITH', e.line, `operator ${e.op} requires an operand of arithmetic type`);
        return promote(t);
      case '~':
        if (!isInteger(t)) err('D_OP_INT', e.line, 'operator ~ requires an operand of integral type');
        return promote(t);
      case '!':
        if (!isScalar(t) && !isString(t)) err('D_OP_SCALAR', e.line, 'operator ! requires an operand of scalar type');
        return T.int;
      case '*':
        if (t.kind === 'ptr') {
          if (t.to.kind === 'void') err('D_DEREF_VOID', e.line, 'cannot dereference a pointer to void');
          return t.to;
        }
        if (t.kind === 'array') return t.elem;
        err('D_DEREF_NONPTR', e.line, 'cannot dereference non-pointer type');
      // falls through (never returns)
      case '&':
        if (!(e.expr.k === 'member' || (e.expr.k === 'unary' && e.expr.op === '*') || (e.expr.k === 'index' && (e.expr as unknown as { res: string }).res === 'ptr'))) {
          err('D_ADDROF_VAR', e.line, 'cannot take address of dynamic variable');
        }
        return { kind: 'ptr', to: t };
      case '++':
      case '--':
        this.checkLvalue(e.expr, e.op);
        if (!isScalar(t)) err('D_OP_SCALAR', e.line, `operator ${e.op} requires an operand of scalar type`);
        return t;
    }
  }

  binary(e: Extract<Expr, { k: 'binary' }>): DType {
    const a = this.expr(e.l);
    const b = this.expr(e.r);
    const incompat = (): never => err('D_OP_INCOMPAT', e.line, `operands have incompatible types: "${typeName(a)}" ${e.op} "${typeName(b)}"`);
    switch (e.op) {
      case '&&':
      case '||':
      case '^^':
        if ((!isScalar(a) && !isString(a)) || (!isScalar(b) && !isString(b))) err('D_OP_SCALAR', e.line, `operator ${e.op} requires operands of scalar type`);
        return T.int;
      case '==':
      case '!=':
      case '<':
      case '>':
      case '<=':
      case '>=':
        if (isStringish(a) && isStringish(b) && (isString(a) || isString(b))) { (e as unknown as { strcmp: boolean }).strcmp = true; return T.int; }
        if (isScalar(a) && isScalar(b)) return T.int;
        if (a.kind === 'enum' && b.kind === 'enum') return T.int;
        return incompat();
      case '+':
      case '-':
        if (isArith(a) && isArith(b)) return promote(a, b);
        if (isPointer(a) && isInteger(b)) return a.kind === 'array' ? { kind: 'ptr', to: a.elem } : a;
        if (e.op === '+' && isInteger(a) && isPointer(b)) return b.kind === 'array' ? { kind: 'ptr', to: b.elem } : b;
        if (e.op === '-' && isPointer(a) && isPointer(b)) return T.long;
        return incompat();
      case '*':
      case '/':
      case '%':
        if (isArith(a) && isArith(b)) return promote(a, b);
        return incompat();
      default:
        // << >> & | ^
        if (isInteger(a) && isInteger(b)) return e.op === '<<' || e.op === '>>' ? promote(a) : promote(a, b);
        if (!isInteger(a) || !isInteger(b)) err('D_OP_INT', e.line, `operator ${e.op} requires operands of integral type`);
        return incompat();
    }
  }

  assign(e: Extract<Expr, { k: 'assign' }>): DType {
    const l = e.l;
    if (l.k === 'agg' || (l.k === 'index' && l.base.k === 'agg')) err('D_AGG_SCALAR', e.line, 'aggregation may not be used in an expression');
    const rt = this.expr(e.r);
    if (rt.kind === 'void') err('D_OP_VOID', e.line, `operator ${e.op} requires an operand that is not of type void`);
    const declare = (scope: 'global' | 'self' | 'this', name: string, keys?: Expr[]): VarInfo => {
      const map = scope === 'global' ? this.globals : scope === 'self' ? this.thread : this.local;
      let v = map.get(name);
      if (!v) {
        if (e.op !== '=') err('D_IDENT_UNDEF', e.line, `failed to resolve ${scope === 'global' ? name : `${scope}->${name}`}: Unknown variable name`);
        let t: DType = rt;
        if (isStringish(rt) && rt.kind !== 'ptr') t = T.string;
        if (t.kind === 'array') t = { kind: 'ptr', to: t.elem };
        if (keys) for (const k of keys) this.expr(k);
        v = { name, type: t, scope, keys: keys?.map((k) => this.keyType(k.type!)) };
        map.set(name, v);
      }
      return v;
    };
    let v: VarInfo | undefined;
    if (l.k === 'ident' && !(l.name in builtinVariables) && !this.inlines.has(l.name) && !this.enums.has(l.name)) {
      v = declare('global', l.name);
      if (v.keys) err('D_ARR_BADREF', e.line, `${l.name} is an associative array and must be indexed`);
      (l as unknown as { res: string }).res = 'global';
      l.type = v.type;
    } else if (l.k === 'self' || l.k === 'this') {
      v = declare(l.k, l.name);
      l.type = v.type;
    } else if (l.k === 'index' && (l.base.k === 'ident' || l.base.k === 'self' || l.base.k === 'this') && !(l.base.k === 'ident' && (l.base.name === 'args' || l.base.name in builtinVariables))) {
      const scope = l.base.k === 'ident' ? 'global' : l.base.k;
      const existing = this.lookupVar(scope, l.base.name);
      if (!existing || existing.keys) {
        v = declare(scope, l.base.name, l.args);
        if (!v.keys) err('D_ARR_BADREF', e.line, `${l.base.name} is not an associative array`);
        (l as unknown as { res: string }).res = 'assoc';
        this.checkKeys(v, l.args, e.line);
        l.type = v.type;
      } else {
        this.expr(l);
      }
    } else {
      this.expr(l);
    }
    this.checkLvalue(l, e.op);
    const lt = l.type!;
    if (e.op === '=') {
      if (!assignable(lt, rt)) err('D_OP_INCOMPAT', e.line, `operands have incompatible types: "${typeName(lt)}" = "${typeName(rt)}"`);
    } else if (e.op === '+=' || e.op === '-=') {
      if (!(isArith(lt) && isArith(rt)) && !(isPointer(lt) && isInteger(rt))) err('D_OP_INCOMPAT', e.line, `operands have incompatible types: "${typeName(lt)}" ${e.op} "${typeName(rt)}"`);
    } else if (!isInteger(lt) || !isInteger(rt)) {
      if (!(e.op === '*=' || e.op === '/=' || e.op === '%=') || !isArith(lt) || !isArith(rt)) err('D_OP_INT', e.line, `operator ${e.op} requires operands of integral type`);
    }
    return lt;
  }
}

function sameKeyType(a: DType, b: DType): boolean {
  if (isStringish(a) && isStringish(b)) return true;
  if (isInteger(a) && isInteger(b)) return intShape(a).size === intShape(b).size;
  if (isPointer(a) && isPointer(b)) return true;
  return a === b;
}

/** Runs the semantic pass over a parsed program. Throws DCompileError on the first error. */
export function checkProgram(program: Program, opts: SemaOptions): SemaResult {
  return new Checker(opts).run(program);
}

export { voidPtr };
