// The typed tree: what sema.ts makes of the AST and what lower.ts / codegen.ts consume. Every
// expression carries its C type; implicit conversions, array/function decay, pointer scaling and
// lvalue-to-rvalue loads are explicit, so the code generator needs no C typing rules of its own.
import type { Loc } from './ast.js';
import type { CType, Member } from './types.js';
import type { IntrinsicDef } from './intrinsics.js';

/** A variable: local (F.l slot or C stack), parameter, or a global / static symbol. */
export interface VarInfo {
  id: number;
  name: string;
  type: CType;
  storage: 'local' | 'param' | 'global';
  /** Link-time symbol for globals and static locals. */
  sym?: string;
  /** Lives in memory: its address is taken, or it is an array/struct/union. */
  inMemory: boolean;
  loc: Loc;
  /** Assigned by lower.ts: slot in F.l (register locals) or offset from F.bp (memory locals). */
  slot?: number;
  offset?: number;
}

/** A function known to the translation unit. */
export interface FuncInfo {
  name: string;
  type: Extract<CType, { k: 'func' }>;
  sym: string;
  isStatic: boolean;
  defined: boolean;
  intrinsic?: IntrinsicDef;
  loc: Loc;
}

export type BinOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '<' | '>' | '<=' | '>=' | '==' | '!=';

export type TExpr = { t: CType; loc: Loc } & TExprBody;

export type TExprBody =
  /** Integer constant (Int64 canonical for 64-bit types) or floating constant. */
  | { e: 'const'; v: number | bigint }
  /** Address of a symbol (+ byte offset): string literals, globals, functions. */
  | { e: 'symaddr'; sym: string; off: number }
  /** An lvalue naming a variable (register or memory). */
  | { e: 'var'; v: VarInfo }
  /** A function designator (decays to its address; a direct call when called). */
  | { e: 'func'; f: FuncInfo }
  /** An lvalue *p. */
  | { e: 'deref'; p: TExpr }
  /** An lvalue base.m (base is a struct lvalue or struct-valued expression). */
  | { e: 'member'; base: TExpr; m: Member }
  /** Address of an lvalue (also array-to-pointer decay). */
  | { e: 'addr'; lv: TExpr }
  /** Load of a scalar lvalue's value. */
  | { e: 'load'; lv: TExpr }
  /** Conversion of x to t. */
  | { e: 'cast'; x: TExpr }
  /** Arithmetic in type t (operands already converted), or a comparison (operands in a common type, t int). */
  | { e: 'bin'; op: BinOp; a: TExpr; b: TExpr }
  /** Pointer + integer * scale (integer already converted to ptrdiff width); sub for minus. */
  | { e: 'ptradd'; p: TExpr; i: TExpr; scale: number; sub: boolean }
  /** (a - b) / size for pointers. */
  | { e: 'ptrdiff'; a: TExpr; b: TExpr; size: number }
  | { e: 'neg'; x: TExpr }
  | { e: 'bitnot'; x: TExpr }
  /** !x for scalar x, result int. */
  | { e: 'not'; x: TExpr }
  | { e: 'logand' | 'logor'; a: TExpr; b: TExpr }
  | { e: 'cond'; c: TExpr; a: TExpr; b: TExpr }
  | { e: 'comma'; a: TExpr; b: TExpr }
  /** target = value (value converted to the target's type); struct assignment copies. */
  | { e: 'assign'; target: TExpr; value: TExpr }
  /**
   * target op= value: the old value converted to opType, combined, converted back.
   * For pointers, `ptrScale` is set and op is + or -. Also ++/-- (value = const 1).
   */
  | { e: 'opassign'; op: BinOp; target: TExpr; value: TExpr; opType: CType; ptrScale?: number; post: boolean }
  /** Call of a C function (direct when fn is a function symbol, else through a pointer). */
  | { e: 'call'; fn: TExpr; direct?: FuncInfo; args: TExpr[]; nfixed: number; ftype: Extract<CType, { k: 'func' }> }
  /** Synchronous host call H.name(P, args..., vaAddr?). */
  | { e: 'intrinsic'; def: IntrinsicDef; args: TExpr[]; nfixed: number }
  /** __syscallN(nr, a1..aN): the trap. */
  | { e: 'syscall'; args: TExpr[] }
  /** va_start(ap): the address of this function's variadic slots. */
  | { e: 'va_start' }
  /** va_arg(ap, T): ap is a va_list lvalue. */
  | { e: 'va_arg'; ap: TExpr }
  /** alloca(n): bytes below the frame (freed on return). */
  | { e: 'alloca'; n: TExpr }
  /** __builtin_trap / __builtin_unreachable: SIGILL. */
  | { e: 'trap'; what: string }
  /** __builtin_setjmp(env): records this frame and the continuation in env; 0, or longjmp's value. */
  | { e: 'setjmp'; env: TExpr }
  /** __builtin_longjmp(env, val): back to the setjmp that filled env (never returns). */
  | { e: 'longjmp'; env: TExpr; val: TExpr }
  /** GNU statement expression; its value is the last expression statement (or void). */
  | { e: 'stmtexpr'; body: TStmt[]; result?: TExpr }
  /** A temporary object in the frame initialized by inits (compound literals); value is an lvalue. */
  | { e: 'tempobj'; v: VarInfo; inits: InitItem[] };

/** One scalar (or string/struct copy) store of an initializer, at a byte offset in the object. */
export type InitItem =
  | { k: 'expr'; off: number; t: CType; x: TExpr; bit?: Member }
  | { k: 'bytes'; off: number; bytes: Uint8Array; /** total size reserved (the rest zero) */ size: number }
  | { k: 'copy'; off: number; size: number; src: TExpr };

export type TStmt = { loc: Loc } & (
  | { s: 'expr'; x: TExpr }
  | { s: 'init'; v: VarInfo; items: InitItem[]; zero: boolean }
  | { s: 'if'; c: TExpr; then: TStmt; else?: TStmt }
  | { s: 'while'; c: TExpr; body: TStmt }
  | { s: 'do'; body: TStmt; c: TExpr }
  | { s: 'for'; init: TStmt[]; c?: TExpr; step?: TExpr; body: TStmt }
  | { s: 'switch'; x: TExpr; body: TStmt; cases: { lo: number | bigint; hi: number | bigint; id: number }[]; defaultId?: number; id: number }
  | { s: 'case'; id: number; body: TStmt }
  | { s: 'label'; name: string; body: TStmt }
  | { s: 'goto'; name: string }
  | { s: 'break' }
  | { s: 'continue' }
  | { s: 'return'; x?: TExpr }
  | { s: 'block'; items: TStmt[] }
);

/** A function definition ready for lowering. */
export interface TFunction {
  info: FuncInfo;
  params: VarInfo[];
  /** Every local variable (including params and temporaries made by sema). */
  locals: VarInfo[];
  body: TStmt;
  /** Hidden struct-return pointer parameter, when the function returns a struct. */
  retPtr?: VarInfo;
  loc: Loc;
  endLoc: Loc;
  usesVa: boolean;
  usesAlloca: boolean;
}

/** A global or static object with its initial contents. */
export interface TGlobal {
  sym: string;
  name: string;
  type: CType;
  isStatic: boolean;
  /** Tentative definition without initializer: a common symbol merged by the linker. */
  common: boolean;
  /** Read-only (string literals): goes to .rodata. */
  readonly: boolean;
  /** Initial bytes and relocations; undefined for zero-initialized (bss). */
  bytes?: Uint8Array;
  relocs: Reloc[];
  size: number;
  align: number;
  loc: Loc;
}

/** A pointer-sized reference to a symbol stored in data. */
export interface Reloc {
  off: number;
  sym: string;
  addend: number;
  size: number;
}
