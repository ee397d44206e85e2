// Semantic analysis: resolves declarations and types, checks expressions and statements with
// gcc's messages, and produces the typed tree (typed.ts) with every implicit conversion explicit:
// integer promotions, the usual arithmetic conversions, array/function decay, pointer scaling,
// default argument promotions, implicit declarations. It also evaluates constant expressions
// (array sizes, case labels, enum values, static initializers) and flattens initializers.
import type * as A from './ast.js';
import * as I64 from '../runtime/int64.js';
import type { Diagnostic } from './diagnostics.js';
import { lookupIntrinsic, type IntrinsicDef, type IntrinsicMode } from './intrinsics.js';
import {
  findMember, isArith, isInt, isPtr, isScalar, isStruct, sameType, typeToString, Types, VOID,
  type CType, type Member, type Rec, type Target,
} from './types.js';
import type { BinOp, FuncInfo, InitItem, Reloc, TExpr, TFunction, TGlobal, TStmt, VarInfo } from './typed.js';

type FuncType = Extract<CType, { k: 'func' }>;
type IntType = Extract<CType, { k: 'int' }>;

type ScopeEntry =
  | { kind: 'var'; v: VarInfo }
  | { kind: 'func'; f: FuncInfo }
  | { kind: 'typedef'; t: CType }
  | { kind: 'enumconst'; v: bigint; t: CType };

class Scope {
  names = new Map<string, ScopeEntry>();
  tags = new Map<string, { rec?: Rec; enumType?: CType }>();
  constructor(readonly parent: Scope | null) {}
  find(name: string): ScopeEntry | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const e = s.names.get(name);
      if (e) return e;
    }
    return undefined;
  }
  findTag(name: string): { rec?: Rec; enumType?: CType } | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const e = s.tags.get(name);
      if (e) return e;
    }
    return undefined;
  }
}

/** A constant value: an integer, a float, or an address (symbol + offset). */
export type ConstValue = { k: 'int'; v: bigint } | { k: 'float'; v: number } | { k: 'addr'; sym: string; off: bigint };

class Bail extends Error {}

export interface SemaResult {
  functions: TFunction[];
  globals: TGlobal[];
  /** Every function referenced or declared: name -> info (undefined ones are external references). */
  funcs: Map<string, FuncInfo>;
  /** Global variables referenced but not defined here (extern). */
  externVars: Set<string>;
  diagnostics: Diagnostic[];
}

export interface SemaOptions {
  target: Target;
  mode: IntrinsicMode;
}

/** Checks a translation unit and produces the typed tree. */
export function analyze(unit: A.TranslationUnit, opts: SemaOptions): SemaResult {
  const s = new Sema(opts);
  s.unit(unit);
  return s.result();
}

const nullLoc: A.Loc = { file: '<builtin>', line: 0, col: 0 };

export class Sema {
  readonly T: Types;
  readonly mode: IntrinsicMode;
  diags: Diagnostic[] = [];
  private file: Scope = new Scope(null);
  private scope: Scope = this.file;
  private functions: TFunction[] = [];
  private globals = new Map<string, TGlobal>();
  private globalOrder: string[] = [];
  private funcs = new Map<string, FuncInfo>();
  private globalVars = new Map<string, VarInfo>();
  private externVars = new Set<string>();
  private varIds = 0;
  private strCount = 0;
  private staticCount = 0;
  private strings = new Map<string, string>();
  // Per-function state
  private fn: { info: FuncInfo; locals: VarInfo[]; labels: Set<string>; gotos: { name: string; loc: A.Loc }[]; undeclared: Set<string>; usesVa: boolean; usesAlloca: boolean; retType: CType } | null = null;
  private loops: { kind: 'loop' | 'switch'; sw?: Extract<TStmt, { s: 'switch' }> }[] = [];
  private caseIds = 0;

  constructor(opts: SemaOptions) {
    this.T = new Types(opts.target);
    this.mode = opts.mode;
  }

  result(): SemaResult {
    return {
      functions: this.functions,
      globals: this.globalOrder.map((n) => this.globals.get(n)!),
      funcs: this.funcs,
      externVars: new Set([...this.externVars].filter((n) => !this.globals.has(n))),
      diagnostics: this.diags,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  error(loc: A.Loc | undefined, message: string): void {
    this.diags.push({ severity: 'error', message, loc });
  }
  warn(loc: A.Loc | undefined, message: string): void {
    this.diags.push({ severity: 'warning', message, loc });
  }
  note(loc: A.Loc | undefined, message: string): void {
    this.diags.push({ severity: 'note', message, loc });
  }
  sorry(loc: A.Loc | undefined, what: string): never {
    this.diags.push({ severity: 'error', message: `sorry, unimplemented: ${what}`, loc });
    throw new Bail();
  }

  // -------------------------------------------------------------------------------------------
  // Translation unit

  unit(u: A.TranslationUnit): void {
    for (const d of u.decls) {
      try {
        if (d.kind === 'function') this.functionDef(d);
        else if (d.kind === 'declaration') this.declaration(d, true);
        else this.staticAssert(d);
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
      }
    }
    // Tentative definitions of incomplete arrays become one element.
    for (const g of this.globals.values()) {
      if (g.size < 0) g.size = 0;
    }
  }

  private staticAssert(d: A.StaticAssert): void {
    const v = this.intConst(d.cond, 'static assertion');
    if (v === 0n) this.error(d.loc, `static assertion failed${d.message !== undefined ? `: "${d.message}"` : ''}`);
  }

  // -------------------------------------------------------------------------------------------
  // Types from syntax

  /** Resolves declaration specifiers to a base type. */
  specsType(specs: A.DeclSpecs): CType {
    let t = this.baseType(specs.base, specs.loc, specs.attributes);
    if (specs.const || specs.volatile) t = { ...t, const: specs.const || t.const, volatile: specs.volatile || t.volatile };
    return t;
  }

  private baseType(b: A.BaseTypeSyntax, loc: A.Loc, attrs: A.Attribute[]): CType {
    const T = this.T;
    switch (b.kind) {
      case 'builtin_va_list':
        return T.voidPtr;
      case 'typedefName': {
        const e = this.scope.find(b.name);
        if (e?.kind === 'typedef') return e.t;
        this.error(loc, `unknown type name '${b.name}'`);
        return T.int;
      }
      case 'typeof': {
        if (b.type) return this.typeName(b.type);
        if (b.expr) {
          const x = this.withoutEval(() => this.expr(b.expr!));
          if (x.e === 'member' && x.m.bitWidth !== undefined) this.error(loc, "'typeof' applied to a bit-field");
          return x.t;
        }
        return T.int;
      }
      case 'enum':
        return this.enumType(b);
      case 'struct':
        return this.structType(b, attrs);
      case 'keywords':
        return this.keywordType(b.words, loc);
    }
  }

  private keywordType(words: string[], loc: A.Loc): CType {
    const T = this.T;
    const count = (w: string) => words.filter((x) => x === w).length;
    const unsigned = count('unsigned') > 0;
    const signed = count('signed') > 0;
    const longs = count('long');
    if (words.includes('void')) return VOID;
    if (words.includes('_Bool')) return T.bool;
    if (words.includes('float')) return T.float;
    if (words.includes('double')) return longs ? T.ldouble : T.double;
    if (words.includes('_Complex')) this.sorry(loc, 'complex types');
    if (words.includes('__int128')) this.sorry(loc, '__int128');
    if (words.includes('char')) return unsigned ? T.uchar : signed ? T.schar : T.char;
    if (words.includes('short')) return unsigned ? T.ushort : T.short;
    if (longs >= 2) return unsigned ? T.ullong : T.llong;
    if (longs === 1) return unsigned ? T.ulong : T.long;
    return unsigned ? T.uint : T.int;
  }

  private enumType(b: Extract<A.BaseTypeSyntax, { kind: 'enum' }>): CType {
    if (b.enumerators === undefined) {
      if (b.tag) {
        const found = this.scope.findTag(b.tag);
        if (found?.enumType) return found.enumType;
      }
      return { ...(this.T.uint as IntType), enumTag: b.tag };
    }
    let next = 0n;
    let anyNegative = false;
    const values: [A.Enumerator, bigint][] = [];
    for (const en of b.enumerators) {
      const v = en.value ? this.intConst(en.value, 'enumerator value') : next;
      values.push([en, v]);
      if (v < 0n) anyNegative = true;
      next = v + 1n;
      this.scope.names.set(en.name, { kind: 'enumconst', v, t: this.T.int });
    }
    const t: CType = { ...((anyNegative ? this.T.int : this.T.uint) as IntType), enumTag: b.tag };
    if (b.tag) this.scope.tags.set(b.tag, { enumType: t });
    return t;
  }

  private structType(b: Extract<A.BaseTypeSyntax, { kind: 'struct' }>, specAttrs: A.Attribute[]): CType {
    let rec: Rec | undefined;
    if (b.tag) {
      const found = b.members ? this.scope.tags.get(b.tag) : this.scope.findTag(b.tag);
      if (found?.rec) {
        if (found.rec.union !== b.union) this.error(b.loc, `'${b.tag}' defined as wrong kind of tag`);
        rec = found.rec;
        if (b.members && rec.complete) {
          this.error(b.loc, `redefinition of '${b.union ? 'union' : 'struct'} ${b.tag}'`);
          rec = undefined;
        }
      }
    }
    if (!rec) {
      rec = this.T.newRec(b.union, b.tag);
      if (b.tag) this.scope.tags.set(b.tag, { rec });
    }
    if (b.members) {
      const attrs = [...b.attributes, ...specAttrs];
      const packed = attrs.some((a) => a.name === 'packed' || a.name === '__packed__');
      const alignAttr = attrs.find((a) => a.name === 'aligned' || a.name === '__aligned__');
      const members: { name?: string; type: CType; bitWidth?: number; alignAttr?: number }[] = [];
      const seen = new Set<string>();
      for (const md of b.members) {
        const base = this.specsType(md.specs);
        if (md.declarators.length === 0) {
          if (base.k === 'struct') members.push({ type: base });
          continue;
        }
        for (const d of md.declarators) {
          const { name, type } = this.declarator(base, d.declarator);
          if (name) {
            if (seen.has(name)) this.error(d.declarator.loc, `duplicate member '${name}'`);
            seen.add(name);
          }
          let bitWidth: number | undefined;
          if (d.bitWidth) {
            bitWidth = Number(this.intConst(d.bitWidth, 'bit-field width'));
            if (!isInt(type)) this.error(d.declarator.loc, `bit-field '${name}' has invalid type`);
            else if (bitWidth > type.size * 8) this.error(d.declarator.loc, `width of '${name}' exceeds its type`);
          } else if (this.T.sizeof(type) < 0 && !(type.k === 'array' && type.len === undefined)) {
            this.error(d.declarator.loc, `field '${name}' has incomplete type`);
            continue;
          }
          const mAlign = d.declarator.attributes.find((a) => a.name === 'aligned' || a.name === '__aligned__');
          members.push({ name, type: type.k === 'array' && type.len === undefined ? { ...type, len: 0 } : type, bitWidth, alignAttr: mAlign ? this.alignArg(mAlign) : undefined });
        }
      }
      this.T.layout(rec, members, { packed, align: alignAttr ? this.alignArg(alignAttr) : undefined });
    }
    return { k: 'struct', rec };
  }

  private alignArg(a: A.Attribute): number {
    if (a.args.length === 0) return 16;
    return Number(this.intConst(a.args[0]!, 'alignment'));
  }

  /** Applies a declarator's derivations (outermost first) to a base type. */
  declarator(base: CType, d: A.Declarator): { name?: string; type: CType; params?: VarInfoDraft[] } {
    let t = base;
    let params: VarInfoDraft[] | undefined;
    // derived[0] is the outermost: apply from innermost (last) to outermost (first).
    for (let i = d.derived.length - 1; i >= 0; i--) {
      const dv = d.derived[i]!;
      if (dv.kind === 'pointer') {
        t = { k: 'ptr', to: t, const: dv.const || undefined, volatile: dv.volatile || undefined };
      } else if (dv.kind === 'array') {
        if (t.k === 'func') this.error(d.loc, `declaration of '${d.name ?? 'type name'}' as array of functions`);
        let len: number | undefined;
        if (dv.size) {
          const v = this.tryConst(dv.size);
          if (v === undefined) {
            // A variable length array: only as the outermost array of a local object.
            if (i === 0 && this.vlaAllowed) {
              this.vlaSize = dv.size;
              t = { k: 'array', of: t, len: undefined };
              continue;
            }
            this.sorry(dv.size.loc, 'variable length arrays other than a local one-dimensional array');
          }
          if (v < 0n) {
            this.error(dv.size.loc, `size of array '${d.name ?? 'type name'}' is negative`);
            len = 0;
          } else len = Number(v);
        }
        t = { k: 'array', of: t, len };
      } else {
        if (t.k === 'func') this.error(d.loc, `'${d.name}' declared as function returning a function`);
        if (t.k === 'array') this.error(d.loc, `'${d.name}' declared as function returning an array`);
        const ps: CType[] = [];
        const drafts: VarInfoDraft[] = [];
        const onlyVoid = dv.params.length === 1 && dv.params[0]!.declarator.derived.length === 0 && !dv.params[0]!.declarator.name &&
          this.specsType(dv.params[0]!.specs).k === 'void';
        if (!onlyVoid) {
          for (const p of dv.params) {
            const r = this.declarator(this.specsType(p.specs), p.declarator);
            let pt = r.type;
            if (pt.k === 'array') pt = { k: 'ptr', to: pt.of };
            else if (pt.k === 'func') pt = { k: 'ptr', to: pt };
            else if (pt.k === 'void') this.error(p.loc, `parameter ${ps.length + 1} ('${r.name ?? ''}') has incomplete type`);
            ps.push(pt);
            drafts.push({ name: r.name, type: pt, loc: p.declarator.loc ?? p.loc });
          }
        }
        if (i === 0 || params === undefined) params = drafts;
        t = { k: 'func', ret: t, params: ps, variadic: dv.variadic, oldStyle: dv.oldStyle };
      }
    }
    // The parameters that matter are those of the outermost function derivation.
    const outer = d.derived[0];
    if (outer?.kind !== 'function') params = undefined;
    return { name: d.name, type: t, params };
  }

  typeName(tn: A.TypeName): CType {
    return this.declarator(this.specsType(tn.specs), tn.declarator).type;
  }

  // -------------------------------------------------------------------------------------------
  // Declarations

  private declaration(d: A.Declaration, fileScope: boolean): TStmt[] {
    const out: TStmt[] = [];
    const base = this.specsType(d.specs);
    const storage = d.specs.storage;
    for (const id of d.declarators) {
      this.vlaAllowed = !fileScope && storage !== 'static' && storage !== 'extern' && storage !== 'typedef' && this.fn !== null;
      this.vlaSize = undefined;
      let r: { name?: string; type: CType };
      try {
        r = this.declarator(base, id.declarator);
      } finally {
        this.vlaAllowed = false;
      }
      const { name, type } = r;
      if (!name) continue;
      const loc = id.declarator.loc ?? d.loc;
      if (this.vlaSize && type.k === 'array') {
        out.push(...this.vlaDeclaration(name, type, this.vlaSize, loc));
        this.vlaSize = undefined;
        if (id.init) this.error(id.init.loc, 'variable-sized object may not be initialized');
        continue;
      }
      if (storage === 'typedef') {
        this.scope.names.set(name, { kind: 'typedef', t: type });
        continue;
      }
      if (type.k === 'func') {
        if (id.init) this.error(loc, `function '${name}' is initialized like a variable`);
        this.declareFunction(name, type, storage === 'static', false, loc, id.asmLabel);
        continue;
      }
      if (fileScope || storage === 'extern' || storage === 'static') {
        if (fileScope || storage === 'extern') {
          this.globalVar(name, type, storage, id.init, loc, fileScope);
        } else {
          // static local: a global with a private name
          const sym = `${name}.${this.staticCount++}`;
          const v = this.newVar(name, type, 'global', loc);
          v.sym = sym;
          v.inMemory = true;
          this.scope.names.set(name, { kind: 'var', v });
          this.defineGlobal(sym, name, type, true, id.init, loc, false);
          v.type = this.globals.get(sym)!.type;
        }
        continue;
      }
      // automatic variable
      if (this.scope.names.has(name) && this.scope.names.get(name)!.kind === 'var') {
        this.error(loc, `redefinition of '${name}'`);
      }
      let vt: CType = type;
      if (vt.k === 'void') {
        this.error(loc, `variable or field '${name}' declared void`);
        vt = this.T.int;
      }
      const v = this.newVar(name, vt, 'local', loc);
      if (vt.k === 'array' || vt.k === 'struct') v.inMemory = true;
      this.fn!.locals.push(v);
      if (id.init) {
        // The variable is in scope in its own initializer (`FILE *f = malloc(sizeof *f);`).
        this.scope.names.set(name, { kind: 'var', v });
        const { items, type: finalType } = this.initializer(vt, id.init, false);
        v.type = finalType;
        out.push({ s: 'init', v, items, zero: vt.k === 'array' || vt.k === 'struct', loc });
      } else {
        this.scope.names.set(name, { kind: 'var', v });
        if (this.T.sizeof(vt) < 0) this.error(loc, `storage size of '${name}' isn't known`);
      }
    }
    return out;
  }

  private vlaAllowed = false;
  private vlaSize: A.Expr | undefined;
  /** VLA objects: the hidden variables holding their address and byte size. */
  private vlas = new Map<VarInfo, { ptr: VarInfo; bytes: VarInfo }>();
  private vlaExprs = new WeakMap<TExpr, VarInfo>();

  /**
   * `T a[n];` at block scope: the bytes come from the stack (like alloca, released when the function
   * returns); `a` names the array at that address and sizeof(a) is computed at run time.
   */
  private vlaDeclaration(name: string, type: Extract<CType, { k: 'array' }>, sizeExpr: A.Expr, loc: A.Loc): TStmt[] {
    const T = this.T;
    const n = this.rv(this.expr(sizeExpr));
    if (!isInt(n.t)) {
      this.error(sizeExpr.loc, `size of array '${name}' has non-integer type`);
      return [];
    }
    const elemSize = T.sizeof(type.of);
    if (elemSize < 0) this.error(loc, `array type has incomplete element type '${typeToString(type.of)}'`);
    const ptr = this.newVar(`${name}.addr`, T.ptr(type.of), 'local', loc);
    const bytes = this.newVar(`${name}.size`, T.sizeT, 'local', loc);
    const v = this.newVar(name, type, 'local', loc);
    this.fn!.locals.push(ptr, bytes);
    this.fn!.usesAlloca = true;
    this.vlas.set(v, { ptr, bytes });
    this.scope.names.set(name, { kind: 'var', v });
    const bytesVal: TExpr = { e: 'bin', op: '*', a: this.convert(n, T.sizeT), b: this.constInt(BigInt(Math.max(elemSize, 0)), T.sizeT, loc), t: T.sizeT, loc };
    const setBytes: TExpr = { e: 'assign', target: { e: 'var', v: bytes, t: T.sizeT, loc }, value: bytesVal, t: T.sizeT, loc };
    const alloc: TExpr = { e: 'alloca', n: { e: 'load', lv: { e: 'var', v: bytes, t: T.sizeT, loc }, t: T.sizeT, loc }, t: T.voidPtr, loc };
    const setPtr: TExpr = { e: 'assign', target: { e: 'var', v: ptr, t: ptr.type, loc }, value: this.convert(alloc, ptr.type), t: ptr.type, loc };
    return [{ s: 'expr', x: setBytes, loc }, { s: 'expr', x: setPtr, loc }];
  }

  private newVar(name: string, type: CType, storage: VarInfo['storage'], loc: A.Loc): VarInfo {
    return { id: ++this.varIds, name, type, storage, inMemory: false, loc };
  }

  declareFunction(name: string, type: FuncType, isStatic: boolean, defining: boolean, loc: A.Loc, asmLabel?: string): FuncInfo {
    let f = this.funcs.get(name);
    if (f) {
      if (!sameType(f.type, type)) {
        this.error(loc, `conflicting types for '${name}'; have '${typeToString(type)}'`);
        this.note(f.loc, `previous declaration of '${name}' with type '${typeToString(f.type)}'`);
      } else if (f.type.oldStyle && !type.oldStyle) {
        f.type = type;
      }
      if (defining) {
        if (f.defined) this.error(loc, `redefinition of '${name}'`);
        f.type = type;
        f.loc = loc;
        f.intrinsic = undefined;
      }
      if (isStatic) f.isStatic = true;
    } else {
      const intrinsic = defining ? undefined : lookupIntrinsic(name, this.mode);
      f = { name, type, sym: asmLabel ?? name, isStatic, defined: false, intrinsic, loc };
      this.funcs.set(name, f);
    }
    this.file.names.set(name, { kind: 'func', f });
    if (this.scope !== this.file) this.scope.names.set(name, { kind: 'func', f });
    return f;
  }

  private globalVar(name: string, type: CType, storage: A.StorageClass | undefined, init: A.Initializer | undefined, loc: A.Loc, fileScope: boolean): void {
    let v = this.globalVars.get(name);
    if (v && !sameType(v.type, type)) {
      this.error(loc, `conflicting types for '${name}'; have '${typeToString(type)}'`);
      this.note(v.loc, `previous declaration of '${name}' with type '${typeToString(v.type)}'`);
    }
    if (!v) {
      v = this.newVar(name, type, 'global', loc);
      v.sym = name;
      v.inMemory = true;
      this.globalVars.set(name, v);
    } else if (v.type.k === 'array' && v.type.len === undefined && type.k === 'array') {
      v.type = type;
    }
    this.scope.names.set(name, { kind: 'var', v });
    if (!fileScope) {
      this.externVars.add(name);
      return;
    }
    if (storage === 'extern' && !init) {
      this.externVars.add(name);
      return;
    }
    const existing = this.globals.get(name);
    if (existing && !existing.common && init) {
      this.error(loc, `redefinition of '${name}'`);
      return;
    }
    if (existing && !init) return; // another tentative definition
    this.defineGlobal(name, name, type, storage === 'static', init, loc, !init);
    v.type = this.globals.get(name)!.type;
  }

  /** Creates a global object with its initial bytes. */
  private defineGlobal(sym: string, name: string, type: CType, isStatic: boolean, init: A.Initializer | undefined, loc: A.Loc, tentative: boolean): TGlobal {
    let t = type;
    let bytes: Uint8Array | undefined;
    const relocs: Reloc[] = [];
    if (init) {
      const r = this.initializer(type, init, true);
      t = r.type;
      const size = Math.max(0, this.T.sizeof(t));
      bytes = new Uint8Array(size);
      this.staticBytes(r.items, bytes, relocs);
    }
    let size = this.T.sizeof(t);
    if (size < 0) {
      if (t.k === 'array' && tentative) {
        this.warn(loc, `array '${name}' assumed to have one element`);
        t = { ...t, len: 1 };
        size = this.T.sizeof(t);
      } else {
        this.error(loc, `storage size of '${name}' isn't known`);
        size = 0;
      }
    }
    // const objects go to .rodata, where a write faults
    const constObject = t.const || (t.k === 'array' && (t.of.const || (t.of.k === 'array' && t.of.of.const)));
    const g: TGlobal = {
      sym, name, type: t, isStatic, common: tentative && !isStatic, readonly: !!constObject && !!bytes, bytes, relocs, size,
      align: Math.max(this.T.alignof(t), size >= 16 && t.k === 'array' ? 16 : 1), loc,
    };
    if (!this.globals.has(sym)) this.globalOrder.push(sym);
    this.globals.set(sym, g);
    return g;
  }

  /** A string literal's symbol in .rodata (deduplicated). */
  stringSym(bytes: Uint8Array, elemSize = 1): string {
    const key = `${elemSize}:${Array.from(bytes).join(',')}`;
    const found = this.strings.get(key);
    if (found) return found;
    const sym = `.LC${this.strCount++}`;
    const data = new Uint8Array(bytes.length + elemSize);
    data.set(bytes);
    this.globals.set(sym, {
      sym, name: sym, type: { k: 'array', of: this.T.char, len: data.length }, isStatic: true, common: false, readonly: true,
      bytes: data, relocs: [], size: data.length, align: 1, loc: nullLoc,
    });
    this.globalOrder.push(sym);
    this.strings.set(key, sym);
    return sym;
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  private functionDef(d: A.FunctionDef): void {
    const base = this.specsType(d.specs);
    const r = this.declarator(base, d.declarator);
    if (r.type.k !== 'func' || !r.name) {
      this.error(d.loc, 'expected function declarator');
      return;
    }
    let ftype = r.type;
    const name = r.name;
    const drafts = r.params ?? [];
    // K&R definitions: parameter types come from the declarations list.
    if (ftype.oldStyle && d.krDecls.length) {
      const declared = new Map<string, CType>();
      for (const kd of d.krDecls) {
        const b = this.specsType(kd.specs);
        for (const id of kd.declarators) {
          const x = this.declarator(b, id.declarator);
          if (x.name) declared.set(x.name, x.type.k === 'array' ? { k: 'ptr', to: x.type.of } : x.type);
        }
      }
      const names = d.declarator.derived[0]?.kind === 'function' ? d.declarator.derived[0].params.map((p) => p.declarator.name ?? '') : [];
      drafts.length = 0;
      for (const n of names) drafts.push({ name: n, type: declared.get(n) ?? this.T.int, loc: d.loc });
      ftype = { ...ftype, params: drafts.map((p) => p.type) };
    }
    const info = this.declareFunction(name, ftype, d.specs.storage === 'static', true, d.declarator.loc ?? d.loc);
    info.defined = true;
    if (ftype.ret.k === 'array') return;
    this.fn = { info, locals: [], labels: new Set(), gotos: [], undeclared: new Set(), usesVa: false, usesAlloca: false, retType: ftype.ret };
    const outer = this.scope;
    this.scope = new Scope(this.file);
    const params: VarInfo[] = [];
    let retPtr: VarInfo | undefined;
    if (ftype.ret.k === 'struct') {
      retPtr = this.newVar('.retptr', this.T.ptr(ftype.ret), 'param', d.loc);
      params.push(retPtr);
    }
    drafts.forEach((p, i) => {
      const v = this.newVar(p.name ?? `.arg${i}`, p.type, 'param', p.loc);
      if (p.type.k === 'struct') v.inMemory = true;
      params.push(v);
      if (p.name) this.scope.names.set(p.name, { kind: 'var', v });
      else if (!ftype.oldStyle) this.error(p.loc, 'parameter name omitted');
    });
    this.fn.locals.push(...params);
    // __func__
    const fnameSym = this.stringSym(new TextEncoder().encode(name));
    const funcNameVar = this.newVar('__func__', { k: 'array', of: { ...this.T.char, const: true }, len: name.length + 1 }, 'global', d.loc);
    funcNameVar.sym = fnameSym;
    funcNameVar.inMemory = true;
    this.scope.names.set('__func__', { kind: 'var', v: funcNameVar });
    this.scope.names.set('__FUNCTION__', { kind: 'var', v: funcNameVar });
    let body: TStmt;
    try {
      body = this.compound(d.body, false);
    } catch (e) {
      this.scope = outer;
      this.fn = null;
      throw e;
    }
    for (const g of this.fn.gotos) {
      if (!this.fn.labels.has(g.name)) this.error(g.loc, `label '${g.name}' used but not defined`);
    }
    this.functions.push({
      info, params, locals: this.fn.locals, body, retPtr, loc: d.loc, endLoc: d.body.loc, usesVa: this.fn.usesVa, usesAlloca: this.fn.usesAlloca,
    });
    this.scope = outer;
    this.fn = null;
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private compound(c: A.CompoundStmt, newScope = true): TStmt {
    if (newScope) this.scope = new Scope(this.scope);
    const items: TStmt[] = [];
    try {
      for (const it of c.items) {
        try {
          if (it.kind === 'declaration') items.push(...this.declaration(it, false));
          else if (it.kind === 'static_assert') this.staticAssert(it);
          else items.push(this.stmt(it));
        } catch (e) {
          if (!(e instanceof Bail)) throw e;
        }
      }
    } finally {
      if (newScope) this.scope = this.scope.parent!;
    }
    return { s: 'block', items, loc: c.loc };
  }

  private stmt(st: A.Stmt): TStmt {
    const loc = st.loc;
    switch (st.kind) {
      case 'compound':
        return this.compound(st);
      case 'expr':
        if (!st.expr) return { s: 'block', items: [], loc };
        return { s: 'expr', x: this.expr(st.expr), loc };
      case 'if':
        return { s: 'if', c: this.cond(st.cond), then: this.stmt(st.then), else: st.else ? this.stmt(st.else) : undefined, loc };
      case 'while': {
        const c = this.cond(st.cond);
        return { s: 'while', c, body: this.loopBody(st.body), loc };
      }
      case 'do': {
        const body = this.loopBody(st.body);
        return { s: 'do', body, c: this.cond(st.cond), loc };
      }
      case 'for': {
        this.scope = new Scope(this.scope);
        try {
          const init: TStmt[] = [];
          if (st.init) {
            if ((st.init as A.Declaration).kind === 'declaration') init.push(...this.declaration(st.init as A.Declaration, false));
            else init.push({ s: 'expr', x: this.expr(st.init as A.Expr), loc });
          }
          const c = st.cond ? this.cond(st.cond) : undefined;
          const step = st.step ? this.expr(st.step) : undefined;
          return { s: 'for', init, c, step, body: this.loopBody(st.body), loc };
        } finally {
          this.scope = this.scope.parent!;
        }
      }
      case 'switch': {
        let x = this.rv(this.expr(st.cond));
        if (!isInt(x.t)) {
          this.error(st.cond.loc, 'switch quantity not an integer');
          x = this.constInt(0n, this.T.int, loc);
        }
        x = this.convert(x, this.promotedType(x.t));
        const sw: Extract<TStmt, { s: 'switch' }> = { s: 'switch', x, body: { s: 'block', items: [], loc }, cases: [], id: ++this.caseIds, loc };
        this.loops.push({ kind: 'switch', sw });
        try {
          sw.body = this.stmt(st.body);
        } finally {
          this.loops.pop();
        }
        return sw;
      }
      case 'case':
      case 'default': {
        const sw = [...this.loops].reverse().find((l) => l.kind === 'switch')?.sw;
        if (!sw) {
          this.error(loc, st.kind === 'case' ? "case label not within a switch statement" : "'default' label not within a switch statement");
          return this.stmt(st.body);
        }
        const id = ++this.caseIds;
        if (st.kind === 'default') {
          if (sw.defaultId !== undefined) this.error(loc, "multiple default labels in one switch");
          sw.defaultId = id;
        } else {
          const ct = sw.x.t;
          const lo = this.wrapConst(this.intConst(st.value, 'case label'), ct);
          const hi = st.last ? this.wrapConst(this.intConst(st.last, 'case label'), ct) : lo;
          for (const c of sw.cases) {
            if (!(hi < BigInt(c.lo) || lo > BigInt(c.hi))) {
              this.error(loc, 'duplicate case value');
              break;
            }
          }
          sw.cases.push({ lo: this.runtimeConst(lo, ct), hi: this.runtimeConst(hi, ct), id });
        }
        return { s: 'case', id, body: this.stmt(st.body), loc };
      }
      case 'label':
        if (this.fn!.labels.has(st.name)) this.error(loc, `duplicate label '${st.name}'`);
        this.fn!.labels.add(st.name);
        return { s: 'label', name: st.name, body: this.stmt(st.body), loc };
      case 'goto':
        this.fn!.gotos.push({ name: st.label, loc });
        return { s: 'goto', name: st.label, loc };
      case 'break':
        if (this.loops.length === 0) this.error(loc, 'break statement not within loop or switch');
        return { s: 'break', loc };
      case 'continue':
        if (!this.loops.some((l) => l.kind === 'loop')) this.error(loc, 'continue statement not within a loop');
        return { s: 'continue', loc };
      case 'return': {
        const rt = this.fn!.retType;
        if (!st.value) {
          if (rt.k !== 'void') this.warn(loc, "'return' with no value, in function returning non-void [-Wreturn-type]");
          return { s: 'return', loc };
        }
        const x = this.expr(st.value);
        if (rt.k === 'void') {
          if (x.t.k !== 'void') this.warn(loc, "'return' with a value, in function returning void");
          return { s: 'expr', x, loc };
        }
        return { s: 'return', x: this.assignConvert(x, rt, 'return', st.value.loc), loc };
      }
      case 'asm':
        this.sorry(loc, 'inline assembly');
    }
  }

  private loopBody(s: A.Stmt): TStmt {
    this.loops.push({ kind: 'loop' });
    try {
      return this.stmt(s);
    } finally {
      this.loops.pop();
    }
  }

  /** A controlling expression: any scalar. */
  private cond(e: A.Expr): TExpr {
    const x = this.rv(this.expr(e));
    if (!isScalar(x.t)) {
      this.error(e.loc, `used ${x.t.k === 'struct' ? 'struct' : typeToString(x.t)} type value where scalar is required`);
      return this.constInt(0n, this.T.int, e.loc);
    }
    return x;
  }

  // -------------------------------------------------------------------------------------------
  // Conversions

  constInt(v: bigint, t: CType, loc: A.Loc): TExpr {
    return { e: 'const', v: this.runtimeConst(this.wrapConst(v, t), t), t, loc };
  }

  /** Wraps a bigint to the range of integer type t. */
  wrapConst(v: bigint, t: CType): bigint {
    if (t.k === 'int') {
      if (t.kind === 'bool') return v !== 0n ? 1n : 0n;
      return t.signed ? BigInt.asIntN(t.size * 8, v) : BigInt.asUintN(t.size * 8, v);
    }
    if (t.k === 'ptr') return this.T.L.ptrSize === 8 ? BigInt.asUintN(64, v) : BigInt.asUintN(32, v);
    return v;
  }

  /** The JS value generated code holds for an integer constant of type t. */
  runtimeConst(v: bigint, t: CType): number | bigint {
    const size = t.k === 'int' ? t.size : this.T.L.ptrSize;
    if (size === 8) {
      const s = BigInt.asIntN(64, v);
      return s >= -9007199254740991n && s <= 9007199254740991n ? Number(s) : s;
    }
    return Number(v);
  }

  promotedType(t: CType): CType {
    if (t.k === 'int' && t.size < 4) return this.T.int;
    if (t.k === 'int' && t.enumTag !== undefined) return t.signed ? this.T.int : this.T.uint;
    return t;
  }

  promote(x: TExpr): TExpr {
    return this.convert(x, this.promotedType(x.t));
  }

  /** The usual arithmetic conversions. */
  commonType(a: CType, b: CType): CType {
    const T = this.T;
    if (a.k === 'float' || b.k === 'float') {
      const sa = a.k === 'float' ? a.size : 0;
      const sb = b.k === 'float' ? b.size : 0;
      return Math.max(sa, sb) === 4 ? T.float : Math.max(sa, sb) === 8 ? T.double : T.ldouble;
    }
    const pa = this.promotedType(a) as Extract<CType, { k: 'int' }>;
    const pb = this.promotedType(b) as Extract<CType, { k: 'int' }>;
    const rank = (t: Extract<CType, { k: 'int' }>) => ({ int: 1, uint: 1, long: 2, ulong: 2, llong: 3, ullong: 3 } as Record<string, number>)[t.kind] ?? 1;
    if (pa.kind === pb.kind) return this.plain(pa);
    if (pa.signed === pb.signed) return this.plain(rank(pa) >= rank(pb) ? pa : pb);
    const [u, s] = pa.signed ? [pb, pa] : [pa, pb];
    if (rank(u) >= rank(s)) return this.plain(u);
    if (s.size > u.size) return this.plain(s);
    // same size, signed has higher rank: the unsigned version of the signed type
    return s.kind === 'long' ? T.ulong : s.kind === 'llong' ? T.ullong : T.uint;
  }

  private plain(t: CType): CType {
    if (t.k === 'int' && (t.enumTag !== undefined || t.const || t.volatile)) {
      return (this.T as unknown as Record<string, CType>)[t.kind]!;
    }
    return t;
  }

  /** An explicit or implicit conversion to t. */
  convert(x: TExpr, t: CType): TExpr {
    if (sameType(x.t, t) && !(x.t.k === 'int' && (x.t as { enumTag?: string }).enumTag !== (t as { enumTag?: string }).enumTag && false)) {
      if (x.t === t) return x;
      return x.e === 'const' || x.t.k !== t.k ? { ...x, t } : { ...x, t };
    }
    if (t.k === 'void') return { e: 'cast', x, t, loc: x.loc };
    if (x.e === 'const' && t.k === 'int' && x.t.k === 'int') {
      return this.constInt(BigInt(x.v), t, x.loc);
    }
    if (x.e === 'const' && t.k === 'float') {
      if (x.t.k === 'float') return { e: 'const', v: t.size === 4 ? Math.fround(x.v as number) : (x.v as number), t, loc: x.loc };
      const iv = x.t.k === 'int' && !x.t.signed ? this.wrapConst(BigInt(x.v), x.t) : BigInt(x.v);
      // one rounding, as cvtsi2ss/cvtsi2sd do
      return { e: 'const', v: t.size === 4 ? (iv < 0n ? I64.toF32(I64.fromBig(iv)) : I64.utoF32(I64.fromBig(iv))) : Number(iv), t, loc: x.loc };
    }
    return { e: 'cast', x, t, loc: x.loc };
  }

  /** Lvalue conversion and decay: the value of an expression used as an operand. */
  rv(x: TExpr): TExpr {
    const t = x.t;
    if (t.k === 'array') return { e: 'addr', lv: x, t: { k: 'ptr', to: t.of }, loc: x.loc };
    if (t.k === 'func') {
      if (x.e === 'deref') return x.p;
      return { e: 'addr', lv: x, t: { k: 'ptr', to: t }, loc: x.loc };
    }
    if (this.isLvalue(x) && t.k !== 'struct') {
      const plainT = t.const || t.volatile ? { ...t, const: undefined, volatile: undefined } : t;
      const load: TExpr = { e: 'load', lv: x, t: plainT, loc: x.loc };
      // A bit-field narrower than int has int's rank for promotions (C11 6.3.1.1p2).
      if (x.e === 'member' && x.m.bitWidth !== undefined && t.k === 'int' && t.size <= 4 && t.kind !== 'bool' && x.m.bitWidth < 32) {
        return { e: 'cast', x: load, t: this.T.int, loc: x.loc };
      }
      return load;
    }
    return x;
  }

  isLvalue(x: TExpr): boolean {
    return x.e === 'var' || x.e === 'deref' || (x.e === 'member' && (this.isLvalue(x.base) || x.base.t.k === 'struct')) || x.e === 'tempobj';
  }

  isNullPointerConstant(x: TExpr): boolean {
    let y = x;
    if (y.e === 'cast' && y.t.k === 'ptr' && y.t.to.k === 'void') y = y.x;
    return y.e === 'const' && y.t.k === 'int' && (y.v === 0 || y.v === 0n);
  }

  /** Conversion as if by assignment, with gcc's warnings for suspicious ones. */
  assignConvert(x0: TExpr, t: CType, ctx: 'assignment' | 'initialization' | 'return' | 'argument', loc: A.Loc, argInfo?: { n: number; fname: string }): TExpr {
    const x = this.rv(x0);
    if (this.isErr(x)) return this.convert(this.constInt(0n, this.T.int, loc), t.k === 'struct' ? this.T.int : t);
    if (x.t.k === 'void' && t.k !== 'void') {
      this.error(loc, 'void value not ignored as it ought to be');
      return this.errExpr(loc);
    }
    const to = typeToString(t), from = typeToString(x.t);
    // gcc's phrasing of the conversion, by context
    const head = ctx === 'argument' ? `passing argument ${argInfo!.n} of '${argInfo!.fname}'`
      : ctx === 'return' ? `returning '${from}' from a function with return type '${to}'`
      : ctx === 'assignment' ? `assignment to '${to}' from '${from}'`
      : `initialization of '${to}' from '${from}'`;
    const incompatiblePtr = ctx === 'argument' ? `${head} from incompatible pointer type`
      : ctx === 'return' ? `returning '${from}' from a function with incompatible return type '${to}'`
      : ctx === 'assignment' ? `assignment to '${to}' from incompatible pointer type '${from}'`
      : `initialization of '${to}' from incompatible pointer type '${from}'`;
    const discards = ctx === 'argument' ? `${head} discards` : ctx === 'return' ? 'return discards' : `${ctx} discards`;
    const incompatible = () => this.error(loc, ctx === 'argument' ? `incompatible type for argument ${argInfo!.n} of '${argInfo!.fname}'`
      : `incompatible types when ${ctx === 'return' ? 'returning' : ctx === 'initialization' ? 'initializing' : 'assigning to'} type '${ctx === 'return' ? from : to}' ${ctx === 'return' ? `but '${to}' was expected` : `from type '${from}'`}`);
    if (t.k === 'struct') {
      if (x.t.k !== 'struct' || x.t.rec !== t.rec) incompatible();
      return x;
    }
    if (isArith(t) && isArith(x.t)) return this.convert(x, t);
    if (t.k === 'ptr') {
      if (x.t.k === 'ptr') {
        const a = t.to, b = x.t.to;
        const plainA = { ...a, const: undefined, volatile: undefined } as CType;
        const plainB = { ...b, const: undefined, volatile: undefined } as CType;
        if (a.k !== 'void' && b.k !== 'void' && !sameType(plainA, plainB)) {
          this.warn(loc, `${incompatiblePtr} [-Wincompatible-pointer-types]`);
        } else if (b.const && !a.const) {
          this.warn(loc, `${discards} 'const' qualifier from pointer target type [-Wdiscarded-qualifiers]`);
        }
        return this.convert(x, t);
      }
      if (x.t.k === 'int') {
        if (!this.isNullPointerConstant(x)) this.warn(loc, `${head} makes pointer from integer without a cast [-Wint-conversion]`);
        return this.convert(x, t);
      }
    }
    if (t.k === 'int' && x.t.k === 'ptr') {
      if (t.kind !== 'bool') this.warn(loc, `${head} makes integer from pointer without a cast [-Wint-conversion]`);
      return this.convert(x, t);
    }
    if (t.k === 'void') return this.convert(x, t);
    incompatible();
    return this.convert(x, t);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private noEval = 0;

  /** Checks an expression that is not evaluated (sizeof, typeof): no side effects are recorded. */
  withoutEval<R>(f: () => R): R {
    this.noEval++;
    const saved = this.fn ? { va: this.fn.usesVa, al: this.fn.usesAlloca } : undefined;
    try {
      return f();
    } finally {
      this.noEval--;
      if (this.fn && saved) {
        this.fn.usesVa = saved.va;
        this.fn.usesAlloca = saved.al;
      }
    }
  }

  /** The stand-in for an expression that had an error: an int lvalue, so no cascade of errors follows. */
  private errVar: VarInfo = { id: 0, name: '<error>', type: { k: 'int', kind: 'int', size: 4, signed: true }, storage: 'global', sym: '<error>', inMemory: true, loc: nullLoc };
  private errExpr(loc: A.Loc): TExpr {
    return { e: 'var', v: this.errVar, t: this.errVar.type, loc };
  }
  /** An expression that already had an error (its value or a load of it): report nothing more about it. */
  private isErr(x: TExpr): boolean {
    return (x.e === 'var' && x.v === this.errVar) || (x.e === 'load' && x.lv.e === 'var' && x.lv.v === this.errVar);
  }

  /** Checks an expression; the result may be an lvalue, an array or a function designator. */
  expr(e: A.Expr): TExpr {
    const T = this.T;
    const loc = e.loc;
    switch (e.kind) {
      case 'int':
        return this.intLiteral(e);
      case 'float': {
        const t = e.suffix === 'f' || e.suffix === 'F' ? T.float : e.suffix === 'l' || e.suffix === 'L' ? T.ldouble : T.double;
        return { e: 'const', v: t === T.float ? Math.fround(e.value) : e.value, t, loc };
      }
      case 'char':
        if (e.prefix === '') return { e: 'const', v: (e.value << 24) >> 24, t: T.int, loc };
        return this.constInt(BigInt(e.value), e.prefix === 'u' ? T.ushort : e.prefix === 'U' ? T.uint : T.int, loc);
      case 'string': {
        const elem = e.prefix === '' || e.prefix === 'u8' ? T.char : e.prefix === 'u' ? T.ushort : T.int;
        const esize = T.sizeof(elem);
        let bytes = e.value;
        if (esize > 1) {
          // Wide strings: the parser gives UTF-8 bytes; store code points as elements.
          const cps = Array.from(new TextDecoder().decode(e.value)).map((c) => c.codePointAt(0)!);
          bytes = new Uint8Array(cps.length * esize);
          const dv = new DataView(bytes.buffer);
          cps.forEach((c, i) => (esize === 2 ? dv.setUint16(i * 2, c, true) : dv.setUint32(i * 4, c, true)));
        }
        const sym = this.stringSym(bytes, esize);
        const len = bytes.length / esize + 1;
        const v: VarInfo = { id: ++this.varIdsPublic, name: sym, type: { k: 'array', of: elem, len }, storage: 'global', sym, inMemory: true, loc };
        return { e: 'var', v, t: v.type, loc };
      }
      case 'ident':
        return this.ident(e.name, loc);
      case 'binary':
        return this.binary(e.op, e.left, e.right, loc);
      case 'assign':
        return this.assign(e, loc);
      case 'unary':
        return this.unary(e.op, e.operand, loc);
      case 'preinc':
      case 'predec':
      case 'postinc':
      case 'postdec':
        return this.incdec(e.kind, e.operand, loc);
      case 'cond':
        return this.conditional(e, loc);
      case 'comma': {
        const a = this.rv(this.expr(e.left));
        const b = this.rv(this.expr(e.right));
        return { e: 'comma', a, b, t: b.t, loc };
      }
      case 'call':
        return this.call(e, loc);
      case 'index': {
        const base = this.rv(this.expr(e.base));
        const idx = this.rv(this.expr(e.index));
        let p = base, i = idx;
        if (!isPtr(p.t) && isPtr(i.t)) [p, i] = [idx, base];
        if (!isPtr(p.t) || !isInt(i.t)) {
          this.error(loc, 'subscripted value is neither array nor pointer nor vector');
          return this.errExpr(loc);
        }
        const elem = p.t.to;
        if (T.sizeof(elem) < 0) this.error(loc, 'invalid use of undefined type');
        return { e: 'deref', p: this.ptrAdd(p, i, false, loc), t: elem, loc };
      }
      case 'member':
        return this.member(e, loc);
      case 'cast': {
        const t = this.typeName(e.type);
        const x = this.rv(this.expr(e.operand));
        if (t.k === 'void') return this.convert(x, t);
        if (t.k === 'struct' || t.k === 'array' || t.k === 'func') {
          this.error(loc, t.k === 'struct' ? 'conversion to non-scalar type requested' : `cast specifies ${t.k === 'array' ? 'array' : 'function'} type`);
          return this.errExpr(loc);
        }
        if (!isScalar(x.t)) {
          this.error(loc, x.t.k === 'void' ? 'void value not ignored as it ought to be' : 'aggregate value used where a scalar was expected');
          return this.errExpr(loc);
        }
        if (t.k === 'ptr' && x.t.k === 'float' || t.k === 'float' && x.t.k === 'ptr') {
          this.error(loc, t.k === 'ptr' ? 'cannot convert to a pointer type' : 'pointer value used where a floating-point was expected');
          return this.errExpr(loc);
        }
        const r = this.convert(x, t.const || t.volatile ? { ...t, const: undefined, volatile: undefined } : t);
        return r === x && this.isLvalue(x) ? { e: 'cast', x, t: r.t, loc } : r;
      }
      case 'sizeof_expr': {
        const x = this.withoutEval(() => this.expr(e.operand));
        if (x.e === 'member' && x.m.bitWidth !== undefined) this.error(loc, "'sizeof' applied to a bit-field");
        const vlaBytes = this.vlaExprs.get(x);
        if (vlaBytes) return { e: 'load', lv: { e: 'var', v: vlaBytes, t: vlaBytes.type, loc }, t: vlaBytes.type, loc };
        return this.sizeofType(x.t, loc);
      }
      case 'sizeof_type':
        return this.sizeofType(this.typeName(e.type), loc);
      case 'alignof':
        return this.constInt(BigInt(T.alignof(this.typeName(e.type), true)), T.sizeT, loc); // C11 _Alignof: the ABI alignment (i386: 4 for long long)
      case 'compound_literal': {
        const t = this.typeName(e.type);
        if (!this.fn) {
          const sym = `.compoundliteral.${this.staticCount++}`;
          const g = this.defineGlobalPublic(sym, t, e.init, loc);
          const v: VarInfo = { id: ++this.varIdsPublic, name: sym, type: g.type, storage: 'global', sym, inMemory: true, loc };
          return { e: 'var', v, t: g.type, loc };
        }
        const v: VarInfo = { id: ++this.varIdsPublic, name: '.compoundliteral', type: t, storage: 'local', inMemory: true, loc };
        const { items, type } = this.initializer(t, e.init, false);
        v.type = type;
        this.fn.locals.push(v);
        return { e: 'tempobj', v, inits: items, t: type, loc };
      }
      case 'stmt_expr': {
        if (!this.fn) {
          this.error(loc, 'braced-group within expression allowed only inside a function');
          return this.errExpr(loc);
        }
        const block = this.compound(e.body) as Extract<TStmt, { s: 'block' }>;
        const last = block.items[block.items.length - 1];
        if (last && last.s === 'expr') {
          block.items.pop();
          const r = this.rv(last.x);
          return { e: 'stmtexpr', body: block.items, result: r, t: r.t, loc };
        }
        return { e: 'stmtexpr', body: block.items, t: VOID, loc };
      }
      case 'va_arg': {
        const ap = this.expr(e.ap);
        const t = this.typeName(e.type);
        if (!this.isLvalue(ap)) this.error(loc, "first argument to 'va_arg' not of type 'va_list'");
        if (t.k === 'float' && t.size === 4) this.warn(loc, "'float' is promoted to 'double' when passed through '...'");
        return { e: 'va_arg', ap, t, loc };
      }
      case 'offsetof': {
        const t = this.typeName(e.type);
        let off = 0n;
        let cur = t;
        for (const p of e.path) {
          if (typeof p === 'string') {
            if (cur.k !== 'struct') {
              this.error(loc, `request for member '${p}' in something not a structure or union`);
              return this.errExpr(loc);
            }
            const m = findMember(cur.rec, p);
            if (!m) {
              this.error(loc, `'${typeToString(cur)}' has no member named '${p}'`);
              return this.errExpr(loc);
            }
            off += BigInt(m.offset);
            cur = m.type;
          } else {
            if (cur.k !== 'array') {
              this.error(loc, 'subscripted value is neither array nor pointer nor vector');
              return this.errExpr(loc);
            }
            off += this.intConst(p, 'offsetof index') * BigInt(T.sizeof(cur.of));
            cur = cur.of;
          }
        }
        return this.constInt(off, T.sizeT, loc);
      }
      case 'generic': {
        const c = this.withoutEval(() => this.rv(this.expr(e.control)));
        let dflt: A.Expr | undefined;
        for (const a of e.assocs) {
          if (!a.type) {
            dflt = a.expr;
            continue;
          }
          if (sameType(this.typeName(a.type), c.t)) return this.expr(a.expr);
        }
        if (dflt) return this.expr(dflt);
        this.error(loc, `'_Generic' selector of type '${typeToString(c.t)}' is not compatible with any association`);
        return this.errExpr(loc);
      }
    }
  }

  private get varIdsPublic(): number {
    return this.varIds;
  }
  private set varIdsPublic(v: number) {
    this.varIds = v;
  }

  private defineGlobalPublic(sym: string, t: CType, init: A.Initializer, loc: A.Loc): TGlobal {
    return this.defineGlobal(sym, sym, t, true, init, loc, false);
  }

  private sizeofType(t: CType, loc: A.Loc): TExpr {
    const n = this.T.sizeof(t);
    if (t.k === 'func') this.warn(loc, "invalid application of 'sizeof' to a function type [-Wpointer-arith]");
    if (n < 0) {
      this.error(loc, `invalid application of 'sizeof' to incomplete type '${typeToString(t)}'`);
      return this.constInt(0n, this.T.sizeT, loc);
    }
    return this.constInt(BigInt(n), this.T.sizeT, loc);
  }

  /** Integer literal typing (C11 6.4.4.1) for the target's sizes. */
  private intLiteral(e: Extract<A.Expr, { kind: 'int' }>): TExpr {
    const T = this.T;
    const s = e.suffix.toLowerCase();
    const u = s.includes('u');
    const longs = (s.match(/l/g) ?? []).length;
    const decimal = e.radix === 10;
    const cands: CType[] = [];
    if (longs === 0) cands.push(...(u ? [T.uint] : decimal ? [T.int] : [T.int, T.uint]));
    if (longs <= 1) cands.push(...(u ? [T.ulong] : decimal ? [T.long] : [T.long, T.ulong]));
    cands.push(...(u ? [T.ullong] : decimal ? [T.llong] : [T.llong, T.ullong]));
    for (const t of cands) {
      const bits = BigInt((t as { size: number }).size * 8);
      const max = (t as { signed: boolean }).signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
      if (e.value <= max) return this.constInt(e.value, t, e.loc);
    }
    this.warn(e.loc, 'integer constant is too large for its type');
    return this.constInt(e.value, T.ullong, e.loc);
  }

  private ident(name: string, loc: A.Loc): TExpr {
    const ent = this.scope.find(name);
    if (!ent) {
      const fn = this.fn;
      if (fn) {
        if (!fn.undeclared.has(name)) {
          fn.undeclared.add(name);
          this.error(loc, `'${name}' undeclared (first use in this function)`);
          if (fn.undeclared.size === 1) this.note(loc, 'each undeclared identifier is reported only once for each function it appears in');
        }
      } else {
        this.error(loc, `'${name}' undeclared here (not in a function)`);
      }
      return this.errExpr(loc);
    }
    switch (ent.kind) {
      case 'var': {
        const vla = this.vlas.get(ent.v);
        if (vla) {
          const p: TExpr = { e: 'load', lv: { e: 'var', v: vla.ptr, t: vla.ptr.type, loc }, t: vla.ptr.type, loc };
          const d: TExpr = { e: 'deref', p, t: ent.v.type, loc };
          this.vlaExprs.set(d, vla.bytes);
          return d;
        }
        return { e: 'var', v: ent.v, t: ent.v.type, loc };
      }
      case 'func':
        return { e: 'func', f: ent.f, t: ent.f.type, loc };
      case 'enumconst':
        return this.constInt(ent.v, ent.t, loc);
      case 'typedef':
        this.error(loc, `expected expression before '${name}'`);
        return this.errExpr(loc);
    }
  }

  /** p + i (or p - i) scaled by the pointed-to size. */
  private ptrAdd(p: TExpr, i: TExpr, sub: boolean, loc: A.Loc): TExpr {
    const pt = p.t as Extract<CType, { k: 'ptr' }>;
    const size = this.T.sizeof(pt.to);
    if (pt.to.k === 'void' || pt.to.k === 'func') this.warn(loc, `wrong type argument to arithmetic [-Wpointer-arith]`.replace('wrong type argument to arithmetic', `pointer of type '${typeToString(pt)}' used in arithmetic`));
    if (size < 0) this.error(loc, `invalid use of undefined type '${typeToString(pt.to)}'`);
    const idx = this.convert(i, (i.t as { signed: boolean }).signed ? this.T.long : this.T.ulong);
    return { e: 'ptradd', p, i: idx, scale: Math.max(size, 0), sub, t: pt, loc };
  }

  private binary(op: A.BinaryOp, l: A.Expr, r: A.Expr, loc: A.Loc): TExpr {
    const T = this.T;
    if (op === '&&' || op === '||') {
      const a = this.cond(l);
      const b = this.cond(r);
      return { e: op === '&&' ? 'logand' : 'logor', a, b, t: T.int, loc };
    }
    const a = this.rv(this.expr(l));
    const b = this.rv(this.expr(r));
    return this.binaryTyped(op, a, b, loc);
  }

  binaryTyped(op: BinOp, a: TExpr, b: TExpr, loc: A.Loc): TExpr {
    const T = this.T;
    const invalid = (): TExpr => {
      if (this.isErr(a) || this.isErr(b)) return this.errExpr(loc);
      this.error(loc, `invalid operands to binary ${op} (have '${typeToString(a.t)}' and '${typeToString(b.t)}')`);
      return this.errExpr(loc);
    };
    switch (op) {
      case '*':
      case '/':
      case '%':
      case '&':
      case '|':
      case '^': {
        const intOnly = op === '%' || op === '&' || op === '|' || op === '^';
        if (!(intOnly ? isInt(a.t) && isInt(b.t) : isArith(a.t) && isArith(b.t))) return invalid();
        const t = this.commonType(a.t, b.t);
        if ((op === '/' || op === '%') && isInt(t) && b.e === 'const' && BigInt(b.v) === 0n && !this.noEval) this.warn(loc, 'division by zero [-Wdiv-by-zero]');
        return this.fold({ e: 'bin', op, a: this.convert(a, t), b: this.convert(b, t), t, loc });
      }
      case '+':
        if (isArith(a.t) && isArith(b.t)) {
          const t = this.commonType(a.t, b.t);
          return this.fold({ e: 'bin', op, a: this.convert(a, t), b: this.convert(b, t), t, loc });
        }
        if (isPtr(a.t) && isInt(b.t)) return this.ptrAdd(a, b, false, loc);
        if (isInt(a.t) && isPtr(b.t)) return this.ptrAdd(b, a, false, loc);
        return invalid();
      case '-':
        if (isArith(a.t) && isArith(b.t)) {
          const t = this.commonType(a.t, b.t);
          return this.fold({ e: 'bin', op, a: this.convert(a, t), b: this.convert(b, t), t, loc });
        }
        if (isPtr(a.t) && isInt(b.t)) return this.ptrAdd(a, b, true, loc);
        if (isPtr(a.t) && isPtr(b.t)) {
          if (!sameType({ ...a.t.to, const: undefined, volatile: undefined }, { ...b.t.to, const: undefined, volatile: undefined })) return invalid();
          return { e: 'ptrdiff', a, b, size: Math.max(1, T.sizeof(a.t.to)), t: T.ptrdiffT, loc };
        }
        return invalid();
      case '<<':
      case '>>': {
        if (!isInt(a.t) || !isInt(b.t)) return invalid();
        const pa = this.promote(a);
        const pb = this.promote(b);
        return this.fold({ e: 'bin', op, a: pa, b: pb, t: pa.t, loc });
      }
      case '<':
      case '>':
      case '<=':
      case '>=':
      case '==':
      case '!=': {
        if (isArith(a.t) && isArith(b.t)) {
          const t = this.commonType(a.t, b.t);
          return this.fold({ e: 'bin', op, a: this.convert(a, t), b: this.convert(b, t), t: T.int, loc });
        }
        const ptrT = T.L.ptrSize === 8 ? T.ulong : T.uint;
        if (isPtr(a.t) && isPtr(b.t)) {
          const x = a.t.to, y = b.t.to;
          if (!(x.k === 'void' || y.k === 'void' || sameType({ ...x, const: undefined, volatile: undefined }, { ...y, const: undefined, volatile: undefined }))) {
            this.warn(loc, 'comparison of distinct pointer types lacks a cast');
          }
          return { e: 'bin', op, a: this.convert(a, ptrT), b: this.convert(b, ptrT), t: T.int, loc };
        }
        if (isPtr(a.t) && isInt(b.t) || isInt(a.t) && isPtr(b.t)) {
          const intSide = isInt(a.t) ? a : b;
          if (!this.isNullPointerConstant(intSide)) this.warn(loc, 'comparison between pointer and integer');
          return { e: 'bin', op, a: this.convert(a, ptrT), b: this.convert(b, ptrT), t: T.int, loc };
        }
        return invalid();
      }
    }
    return invalid();
  }

  /** Folds integer constant operations (exactly, in the operation's type). */
  private fold(x: TExpr): TExpr {
    if (x.e !== 'bin' || x.a.e !== 'const' || x.b.e !== 'const') return x;
    const v = this.evalConst(x);
    if (v?.k === 'int') return this.constInt(v.v, x.t, x.loc);
    if (v?.k === 'float') return { e: 'const', v: v.v, t: x.t, loc: x.loc };
    return x;
  }

  private checkModifiable(x: TExpr, loc: A.Loc, what: string): boolean {
    if (!this.isLvalue(x) || x.t.k === 'array' || x.t.k === 'func') {
      this.error(loc, `lvalue required as ${what}`);
      return false;
    }
    if (x.t.const) {
      if (x.e === 'var') this.error(loc, `${what.startsWith('left') ? 'assignment' : what.includes('increment') ? 'increment' : 'decrement'} of read-only variable '${x.v.name}'`);
      else if (x.e === 'member') this.error(loc, `${what.startsWith('left') ? 'assignment' : what.includes('increment') ? 'increment' : 'decrement'} of read-only member '${x.m.name}'`);
      else this.error(loc, `${what.startsWith('left') ? 'assignment' : what.includes('increment') ? 'increment' : 'decrement'} of read-only location`);
      return false;
    }
    if (x.t.k === 'struct' && x.t.rec.members.some((m) => m.type.const)) {
      this.error(loc, `assignment of read-only location`);
    }
    return true;
  }

  private assign(e: Extract<A.Expr, { kind: 'assign' }>, loc: A.Loc): TExpr {
    const target = this.expr(e.target);
    if (!this.checkModifiable(target, loc, 'left operand of assignment')) {
      this.expr(e.value);
      return this.errExpr(loc);
    }
    this.markWrite(target);
    const t = target.t.const ? { ...target.t, const: undefined } : target.t;
    if (e.op === '=') {
      const value = this.assignConvert(this.expr(e.value), t, 'assignment', e.value.loc);
      return { e: 'assign', target, value, t, loc };
    }
    const op = e.op.slice(0, -1) as BinOp;
    const value = this.rv(this.expr(e.value));
    const cur: TExpr = { e: 'load', lv: target, t, loc };
    if (isPtr(t) && (op === '+' || op === '-')) {
      if (!isInt(value.t)) {
        this.error(loc, `invalid operands to binary ${op} (have '${typeToString(t)}' and '${typeToString(value.t)}')`);
        return this.errExpr(loc);
      }
      const size = this.T.sizeof(t.to);
      const iv = this.convert(value, (value.t as { signed: boolean }).signed ? this.T.long : this.T.ulong);
      return { e: 'opassign', op, target, value: iv, opType: t, ptrScale: Math.max(size, 1), post: false, t, loc };
    }
    // Type-check through the binary operator rules, then recover the operation type.
    const probe = this.binaryTyped(op, cur, value, loc);
    if (probe.e !== 'bin') return probe.e === 'const' && probe.t === this.T.int && probe.v === 0 ? probe : this.errExpr(loc);
    const opType = op === '<<' || op === '>>' ? this.promotedType(t) : probe.t;
    const v2 = op === '<<' || op === '>>' ? this.promote(value) : this.convert(value, opType);
    if (!isArith(t)) {
      this.error(loc, `invalid operands to binary ${op}`);
      return this.errExpr(loc);
    }
    return { e: 'opassign', op, target, value: v2, opType, post: false, t, loc };
  }

  private markWrite(_x: TExpr): void {
    // reserved for -Wunused-but-set diagnostics
  }

  private incdec(kind: 'preinc' | 'predec' | 'postinc' | 'postdec', operand: A.Expr, loc: A.Loc): TExpr {
    const target = this.expr(operand);
    const inc = kind === 'preinc' || kind === 'postinc';
    if (!this.checkModifiable(target, loc, `${inc ? 'increment' : 'decrement'} operand`)) return this.errExpr(loc);
    const t = target.t;
    const post = kind === 'postinc' || kind === 'postdec';
    const op: BinOp = inc ? '+' : '-';
    if (isPtr(t)) {
      return { e: 'opassign', op, target, value: this.constInt(1n, this.T.long, loc), opType: t, ptrScale: Math.max(1, this.T.sizeof(t.to)), post, t, loc };
    }
    if (!isArith(t)) {
      this.error(loc, `wrong type argument to ${inc ? 'increment' : 'decrement'}`);
      return this.errExpr(loc);
    }
    const opType = t.k === 'int' && t.kind === 'bool' ? this.T.int : this.commonType(t, this.T.int);
    const one: TExpr = opType.k === 'float' ? { e: 'const', v: 1, t: opType, loc } : this.constInt(1n, opType, loc);
    return { e: 'opassign', op, target, value: one, opType, post, t, loc };
  }

  private unary(op: A.UnaryOp, operand: A.Expr, loc: A.Loc): TExpr {
    const T = this.T;
    if (op === '&') {
      const x = this.expr(operand);
      if (x.e === 'func') return { e: 'addr', lv: x, t: T.ptr(x.t), loc };
      if (x.e === 'member' && x.m.bitWidth !== undefined) {
        this.error(loc, `cannot take address of bit-field '${x.m.name}'`);
        return this.errExpr(loc);
      }
      if (!this.isLvalue(x)) {
        this.error(loc, 'lvalue required as unary \'&\' operand');
        return this.errExpr(loc);
      }
      this.markAddressTaken(x);
      return { e: 'addr', lv: x, t: T.ptr(x.t), loc };
    }
    if (op === '*') {
      const x = this.rv(this.expr(operand));
      if (!isPtr(x.t)) {
        this.error(loc, `invalid type argument of unary '*' (have '${typeToString(x.t)}')`);
        return this.errExpr(loc);
      }
      if (x.t.to.k === 'void' && !this.noEval) this.warn(loc, "dereferencing 'void *' pointer");
      return { e: 'deref', p: x, t: x.t.to, loc };
    }
    const x = this.rv(this.expr(operand));
    if (op === '!') {
      if (!isScalar(x.t)) {
        this.error(loc, "wrong type argument to unary exclamation mark");
        return this.errExpr(loc);
      }
      return this.fold2({ e: 'not', x, t: T.int, loc });
    }
    if (op === '~') {
      if (!isInt(x.t)) {
        this.error(loc, 'wrong type argument to bit-complement');
        return this.errExpr(loc);
      }
      const p = this.promote(x);
      return this.fold2({ e: 'bitnot', x: p, t: p.t, loc });
    }
    if (!isArith(x.t)) {
      this.error(loc, `wrong type argument to unary ${op === '-' ? 'minus' : 'plus'}`);
      return this.errExpr(loc);
    }
    const p = this.promote(x);
    if (op === '+') return p;
    return this.fold2({ e: 'neg', x: p, t: p.t, loc });
  }

  private fold2(x: TExpr): TExpr {
    if ((x.e === 'neg' || x.e === 'bitnot' || x.e === 'not') && x.x.e === 'const') {
      const v = this.evalConst(x);
      if (v?.k === 'int') return this.constInt(v.v, x.t, x.loc);
      if (v?.k === 'float') return { e: 'const', v: v.v, t: x.t, loc: x.loc };
    }
    return x;
  }

  private markAddressTaken(x: TExpr): void {
    if (x.e === 'var') x.v.inMemory = true;
    else if (x.e === 'member') this.markAddressTaken(x.base);
  }

  private conditional(e: Extract<A.Expr, { kind: 'cond' }>, loc: A.Loc): TExpr {
    const c = this.cond(e.cond);
    let a = this.rv(this.expr(e.then));
    let b = this.rv(this.expr(e.else));
    let t: CType;
    if (isArith(a.t) && isArith(b.t)) {
      t = this.commonType(a.t, b.t);
    } else if (a.t.k === 'void' || b.t.k === 'void') {
      t = VOID;
    } else if (a.t.k === 'struct' && b.t.k === 'struct' && a.t.rec === b.t.rec) {
      t = a.t;
    } else if (isPtr(a.t) && isPtr(b.t)) {
      if (a.t.to.k === 'void') t = a.t;
      else if (b.t.to.k === 'void') t = b.t;
      else {
        if (!sameType(a.t.to, b.t.to)) this.warn(loc, 'pointer type mismatch in conditional expression');
        t = a.t;
      }
    } else if (isPtr(a.t) && isInt(b.t)) {
      if (!this.isNullPointerConstant(b)) this.warn(loc, 'pointer/integer type mismatch in conditional expression');
      t = a.t;
    } else if (isInt(a.t) && isPtr(b.t)) {
      if (!this.isNullPointerConstant(a)) this.warn(loc, 'pointer/integer type mismatch in conditional expression');
      t = b.t;
    } else {
      this.error(loc, 'type mismatch in conditional expression');
      return this.errExpr(loc);
    }
    if (t.k !== 'void' && t.k !== 'struct') {
      a = this.convert(a, t);
      b = this.convert(b, t);
    }
    if (c.e === 'const' && a.e === 'const' && b.e === 'const') return BigInt(c.v as number | bigint) !== 0n || (c.t.k === 'float' && c.v !== 0) ? a : b;
    return { e: 'cond', c, a, b, t, loc };
  }

  private member(e: Extract<A.Expr, { kind: 'member' }>, loc: A.Loc): TExpr {
    let base = this.expr(e.base);
    if (e.arrow) {
      base = this.rv(base);
      if (this.isErr(base)) return this.errExpr(loc);
      if (!isPtr(base.t) || base.t.to.k !== 'struct') {
        this.error(loc, `invalid type argument of '->' (have '${typeToString(base.t)}')`);
        return this.errExpr(loc);
      }
      base = { e: 'deref', p: base, t: base.t.to, loc };
    }
    if (this.isErr(base)) return this.errExpr(loc);
    if (base.t.k !== 'struct') {
      this.error(loc, `request for member '${e.name}' in something not a structure or union`);
      return this.errExpr(loc);
    }
    if (!base.t.rec.complete) {
      this.error(loc, `invalid use of undefined type '${typeToString(base.t)}'`);
      return this.errExpr(loc);
    }
    const m = findMember(base.t.rec, e.name);
    if (!m) {
      this.error(loc, `'${typeToString(base.t)}' has no member named '${e.name}'`);
      return this.errExpr(loc);
    }
    let t = m.type;
    if (base.t.const && !t.const) t = { ...t, const: true };
    return { e: 'member', base, m, t, loc };
  }

  private call(e: Extract<A.Expr, { kind: 'call' }>, loc: A.Loc): TExpr {
    const T = this.T;
    let callee: TExpr;
    if (e.callee.kind === 'ident') {
      const name = e.callee.name;
      const ent = this.scope.find(name);
      // Builtins win over a mere declaration (libc declares `long __syscall3(...)` for gcc).
      if (ent && ent.kind === 'func' && !ent.f.defined && /^__(syscall[0-6]|builtin_)/.test(name)) {
        const b = this.builtinCall(name, e.args, loc);
        if (b) return b;
      }
      if (!ent) {
        const b = this.builtinCall(name, e.args, loc);
        if (b) return b;
        const intr = lookupIntrinsic(name, this.mode);
        if (intr) {
          const f = this.declareFunction(name, this.intrinsicType(intr, loc), false, false, loc);
          callee = { e: 'func', f, t: f.type, loc: e.callee.loc };
        } else {
          this.warn(e.callee.loc, `implicit declaration of function '${name}' [-Wimplicit-function-declaration]`);
          const saved = this.scope;
          const f = this.declareFunction(name, { k: 'func', ret: T.int, params: [], variadic: false, oldStyle: true }, false, false, loc);
          this.scope = saved;
          callee = { e: 'func', f, t: f.type, loc: e.callee.loc };
        }
      } else {
        callee = this.expr(e.callee);
      }
    } else {
      callee = this.expr(e.callee);
    }
    let ftype: FuncType;
    let direct: FuncInfo | undefined;
    if (callee.e === 'func') {
      direct = callee.f;
      ftype = callee.f.type;
    } else {
      const p = this.rv(callee);
      if (!isPtr(p.t) || p.t.to.k !== 'func') {
        this.error(loc, `called object is not a function or function pointer`);
        for (const a of e.args) this.expr(a);
        return this.errExpr(loc);
      }
      ftype = p.t.to;
      callee = p;
    }
    const fname = direct?.name ?? (e.callee.kind === 'ident' ? e.callee.name : '<pointer>');
    const args: TExpr[] = [];
    const np = ftype.params.length;
    if (!ftype.oldStyle) {
      if (e.args.length < np) {
        this.error(loc, `too few arguments to function '${fname}'`);
        if (direct) this.note(direct.loc, 'declared here');
        return this.errExpr(loc);
      }
      if (e.args.length > np && !ftype.variadic) {
        this.error(loc, `too many arguments to function '${fname}'`);
        if (direct) this.note(direct.loc, 'declared here');
        return this.errExpr(loc);
      }
    }
    e.args.forEach((a, i) => {
      const x = this.expr(a);
      if (i < np && !ftype.oldStyle) {
        args.push(this.assignConvert(x, ftype.params[i]!, 'argument', a.loc, { n: i + 1, fname }));
      } else {
        const v = this.rv(x);
        if (v.t.k === 'void') this.error(a.loc, 'invalid use of void expression');
        args.push(v.t.k === 'float' && v.t.size === 4 ? this.convert(v, T.double) : isInt(v.t) ? this.promote(v) : v);
      }
    });
    const nfixed = ftype.oldStyle ? args.length : np;
    const ret = ftype.ret.const ? { ...ftype.ret, const: undefined } : ftype.ret;
    if (direct?.intrinsic) return { e: 'intrinsic', def: direct.intrinsic, args, nfixed, t: ret, loc };
    return { e: 'call', fn: callee, direct, args, nfixed, ftype, t: ret, loc };
  }

  /** An intrinsic's prototype from its C type texts. */
  private intrinsicType(d: IntrinsicDef, loc: A.Loc): FuncType {
    return { k: 'func', ret: this.parseTypeText(d.ret, loc), params: d.params.map((p) => this.parseTypeText(p, loc)), variadic: !!d.variadic, oldStyle: false };
  }

  /** Parses the small type texts of intrinsic prototypes: qualifiers, base words or a struct tag, stars. */
  parseTypeText(text: string, loc: A.Loc): CType {
    const T = this.T;
    const words = text.replace(/\*/g, ' * ').split(/\s+/).filter(Boolean);
    let stars = 0;
    const base: string[] = [];
    let isConst = false;
    let tag: { union: boolean; name: string } | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '*') stars++;
      else if (w === 'const') isConst = true;
      else if (w === 'volatile' || w === 'restrict') continue;
      else if (w === 'struct' || w === 'union') tag = { union: w === 'union', name: words[++i]! };
      else base.push(w);
    }
    let t: CType;
    if (tag) {
      const found = this.file.tags.get(tag.name);
      t = { k: 'struct', rec: found?.rec ?? this.T.newRec(tag.union, tag.name) };
    } else if (base.length === 1 && !['int', 'char', 'void', 'long', 'short', 'unsigned', 'signed', 'float', 'double', '_Bool'].includes(base[0]!)) {
      const named: Record<string, CType> = { size_t: T.sizeT, ssize_t: T.long, ptrdiff_t: T.ptrdiffT, intptr_t: T.long, uintptr_t: T.ulong, int64_t: T.L.longSize === 8 ? T.long : T.llong, uint64_t: T.L.longSize === 8 ? T.ulong : T.ullong, int32_t: T.int, uint32_t: T.uint, u64: T.ullong, u32: T.uint, loff_t: T.llong, off_t: T.long, pid_t: T.int, uid_t: T.uint, gfp_t: T.uint };
      const td = this.file.names.get(base[0]!);
      t = td?.kind === 'typedef' ? td.t : named[base[0]!] ?? T.long;
    } else {
      t = this.keywordType(base, loc);
    }
    if (isConst) t = { ...t, const: true };
    for (let i = 0; i < stars; i++) t = T.ptr(t);
    return t;
  }

  /** Compiler builtins that are not ordinary functions; undefined when name is not one. */
  private builtinCall(name: string, argsSyntax: A.Expr[], loc: A.Loc): TExpr | undefined {
    const T = this.T;
    const need = (n: number) => {
      if (argsSyntax.length !== n) {
        this.error(loc, `${argsSyntax.length < n ? 'too few' : 'too many'} arguments to function '${name}'`);
        throw new Bail();
      }
    };
    const sys = /^__syscall([0-6])$/.exec(name);
    if (sys) {
      need(Number(sys[1]) + 1);
      const args = argsSyntax.map((a) => this.assignConvert(this.expr(a), T.long, 'argument', a.loc, { n: 1, fname: name }));
      return { e: 'syscall', args, t: T.long, loc };
    }
    switch (name) {
      case '__builtin_expect':
        need(2);
        this.expr(argsSyntax[1]!);
        return this.convert(this.rv(this.expr(argsSyntax[0]!)), T.long);
      case '__builtin_unreachable':
      case '__builtin_trap':
        need(0);
        return { e: 'trap', what: name, t: VOID, loc };
      case '__builtin_setjmp': {
        need(1);
        const env = this.assignConvert(this.expr(argsSyntax[0]!), T.voidPtr, 'argument', argsSyntax[0]!.loc, { n: 1, fname: name });
        return { e: 'setjmp', env, t: T.int, loc };
      }
      case '__builtin_longjmp': {
        need(2);
        const env = this.assignConvert(this.expr(argsSyntax[0]!), T.voidPtr, 'argument', argsSyntax[0]!.loc, { n: 1, fname: name });
        const val = this.assignConvert(this.expr(argsSyntax[1]!), T.int, 'argument', argsSyntax[1]!.loc, { n: 2, fname: name });
        return { e: 'longjmp', env, val, t: VOID, loc };
      }
      case '__builtin_va_start': {
        need(2);
        if (!this.fn || !this.fn.info.type.variadic) this.error(loc, "'va_start' used in function with fixed arguments");
        if (this.fn) this.fn.usesVa = true;
        const ap = this.expr(argsSyntax[0]!);
        this.expr(argsSyntax[1]!);
        return { e: 'assign', target: ap, value: { e: 'va_start', t: T.voidPtr, loc }, t: T.voidPtr, loc };
      }
      case '__builtin_va_end':
        need(1);
        this.expr(argsSyntax[0]!);
        return { e: 'cast', x: this.constInt(0n, T.int, loc), t: VOID, loc };
      case '__builtin_va_copy': {
        need(2);
        const dst = this.expr(argsSyntax[0]!);
        const src = this.rv(this.expr(argsSyntax[1]!));
        return { e: 'assign', target: dst, value: this.convert(src, dst.t), t: dst.t, loc };
      }
      case '__builtin_alloca':
      case 'alloca': {
        if (name === 'alloca' && this.scope.find('alloca')) return undefined;
        need(1);
        if (this.fn) this.fn.usesAlloca = true;
        const n = this.convert(this.rv(this.expr(argsSyntax[0]!)), T.ulong);
        return { e: 'alloca', n, t: T.voidPtr, loc };
      }
      case '__builtin_constant_p': {
        need(1);
        const x = this.withoutEval(() => this.rv(this.expr(argsSyntax[0]!)));
        return this.constInt(x.e === 'const' ? 1n : 0n, T.int, loc);
      }
      case '__builtin_offsetof':
        return undefined;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Initializers

  /**
   * Flattens an initializer for an object of type t into stores at byte offsets. Handles nested
   * braces, brace elision, designators (.field, [index], GNU [a ... b]) and strings for char arrays.
   * Returns the completed type (an incomplete array gets its length).
   */
  initializer(t: CType, init: A.Initializer, isStatic: boolean): { items: InitItem[]; type: CType } {
    const out: InitItem[] = [];
    let type = t;
    if (t.k === 'array' && t.len === undefined) {
      const n = this.initObject(t, init, 0, out, isStatic);
      type = { ...t, len: n };
    } else {
      this.initObject(t, init, 0, out, isStatic);
    }
    return { items: out, type };
  }

  /** Initializes one object; returns the number of array elements initialized (for []). */
  private initObject(t: CType, init: A.Initializer, off: number, out: InitItem[], isStatic: boolean): number {
    if (init.kind === 'expr') {
      const str = this.stringInit(t, init.expr, off, out);
      if (str >= 0) return str;
      if (t.k === 'array') {
        this.error(init.loc, 'invalid initializer');
        return 0;
      }
      const x = this.expr(init.expr);
      if (t.k === 'struct') {
        const v = this.rv(x);
        if (v.t.k !== 'struct' || v.t.rec !== t.rec) {
          this.error(init.loc, `invalid initializer`);
          return 0;
        }
        out.push({ k: 'copy', off, size: this.T.sizeof(t), src: v });
        return 1;
      }
      out.push({ k: 'expr', off, t, x: this.assignConvert(x, t, 'initialization', init.loc) });
      return 1;
    }
    if (t.k !== 'array' && t.k !== 'struct') {
      if (init.items.length === 0) {
        out.push({ k: 'expr', off, t, x: this.convert(this.constInt(0n, this.T.int, init.loc), t) });
        return 1;
      }
      if (init.items.length > 1) this.warn(init.loc, 'excess elements in scalar initializer');
      return this.initObject(t, init.items[0]!.init, off, out, isStatic);
    }
    const cur = { i: 0 };
    const n = this.fillAggregate(t, init.items, cur, off, out, true, isStatic);
    if (cur.i < init.items.length) {
      this.warn(init.items[cur.i]!.init.loc, `excess elements in ${t.k === 'array' ? 'array' : t.rec.union ? 'union' : 'struct'} initializer`);
    }
    return n;
  }

  /** A string literal initializing a char array; returns the length used, or -1 if not applicable. */
  private stringInit(t: CType, e: A.Expr, off: number, out: InitItem[]): number {
    let s = e;
    while (s.kind === 'stmt_expr' && false) s = e;
    if (t.k !== 'array' || s.kind !== 'string' || !isInt(t.of) || t.of.size !== 1) return -1;
    const bytes = s.value;
    const len = t.len ?? bytes.length + 1;
    if (t.len !== undefined && bytes.length > t.len) this.warn(e.loc, 'initializer-string for array of \'char\' is too long');
    const data = new Uint8Array(len);
    data.set(bytes.subarray(0, len));
    out.push({ k: 'bytes', off, bytes: data, size: len });
    return len;
  }

  private fillAggregate(t: CType, items: A.InitItem[], cur: { i: number }, off: number, out: InitItem[], braced: boolean, isStatic: boolean): number {
    if (t.k === 'array') {
      const esize = Math.max(0, this.T.sizeof(t.of));
      let idx = 0;
      let count = 0;
      while (cur.i < items.length) {
        const it = items[cur.i]!;
        if (it.designators.length) {
          if (!braced) break;
          const d = it.designators[0]!;
          if (d.kind !== 'index') {
            this.error(d.loc, `field name not in record or union initializer`);
            cur.i++;
            continue;
          }
          const lo = Number(this.intConst(d.index, 'array index'));
          const hi = d.last ? Number(this.intConst(d.last, 'array index')) : lo;
          if (t.len !== undefined && hi >= t.len) {
            this.error(d.loc, 'array index in initializer exceeds array bounds');
            cur.i++;
            continue;
          }
          for (let k = lo; k <= hi; k++) this.designated(t.of, it, 1, off + k * esize, out, isStatic);
          cur.i++;
          idx = hi + 1;
          count = Math.max(count, idx);
          continue;
        }
        if (t.len !== undefined && idx >= t.len) break;
        this.initMember(t.of, items, cur, off + idx * esize, out, isStatic);
        idx++;
        count = Math.max(count, idx);
      }
      return count;
    }
    if (t.k !== 'struct') return 0;
    const members = t.rec.members;
    let mi = 0;
    let first = true;
    while (cur.i < items.length) {
      const it = items[cur.i]!;
      if (it.designators.length) {
        if (!braced) break;
        const d = it.designators[0]!;
        if (d.kind !== 'field') {
          this.error(d.loc, 'array index in non-array initializer');
          cur.i++;
          continue;
        }
        const idx = members.findIndex((m) => m.name === d.name);
        if (idx < 0) {
          // anonymous member containing the name
          const anon = members.findIndex((m) => m.name === undefined && m.type.k === 'struct' && findMember(m.type.rec, d.name));
          if (anon < 0) {
            this.error(d.loc, `'${typeToString(t)}' has no member named '${d.name}'`);
            cur.i++;
            continue;
          }
          const am = members[anon]!;
          this.designated(am.type, it, 0, off + am.offset, out, isStatic);
          cur.i++;
          mi = anon + 1;
          continue;
        }
        const m = members[idx]!;
        this.designated(m.type, it, 1, off + m.offset, out, isStatic, m);
        cur.i++;
        mi = idx + 1;
        first = false;
        continue;
      }
      if (t.rec.union && !first) break;
      while (mi < members.length && members[mi]!.name === undefined && members[mi]!.bitWidth !== undefined) mi++;
      if (mi >= members.length) break;
      const m = members[mi]!;
      if (m.bitWidth !== undefined) {
        const it2 = items[cur.i]!;
        if (it2.init.kind !== 'expr') {
          this.initObject(m.type, it2.init, off + m.offset, [], isStatic);
        } else {
          out.push({ k: 'expr', off: off + m.offset, t: m.type, x: this.assignConvert(this.expr(it2.init.expr), m.type, 'initialization', it2.init.loc), bit: m });
        }
        cur.i++;
      } else {
        this.initMember(m.type, items, cur, off + m.offset, out, isStatic);
      }
      mi++;
      first = false;
      if (t.rec.union) break;
    }
    return 1;
  }

  /** Applies the rest of a designator path (from index `from`) to a sub-object. */
  private designated(t: CType, it: A.InitItem, from: number, off: number, out: InitItem[], isStatic: boolean, bit?: Member): void {
    if (from >= it.designators.length) {
      if (bit?.bitWidth !== undefined && it.init.kind === 'expr') {
        out.push({ k: 'expr', off, t: bit.type, x: this.assignConvert(this.expr(it.init.expr), bit.type, 'initialization', it.init.loc), bit });
        return;
      }
      if (it.init.kind === 'expr' && (t.k === 'struct' || t.k === 'array')) {
        const str = this.stringInit(t, it.init.expr, off, out);
        if (str >= 0) return;
        const x = this.expr(it.init.expr);
        const v = this.rv(x);
        if (t.k === 'struct' && v.t.k === 'struct' && v.t.rec === t.rec) {
          out.push({ k: 'copy', off, size: this.T.sizeof(t), src: v });
          return;
        }
        // brace elision starting at a designated aggregate
        const cur = { i: 0 };
        this.fillAggregateFromExpr(t, it.init, cur, off, out, isStatic);
        return;
      }
      this.initObject(t, it.init, off, out, isStatic);
      return;
    }
    const rest: A.InitItem = { designators: it.designators.slice(from), init: it.init };
    const cur = { i: 0 };
    this.fillAggregate(t, [rest], cur, off, out, true, isStatic);
  }

  private fillAggregateFromExpr(t: CType, init: A.Initializer, cur: { i: number }, off: number, out: InitItem[], isStatic: boolean): void {
    this.fillAggregate(t, [{ designators: [], init }], cur, off, out, false, isStatic);
  }

  /** Initializes a member or element from items[cur.i], eliding braces when needed. */
  private initMember(t: CType, items: A.InitItem[], cur: { i: number }, off: number, out: InitItem[], isStatic: boolean): void {
    const it = items[cur.i]!;
    if (it.init.kind === 'list' || (t.k !== 'array' && t.k !== 'struct')) {
      this.initObject(t, it.init, off, out, isStatic);
      cur.i++;
      return;
    }
    // An expression for an aggregate: a string for a char array, a struct value, or brace elision.
    if (this.stringInit(t, it.init.expr, off, out) >= 0) {
      cur.i++;
      return;
    }
    if (t.k === 'struct') {
      const probe = this.withoutEval(() => this.expr((it.init as { expr: A.Expr }).expr));
      if (probe.t.k === 'struct' && probe.t.rec === t.rec) {
        out.push({ k: 'copy', off, size: this.T.sizeof(t), src: this.rv(this.expr(it.init.expr)) });
        cur.i++;
        return;
      }
    }
    this.fillAggregate(t, items, cur, off, out, false, isStatic);
  }

  /** Writes constant initializer items into a static object's bytes, with relocations for addresses. */
  staticBytes(items: InitItem[], bytes: Uint8Array, relocs: Reloc[]): void {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const it of items) {
      if (it.k === 'bytes') {
        bytes.set(it.bytes.subarray(0, Math.min(it.size, bytes.length - it.off)), it.off);
        continue;
      }
      if (it.k === 'copy') {
        this.error(it.src.loc, 'initializer element is not constant');
        continue;
      }
      const v = this.evalConst(it.x);
      if (!v) {
        this.error(it.x.loc, 'initializer element is not constant');
        continue;
      }
      const size = this.T.sizeof(it.t);
      if (v.k === 'addr') {
        if (size !== this.T.L.ptrSize) {
          this.error(it.x.loc, 'initializer element is not computable at load time');
          continue;
        }
        relocs.push({ off: it.off, sym: v.sym, addend: Number(v.off), size });
        continue;
      }
      if (it.t.k === 'float') {
        const f = v.k === 'float' ? v.v : Number(v.v);
        if (size === 4) dv.setFloat32(it.off, f, true);
        else dv.setFloat64(it.off, f, true);
        continue;
      }
      let iv = v.k === 'int' ? v.v : BigInt(Math.trunc(v.v));
      if (it.bit && it.bit.bitWidth !== undefined) {
        const m = it.bit;
        const mask = (1n << BigInt(m.bitWidth!)) - 1n;
        let unit = 0n;
        for (let i = 0; i < size; i++) unit |= BigInt(bytes[it.off + i]!) << BigInt(i * 8);
        unit = (unit & ~(mask << BigInt(m.bitOffset!))) | ((iv & mask) << BigInt(m.bitOffset!));
        iv = unit;
      }
      for (let i = 0; i < size; i++) bytes[it.off + i] = Number((iv >> BigInt(i * 8)) & 0xffn);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Constant expressions

  intConst(e: A.Expr, what: string): bigint {
    const x = this.rv(this.expr(e));
    const v = this.evalConst(x);
    if (!v || v.k !== 'int' || !isInt(x.t)) {
      if (v?.k === 'float' || x.t.k === 'float') this.error(e.loc, `${what} is not an integer constant`.replace(/^(.)/, (c) => c.toUpperCase()));
      else this.error(e.loc, `${what} is not an integer constant`.replace(/^(.)/, (c) => c.toUpperCase()));
      return 0n;
    }
    return v.v;
  }

  tryConst(e: A.Expr): bigint | undefined {
    const x = this.rv(this.withoutEval(() => this.expr(e)));
    if (!isInt(x.t)) return undefined;
    const v = this.evalConst(x);
    return v?.k === 'int' ? v.v : undefined;
  }

  /** Evaluates a typed expression at compile time, exactly as the generated code would. */
  evalConst(x: TExpr): ConstValue | undefined {
    const T = this.T;
    const asInt = (v: ConstValue | undefined): bigint | undefined => (v?.k === 'int' ? v.v : undefined);
    const wrap = (v: bigint, t: CType): ConstValue => ({ k: 'int', v: this.wrapConst(v, t) });
    switch (x.e) {
      case 'const':
        if (x.t.k === 'float') return { k: 'float', v: x.v as number };
        return { k: 'int', v: this.wrapConst(BigInt(x.v), x.t) };
      case 'symaddr':
        return { k: 'addr', sym: x.sym, off: BigInt(x.off) };
      case 'addr': {
        const lv = x.lv;
        if (lv.e === 'func') return { k: 'addr', sym: lv.f.sym, off: 0n };
        return this.constAddress(lv);
      }
      case 'cast': {
        const v = this.evalConst(x.x);
        if (!v) return undefined;
        const t = x.t;
        if (t.k === 'void') return undefined;
        if (v.k === 'addr') return t.k === 'ptr' || (t.k === 'int' && t.size === T.L.ptrSize) ? v : undefined;
        if (t.k === 'float') {
          if (v.k === 'float') return { k: 'float', v: t.size === 4 ? Math.fround(v.v) : v.v };
          const from = x.x.t;
          const iv = from.k === 'int' && !from.signed ? this.wrapConst(v.v, from) : v.v;
          if (t.size !== 4) return { k: 'float', v: Number(iv) };
          return { k: 'float', v: iv < 0n ? I64.toF32(I64.fromBig(iv)) : I64.utoF32(I64.fromBig(iv)) };
        }
        if (v.k === 'float') {
          if (!Number.isFinite(v.v)) return undefined;
          return wrap(BigInt(Math.trunc(v.v)), t);
        }
        return wrap(v.v, t);
      }
      case 'bin': {
        const a = this.evalConst(x.a);
        const b = this.evalConst(x.b);
        if (!a || !b) return undefined;
        const opT = x.a.t;
        if (a.k === 'addr' || b.k === 'addr') {
          if (x.op === '+' && a.k === 'addr' && b.k === 'int') return { k: 'addr', sym: a.sym, off: a.off + b.v };
          if (x.op === '-' && a.k === 'addr' && b.k === 'int') return { k: 'addr', sym: a.sym, off: a.off - b.v };
          if ((x.op === '==' || x.op === '!=') && a.k === 'addr' && b.k === 'int' && b.v === 0n) return { k: 'int', v: x.op === '==' ? 0n : 1n };
          return undefined;
        }
        if (a.k === 'float' || b.k === 'float') {
          const fa = a.k === 'float' ? a.v : Number(a.v);
          const fb = b.k === 'float' ? b.v : Number(b.v);
          const r = (n: number) => (x.t.k === 'float' && x.t.size === 4 ? Math.fround(n) : n);
          switch (x.op) {
            case '+': return { k: 'float', v: r(fa + fb) };
            case '-': return { k: 'float', v: r(fa - fb) };
            case '*': return { k: 'float', v: r(fa * fb) };
            case '/': return { k: 'float', v: r(fa / fb) };
            case '<': return { k: 'int', v: fa < fb ? 1n : 0n };
            case '>': return { k: 'int', v: fa > fb ? 1n : 0n };
            case '<=': return { k: 'int', v: fa <= fb ? 1n : 0n };
            case '>=': return { k: 'int', v: fa >= fb ? 1n : 0n };
            case '==': return { k: 'int', v: fa === fb ? 1n : 0n };
            case '!=': return { k: 'int', v: fa !== fb ? 1n : 0n };
          }
          return undefined;
        }
        const signed = opT.k === 'int' ? opT.signed : false;
        const bits = BigInt((opT.k === 'int' ? opT.size : T.L.ptrSize) * 8);
        const norm = (v: bigint) => (signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v));
        const av = norm(a.v), bv = norm(b.v);
        switch (x.op) {
          case '+': return wrap(av + bv, x.t);
          case '-': return wrap(av - bv, x.t);
          case '*': return wrap(av * bv, x.t);
          case '/': return bv === 0n ? undefined : wrap(av / bv, x.t);
          case '%': return bv === 0n ? undefined : wrap(av % bv, x.t);
          case '&': return wrap(av & bv, x.t);
          case '|': return wrap(av | bv, x.t);
          case '^': return wrap(av ^ bv, x.t);
          case '<<': return wrap(av << (BigInt.asUintN(32, b.v) % bits), x.t);
          case '>>': return wrap(av >> (BigInt.asUintN(32, b.v) % bits), x.t);
          case '<': return { k: 'int', v: av < bv ? 1n : 0n };
          case '>': return { k: 'int', v: av > bv ? 1n : 0n };
          case '<=': return { k: 'int', v: av <= bv ? 1n : 0n };
          case '>=': return { k: 'int', v: av >= bv ? 1n : 0n };
          case '==': return { k: 'int', v: av === bv ? 1n : 0n };
          case '!=': return { k: 'int', v: av !== bv ? 1n : 0n };
        }
        return undefined;
      }
      case 'ptradd': {
        const p = this.evalConst(x.p);
        const i = asInt(this.evalConst(x.i));
        if (!p || i === undefined) return undefined;
        const d = BigInt.asIntN(64, i) * BigInt(x.scale) * (x.sub ? -1n : 1n);
        if (p.k === 'addr') return { k: 'addr', sym: p.sym, off: p.off + d };
        if (p.k === 'int') return wrap(p.v + d, x.t);
        return undefined;
      }
      case 'ptrdiff': {
        const a = this.evalConst(x.a), b = this.evalConst(x.b);
        if (a?.k === 'addr' && b?.k === 'addr' && a.sym === b.sym) return wrap((a.off - b.off) / BigInt(x.size), x.t);
        if (a?.k === 'int' && b?.k === 'int') return wrap((BigInt.asIntN(64, a.v) - BigInt.asIntN(64, b.v)) / BigInt(x.size), x.t);
        return undefined;
      }
      case 'neg': {
        const v = this.evalConst(x.x);
        if (v?.k === 'float') return { k: 'float', v: -v.v };
        return v?.k === 'int' ? wrap(-v.v, x.t) : undefined;
      }
      case 'bitnot': {
        const v = asInt(this.evalConst(x.x));
        return v === undefined ? undefined : wrap(~v, x.t);
      }
      case 'not': {
        const v = this.evalConst(x.x);
        if (!v) return undefined;
        if (v.k === 'addr') return { k: 'int', v: 0n };
        return { k: 'int', v: (v.k === 'float' ? v.v === 0 : v.v === 0n) ? 1n : 0n };
      }
      case 'logand':
      case 'logor': {
        const a = this.evalConst(x.a);
        if (!a) return undefined;
        const at = a.k === 'addr' ? true : a.k === 'float' ? a.v !== 0 : a.v !== 0n;
        if (x.e === 'logand' && !at) return { k: 'int', v: 0n };
        if (x.e === 'logor' && at) return { k: 'int', v: 1n };
        const b = this.evalConst(x.b);
        if (!b) return undefined;
        const bt = b.k === 'addr' ? true : b.k === 'float' ? b.v !== 0 : b.v !== 0n;
        return { k: 'int', v: bt ? 1n : 0n };
      }
      case 'cond': {
        const c = this.evalConst(x.c);
        if (!c) return undefined;
        const ct = c.k === 'addr' ? true : c.k === 'float' ? c.v !== 0 : c.v !== 0n;
        return this.evalConst(ct ? x.a : x.b);
      }
      case 'comma':
        return undefined;
      case 'load':
        return undefined;
      default:
        return undefined;
    }
  }

  /** The address of a static lvalue as symbol + offset. */
  private constAddress(lv: TExpr): ConstValue | undefined {
    if (lv.e === 'var') return lv.v.sym ? { k: 'addr', sym: lv.v.sym, off: 0n } : undefined;
    if (lv.e === 'member') {
      const b = this.constAddress(lv.base);
      return b?.k === 'addr' ? { k: 'addr', sym: b.sym, off: b.off + BigInt(lv.m.offset) } : b?.k === 'int' ? { k: 'int', v: b.v + BigInt(lv.m.offset) } : undefined;
    }
    if (lv.e === 'deref') return this.evalConst(lv.p);
    if (lv.e === 'func') return { k: 'addr', sym: lv.f.sym, off: 0n };
    return undefined;
  }
}

interface VarInfoDraft {
  name?: string;
  type: CType;
  loc: A.Loc;
}

